/**
 * Very common passwords and their usual bases (lower case), French and English. A password is
 * refused when it is one of these, or one of these with digits or symbols added before or after
 * ("Motdepasse2024!"). Short on purpose: the length rule already rules out most leaked passwords;
 * this catches the long ones people still choose.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password', 'passw0rd', 'passwort', 'pass', 'passe', 'motdepasse', 'mot de passe', 'mdp', 'secret', 'secrets',
  'azerty', 'azertyuiop', 'azertyuiopqsdfghjklm', 'qwerty', 'qwertyuiop', 'qwertyuiopasdfghjkl', 'qwertz', 'asdfgh', 'asdfghjkl', 'zxcvbnm',
  'iloveyou', 'jetaime', 'teamo', 'tiamo', 'ichliebedich', 'loveyou', 'lovely', 'love',
  'admin', 'administrator', 'administrateur', 'root', 'toor', 'user', 'utilisateur', 'guest', 'invite', 'welcome', 'bienvenue', 'benvenuto',
  'letmein', 'changeme', 'default', 'test', 'testing', 'demo', 'temp', 'temporary', 'login', 'connexion', 'access', 'master', 'superman',
  'batman', 'dragon', 'monkey', 'shadow', 'sunshine', 'princess', 'football', 'baseball', 'soccer', 'starwars', 'pokemon', 'naruto',
  'soleil', 'chocolat', 'doudou', 'loulou', 'nicolas', 'camille', 'marseille', 'paris', 'france', 'lyon', 'toulouse', 'bordeaux',
  'universite', 'university', 'erasmus', 'student', 'etudiant', 'etudiante', 'smile', 'mobility', 'mobilite', 'campus',
  'trustno', 'whatever', 'freedom', 'hello', 'bonjour', 'salut', 'ciao', 'hola', 'summer', 'winter', 'autumn', 'spring', 'ete', 'hiver',
  'january', 'janvier', 'september', 'septembre', 'october', 'octobre', 'november', 'novembre', 'december', 'decembre',
  'abc', 'abcd', 'abcdef', 'abcdefgh', 'abcdefghijkl', 'aaaaaa', 'qazwsx', 'qazwsxedc', '1qaz2wsx', 'zaq12wsx',
  '123456789012', '1234567890123', '12345678910', '111111111111', '000000000000', '123123123123', '121212121212', '987654321098',
  'password1234', 'password12345', 'password123456', 'motdepasse123', 'azerty123456', 'qwerty123456', 'iloveyou1234',
]);

const SEQUENCES = [
  '01234567890123456789', '98765432109876543210', 'abcdefghijklmnopqrstuvwxyz', 'zyxwvutsrqponmlkjihgfedcba',
  'qwertyuiopasdfghjklzxcvbnm', 'azertyuiopqsdfghjklmwxcvbn', 'qwertzuiopasdfghjklyxcvbnm',
];

/** Is `lower` (lower-case) a very common password, a common base with padding, a run of one character or a keyboard/alphabet sequence? */
export function isCommonPassword(lower: string): boolean {
  if (COMMON_PASSWORDS.has(lower)) return true;
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (core && COMMON_PASSWORDS.has(core)) return true;
  if (/^(.)\1*$/u.test(lower)) return true;
  // "abcabcabcabc", "123412341234": a short block repeated
  if (/^(.{1,4})\1+$/u.test(lower)) return true;
  return SEQUENCES.some((s) => s.includes(lower));
}
