/** Who a seeded template is meant for. */
export type Recipient = 'student' | 'referent' | 'manager' | 'partner';

/** A template every institution starts with, in both languages. */
export interface SeedTemplate {
  key: string;
  recipient: Recipient;
  fr: { subject: string; body: string };
  en: { subject: string; body: string };
}

const SIGN_FR = 'Le service des relations internationales\n{{host.name}}';
const SIGN_EN = 'The International Relations Office\n{{host.name}}';

/**
 * The templates of the seed system, each sent to its intended recipient. Institutions edit them in
 * the UI; the mobility workflow sends them by key.
 */
export const SEED_TEMPLATES: SeedTemplate[] = [
  {
    key: 'invitation',
    recipient: 'student',
    fr: {
      subject: 'Votre mobilité à {{host.name}} : créez votre dossier',
      body: `Bonjour {{student.firstName}},\n\n{{home.name}} vous a proposé·e pour une mobilité à {{host.name}}. Pour compléter votre dossier, connectez-vous avec le compte de votre établissement d’origine :\n{{link}}\n\nMerci de le faire avant le {{deadline}}.\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Your mobility at {{host.name}}: create your file',
      body: `Dear {{student.firstName}},\n\n{{home.name}} has nominated you for a mobility at {{host.name}}. To complete your file, sign in with the account of your home institution:\n{{link}}\n\nPlease do so by {{deadline}}.\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'referent-waiting',
    recipient: 'referent',
    fr: {
      subject: 'Dossier à valider : {{student.firstName}} {{student.lastName}}',
      body: `Bonjour,\n\nLe dossier de {{student.firstName}} {{student.lastName}} ({{home.name}}) attend votre validation à l’étape « {{step.label}} ».\n\nConsultez-le ici : {{link}}\nDate limite : {{deadline}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'File awaiting your approval: {{student.firstName}} {{student.lastName}}',
      body: `Hello,\n\nThe file of {{student.firstName}} {{student.lastName}} ({{home.name}}) is waiting for your approval at the step “{{step.label}}”.\n\nSee it here: {{link}}\nDeadline: {{deadline}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'courses-received',
    recipient: 'student',
    fr: {
      subject: 'Nous avons bien reçu votre choix de cours',
      body: `Bonjour {{student.firstName}},\n\nNous avons bien reçu votre choix de cours. Il va être examiné par votre référent·e pédagogique ; vous serez informé·e par courriel de la décision.\n\nSuivre votre dossier : {{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'We have received your choice of courses',
      body: `Dear {{student.firstName}},\n\nWe have received your choice of courses. Your educational referent will now review it; you will be told the decision by mail.\n\nFollow your file: {{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'courses-validated',
    recipient: 'student',
    fr: {
      subject: 'Votre choix de cours est validé',
      body: `Bonjour {{student.firstName}},\n\nVotre choix de cours a été validé. La prochaine étape de votre dossier est « {{step.label}} ».\n\nSuivre votre dossier : {{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Your choice of courses is approved',
      body: `Dear {{student.firstName}},\n\nYour choice of courses has been approved. The next step of your file is “{{step.label}}”.\n\nFollow your file: {{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'next-step-student',
    recipient: 'student',
    fr: {
      subject: 'Votre dossier : nouvelle étape « {{step.label}} »',
      body: `Bonjour {{student.firstName}},\n\nVotre dossier passe à l’étape « {{step.label}} ». C’est à vous d’agir, avant le {{deadline}} :\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Your file: new step “{{step.label}}”',
      body: `Dear {{student.firstName}},\n\nYour file has moved to the step “{{step.label}}”. It is your turn to act, by {{deadline}}:\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'next-step-manager',
    recipient: 'manager',
    fr: {
      subject: 'Dossier de {{student.firstName}} {{student.lastName}} : étape « {{step.label}} »',
      body: `Bonjour,\n\nLe dossier de {{student.firstName}} {{student.lastName}} ({{home.name}}) est passé à l’étape « {{step.label}} », qui vous revient. Date limite : {{deadline}}.\n\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'File of {{student.firstName}} {{student.lastName}}: step “{{step.label}}”',
      body: `Hello,\n\nThe file of {{student.firstName}} {{student.lastName}} ({{home.name}}) has moved to the step “{{step.label}}”, which is yours. Deadline: {{deadline}}.\n\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'abandonment',
    recipient: 'student',
    fr: {
      subject: 'Votre dossier de mobilité est clos',
      body: `Bonjour {{student.firstName}},\n\nVotre dossier de mobilité à {{host.name}} a été clos comme abandonné.\n{{comment}}\n\nS’il s’agit d’une erreur, répondez à ce courriel.\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Your mobility file is closed',
      body: `Dear {{student.firstName}},\n\nYour mobility file at {{host.name}} has been closed as abandoned.\n{{comment}}\n\nIf this is a mistake, please reply to this mail.\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'refusal',
    recipient: 'student',
    fr: {
      subject: 'Votre dossier : « {{step.label}} » à reprendre',
      body: `Bonjour {{student.firstName}},\n\nL’étape « {{step.label}} » de votre dossier n’a pas été validée, pour la raison suivante :\n{{comment}}\n\nMerci de corriger votre dossier avant le {{deadline}} :\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Your file: “{{step.label}}” to be redone',
      body: `Dear {{student.firstName}},\n\nThe step “{{step.label}}” of your file was not approved, for this reason:\n{{comment}}\n\nPlease correct your file by {{deadline}}:\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'reminder',
    recipient: 'student',
    fr: {
      subject: 'Rappel : « {{step.label}} » avant le {{deadline}}',
      body: `Bonjour {{student.firstName}},\n\nNous vous rappelons que l’étape « {{step.label}} » de votre dossier doit être faite avant le {{deadline}} :\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Reminder: “{{step.label}}” by {{deadline}}',
      body: `Dear {{student.firstName}},\n\nThis is a reminder that the step “{{step.label}}” of your file is due by {{deadline}}:\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'reminder-referent',
    recipient: 'referent',
    fr: {
      subject: 'Rappel : dossier de {{student.firstName}} {{student.lastName}} à valider avant le {{deadline}}',
      body: `Bonjour,\n\nLe dossier de {{student.firstName}} {{student.lastName}} ({{home.name}}) attend toujours votre validation à l’étape « {{step.label}} », avant le {{deadline}}.\n\nConsultez-le ici : {{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Reminder: file of {{student.firstName}} {{student.lastName}} to approve by {{deadline}}',
      body: `Hello,\n\nThe file of {{student.firstName}} {{student.lastName}} ({{home.name}}) is still waiting for your approval at the step “{{step.label}}”, due by {{deadline}}.\n\nSee it here: {{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'reminder-manager',
    recipient: 'manager',
    fr: {
      subject: 'Rappel : dossier de {{student.firstName}} {{student.lastName}}, « {{step.label}} » avant le {{deadline}}',
      body: `Bonjour,\n\nLe dossier de {{student.firstName}} {{student.lastName}} ({{home.name}}) attend toujours l’étape « {{step.label}} », qui vous revient, avant le {{deadline}}.\n\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Reminder: file of {{student.firstName}} {{student.lastName}}, “{{step.label}}” by {{deadline}}',
      body: `Hello,\n\nThe file of {{student.firstName}} {{student.lastName}} ({{home.name}}) is still waiting at the step “{{step.label}}”, which is yours, due by {{deadline}}.\n\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'document-refused',
    recipient: 'student',
    fr: {
      subject: 'Un document de votre dossier est refusé',
      body: `Bonjour {{student.firstName}},\n\nUn document que vous avez déposé dans votre dossier a été refusé, pour la raison suivante :\n{{comment}}\n\nMerci d’en déposer un nouveau :\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'A document of your file was refused',
      body: `Dear {{student.firstName}},\n\nA document you uploaded to your file was refused, for this reason:\n{{comment}}\n\nPlease upload a new one:\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'message-to-student',
    recipient: 'student',
    fr: {
      subject: 'Nouveau message sur votre dossier de mobilité',
      body: `Bonjour {{student.firstName}},\n\nLe service des relations internationales vous a écrit un message sur votre dossier. Lisez-le et répondez ici :\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'New message on your mobility file',
      body: `Dear {{student.firstName}},\n\nThe International Relations Office has written you a message on your file. Read it and reply here:\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'message-to-office',
    recipient: 'manager',
    fr: {
      subject: 'Message de {{student.firstName}} {{student.lastName}} sur son dossier',
      body: `Bonjour,\n\n{{student.firstName}} {{student.lastName}} ({{home.name}}) a écrit un message sur son dossier de mobilité. Lisez-le et répondez ici :\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Message from {{student.firstName}} {{student.lastName}} on their file',
      body: `Hello,\n\n{{student.firstName}} {{student.lastName}} ({{home.name}}) has written a message on their mobility file. Read it and reply here:\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  // The Learning Agreement's circuit (plugin learning-agreement). Only the built-in macros are used:
  // the templates must render even where that plugin is not installed.
  {
    key: 'la-to-sign',
    recipient: 'student',
    fr: {
      subject: 'Contrat d’études de {{student.firstName}} {{student.lastName}} : signature attendue',
      body: `Bonjour,\n\nLe contrat d’études (Learning Agreement) de {{student.firstName}} {{student.lastName}} ({{home.name}}) attend votre signature. Relisez-le puis signez-le ou refusez-le ici :\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Learning Agreement of {{student.firstName}} {{student.lastName}}: your signature is awaited',
      body: `Hello,\n\nThe Learning Agreement of {{student.firstName}} {{student.lastName}} ({{home.name}}) is waiting for your signature. Review it, then sign or refuse it here:\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'la-signing-link',
    recipient: 'partner',
    fr: {
      subject: 'Contrat d’études de {{student.firstName}} {{student.lastName}} à signer pour {{home.name}}',
      body: `Bonjour,\n\n{{student.firstName}} {{student.lastName}}, de votre établissement ({{home.name}}), fera une mobilité à {{host.name}}. Son contrat d’études (Learning Agreement) attend la signature de l’établissement d’origine.\n\nCe lien personnel, sans compte à créer, vous permet de le relire puis de le signer ou de le refuser. Il ne sert qu’une fois et expire le {{deadline}} :\n{{link}}\n\nNe transférez pas ce courriel : le lien vaut signature.\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Learning Agreement of {{student.firstName}} {{student.lastName}} to sign for {{home.name}}',
      body: `Dear colleague,\n\n{{student.firstName}} {{student.lastName}}, from your institution ({{home.name}}), is coming on a mobility to {{host.name}}. Their Learning Agreement is waiting for the sending institution's signature.\n\nThis personal link, with no account needed, lets you review it, then sign or refuse it. It works once and expires on {{deadline}}:\n{{link}}\n\nPlease do not forward this mail: the link is a signature.\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'la-refused',
    recipient: 'student',
    fr: {
      subject: 'Votre contrat d’études a été refusé',
      body: `Bonjour {{student.firstName}},\n\nVotre contrat d’études (Learning Agreement) n’a pas été signé, pour la raison suivante :\n{{comment}}\n\nCorrigez-le pour en faire une nouvelle version, qui sera de nouveau soumise aux signatures :\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Your Learning Agreement was refused',
      body: `Dear {{student.firstName}},\n\nYour Learning Agreement was not signed, for this reason:\n{{comment}}\n\nPlease correct it to make a new version, which will go through the signatures again:\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'la-signed',
    recipient: 'student',
    fr: {
      subject: 'Contrat d’études de {{student.firstName}} {{student.lastName}} : signé par toutes les parties',
      body: `Bonjour,\n\nLe contrat d’études (Learning Agreement) de {{student.firstName}} {{student.lastName}} est signé par l’étudiant·e, par {{home.name}} et par {{host.name}}. Le document signé est disponible ici :\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Learning Agreement of {{student.firstName}} {{student.lastName}}: signed by every party',
      body: `Hello,\n\nThe Learning Agreement of {{student.firstName}} {{student.lastName}} is signed by the student, by {{home.name}} and by {{host.name}}. The signed document is available here:\n{{link}}\n\n${SIGN_EN}`,
    },
  },
  {
    key: 'la-change-proposed',
    recipient: 'manager',
    fr: {
      subject: 'Contrat d’études de {{student.firstName}} {{student.lastName}} : modification proposée',
      body: `Bonjour,\n\nUne modification du contrat d’études (Learning Agreement) de {{student.firstName}} {{student.lastName}} ({{home.name}}) a été proposée. Elle passe par les mêmes signatures que le contrat :\n{{link}}\n\n${SIGN_FR}`,
    },
    en: {
      subject: 'Learning Agreement of {{student.firstName}} {{student.lastName}}: change proposed',
      body: `Hello,\n\nA change to the Learning Agreement of {{student.firstName}} {{student.lastName}} ({{home.name}}) has been proposed. It goes through the same signatures as the agreement:\n{{link}}\n\n${SIGN_EN}`,
    },
  },
];

export const seedTemplate = (key: string) => SEED_TEMPLATES.find((s) => s.key === key);
