import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { isCommonPassword } from './common-passwords.js';

/** scrypt cost parameters; stored with every hash. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const MIN_LENGTH = 12;
/** Long enough for any passphrase; bounds the work an attacker can make us do per attempt. */
export const MAX_LENGTH = 256;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // Node refuses to use more than 32 MiB unless told: allow what these parameters need, with margin.
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(normalize(password), salt, KEY_LENGTH, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** NFKC, as NIST SP 800-63B advises: the same password typed on two keyboards gives the same bytes. */
const normalize = (password: string) => password.normalize('NFKC');

/** `scrypt$N=…,r=…,p=…$<salt>$<key>` (base64), so that parameters can be raised without losing old hashes. */
export async function hashPassword(password: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, params);
  return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Parameters of a stored hash, or null when the string is not one of ours. */
export function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return null;
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.N < 2 || params.N > 2 ** 20 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return null;
  return { params, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') };
}

/** Does `password` match `stored`? Constant-time comparison; `false` for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || password.length > MAX_LENGTH * 4) return false;
  const key = await scrypt(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** Was `stored` made with weaker parameters than `wanted`? Then it is re-hashed at the next successful sign-in. */
export function needsRehash(stored: string, wanted: ScryptParams): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  const p = parsed.params;
  return p.N < wanted.N || p.r < wanted.r || p.p < wanted.p;
}

/** Why a new password is refused; each maps to a locale string `auth-local:password.errors.<reason>`. */
export type PasswordProblem = 'tooShort' | 'tooLong' | 'isEmail' | 'common' | 'mismatch';

/**
 * Check a new password against the policy: at least {@link MIN_LENGTH} characters, not the email
 * address (nor its part before the @), not a very common password. `confirm` must repeat it.
 */
export function checkPassword(password: string, confirm: string, email: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const chars = [...normalize(password)].length;
  if (chars < MIN_LENGTH) problems.push('tooShort');
  if (chars > MAX_LENGTH) problems.push('tooLong');
  const lower = normalize(password).toLowerCase().trim();
  const mail = email.toLowerCase().trim();
  const local = mail.split('@')[0] ?? '';
  if (lower === mail || (local.length >= 3 && (lower === local || lower.includes(mail)))) problems.push('isEmail');
  else if (isCommonPassword(lower)) problems.push('common');
  if (password !== confirm) problems.push('mismatch');
  return problems;
}
