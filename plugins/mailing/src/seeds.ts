/** Who a seeded template is meant for. */
export type Recipient = 'student' | 'referent' | 'manager';

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
];

export const seedTemplate = (key: string) => SEED_TEMPLATES.find((s) => s.key === key);
