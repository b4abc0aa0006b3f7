/**
 * Who receives which mail: the one table of the rule (the seed system sent some templates to the
 * wrong person), and the pure functions that apply it to a transition, a reminder and a language.
 * @packageDocumentation
 */
import type { MobilityFile, StepSpec, TransitionAction } from './types.js';
import { languageForCountry } from './student-common.js';

/** `student`: the file's person; `referent` / `manager`: holders of a role on the file (see {@link MAIL_RULES}). */
export type Audience = 'student' | 'referent' | 'manager';

/**
 * Every mail the mobility plugin sends: template key → audience and when. Each audience equals the
 * template's declared `recipient` in the mailing plugin's seeds; a test checks it.
 *
 * - `referent`: holders of the step's approval role (or owner role) `referent` whose assignment is
 *   institution-wide or covers one of the file's components (main and approval components).
 * - `manager`: holders of the step's staff role — the owner role, or the approval role when the
 *   step has approvals — institution-wide or in the file's component; `message-to-office` goes to
 *   the holders of `manager`. When nobody holds the role itself, the holders of the roles inheriting
 *   from it (a senior manager acts as a manager) receive it.
 */
export const MAIL_RULES = {
  'next-step-student': { audience: 'student', when: 'the file enters a step owned by the student (not after a refusal, which sends `refusal`)' },
  'referent-waiting': { audience: 'referent', when: 'the file enters a step whose approvals (or owner) are the role `referent`' },
  'next-step-manager': { audience: 'manager', when: 'the file enters a step owned by (or approved by) another role' },
  refusal: { audience: 'student', when: 'a step is refused (with the comment; the deadline is the one of the step the file goes back to)' },
  abandonment: { audience: 'student', when: 'the file is abandoned' },
  'courses-received': { audience: 'student', when: 'the file leaves the course-selection step by validation' },
  'courses-validated': { audience: 'student', when: 'the referent approval step completes (all approvals in); partial approvals send nothing' },
  reminder: { audience: 'student', when: 'a reminder of a step owned by the student is due (job), or a manager sends one now (bulk)' },
  'reminder-referent': { audience: 'referent', when: 'a reminder of a step waiting for referents is due: those whose approval is missing' },
  'reminder-manager': { audience: 'manager', when: 'a reminder of a step owned by another role is due' },
  'document-refused': { audience: 'student', when: 'a document is refused (event `mobility.document.refused`)' },
  'message-to-student': { audience: 'student', when: 'staff write a message on the file' },
  'message-to-office': { audience: 'manager', when: 'the student writes a message on their file' },
} as const satisfies Record<string, { audience: Audience; when: string }>;

export type TemplateKey = keyof typeof MAIL_RULES;

/** The step key of the seeded process where the student chooses courses. */
export const COURSE_SELECTION_STEP = 'course-selection';

export function studentLanguage(file: Pick<MobilityFile, 'language' | 'home'>): 'fr' | 'en' {
  if (file.language === 'fr' || file.language === 'en') return file.language;
  return languageForCountry(file.home.country);
}

/** The staff roles a step waits on: its approval roles, else its owner (none for a student step). */
export function staffRolesOf(step: StepSpec): string[] {
  const approvals = [...new Set((step.approvals ?? []).map((a) => a.role))];
  if (approvals.length) return approvals;
  return step.owner === 'student' ? [] : [step.owner];
}

/** Is this the step where the educational referents approve (approvals by, or owner, `referent`)? */
export const isReferentStep = (step: StepSpec): boolean => staffRolesOf(step).includes('referent');

/** One mail to send: a template for an audience, about a step (its label and deadline). */
export interface Notice {
  template: TemplateKey;
  audience: Audience;
  /** For staff audiences: the role whose holders receive it. */
  role?: string;
  /** The step named in the mail (`step.label`). */
  step: StepSpec;
  /** Take the deadline of the step the file is now at (the new visit). */
  deadlineOfCurrent: boolean;
}

/** The mails that announce a step the file enters, to the staff it waits on. */
function staffNotices(step: StepSpec): Notice[] {
  return staffRolesOf(step).map((role) => ({
    template: role === 'referent' ? 'referent-waiting' : 'next-step-manager',
    audience: role === 'referent' ? 'referent' : 'manager',
    role,
    step,
    deadlineOfCurrent: true,
  }));
}

/**
 * The mails a transition sends (the rule of {@link MAIL_RULES}). The student gets at most one mail
 * per transition: abandonment, else refusal, else courses validated, else courses received, else
 * next step. Staff of the step entered are told it waits on them. A partial approval, the end of the
 * file and a terminal step send nothing but what the student is owed.
 */
export function transitionNotices(t: { action: TransitionAction; partial: boolean; from: StepSpec; to: StepSpec | null }): Notice[] {
  if (t.partial) return [];
  if (t.action === 'abandon') return [{ template: 'abandonment', audience: 'student', step: t.from, deadlineOfCurrent: false }];
  const entered = t.to && !t.to.terminalStatus ? t.to : null;
  const staff = entered ? staffNotices(entered) : [];
  if (t.action === 'refuse') return [{ template: 'refusal', audience: 'student', step: t.from, deadlineOfCurrent: true }, ...staff];
  let student: Notice | null = null;
  if (isReferentStep(t.from) && t.to) student = { template: 'courses-validated', audience: 'student', step: t.to, deadlineOfCurrent: true };
  else if (t.from.key === COURSE_SELECTION_STEP) student = { template: 'courses-received', audience: 'student', step: t.from, deadlineOfCurrent: false };
  else if (entered?.owner === 'student') student = { template: 'next-step-student', audience: 'student', step: entered, deadlineOfCurrent: true };
  return student ? [student, ...staff] : staff;
}

/** The reminder template for a step: to the student, or to the staff role(s) it waits on. */
export function reminderNotices(step: StepSpec): Notice[] {
  if (step.owner === 'student' && !step.approvals?.length) return [{ template: 'reminder', audience: 'student', step, deadlineOfCurrent: true }];
  return staffRolesOf(step).map((role) => ({
    template: role === 'referent' ? 'reminder-referent' : 'reminder-manager',
    audience: role === 'referent' ? 'referent' : 'manager',
    role,
    step,
    deadlineOfCurrent: true,
  }));
}
