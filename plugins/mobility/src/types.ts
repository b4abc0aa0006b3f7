import type { AuditActor } from '@smile/sdk';

/** Where a file stands as a whole. */
export const FILE_STATUSES = ['nominated', 'in_progress', 'validated', 'abandoned', 'completed'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** The statuses of a file still going through its process (steps may act on it). */
export const OPEN_STATUSES: ReadonlySet<string> = new Set<FileStatus>(['nominated', 'in_progress']);

/** Who the file is about. */
export const PUBLICS = ['student', 'trainee', 'doctoral', 'staff'] as const;
export type MobilityPublic = (typeof PUBLICS)[number];

/** What can be done on a step. */
export type TransitionAction = 'validate' | 'refuse' | 'abandon';

/** A way out of a step. `to` is a step KEY, or `null` to end the file. */
export interface TransitionSpec {
  action: TransitionAction;
  to: string | null;
  commentRequired?: boolean;
}

/**
 * An approval a step needs before it completes. With `perComponent`, one approval per component
 * of the file's `approvalComponents`, each by a holder of `role` in that component (in parallel).
 */
export interface ApprovalSpec {
  role: string;
  perComponent?: boolean;
}

/** A deadline: a fixed date, or a number of days after the step (or the file) started. */
export type DeadlineSpec = { absolute: string } | { relativeDays: number; from: 'stepStart' | 'fileStart' };

/** A reminder, a number of days before (negative: after) the deadline. */
export interface ReminderSpec {
  daysBefore: number;
}

/** One step of a process, as published. */
export interface StepSpec {
  /** Stable identity: transitions and history refer to it. */
  key: string;
  label: { fr: string; en: string };
  /** `'student'` (the file's person) or a role key. */
  owner: string;
  /** The owner role must hold it in the file's component (or institution-wide). */
  ownerScopeComponent?: boolean;
  requiredDocuments?: string[];
  approvals?: ApprovalSpec[];
  deadline?: DeadlineSpec | null;
  reminders?: ReminderSpec[];
  transitions: TransitionSpec[];
  /** Reaching this step ends the file with this status. */
  terminalStatus?: FileStatus | null;
}

/** A published process version. */
export interface Process {
  id: number;
  key: string;
  exchangeType: string | null;
  version: number;
  active: boolean;
  createdAt: Date;
  /** In display order; the first one is where files start. */
  steps: StepSpec[];
}

/** Home address of the person. */
export interface HomeAddress {
  street?: string;
  number?: string;
  postalCode?: string;
  city?: string;
  country?: string;
}

/** What a new file needs (names, exchange type and year) and may carry. */
export interface FileInput {
  personId?: number | null;
  firstName: string;
  lastName: string;
  birthDate?: string | null;
  nationality?: string | null;
  gender?: string | null;
  email?: string | null;
  esi?: string | null;
  homeAddress?: HomeAddress;
  home?: { name?: string | null; country?: string | null; schac?: string | null; erasmusCode?: string | null; pic?: string | null };
  exchangeType: string;
  public?: MobilityPublic;
  academicYear: number;
  plannedStart?: string | null;
  plannedEnd?: string | null;
  componentId?: number | null;
  /** Components whose referents approve per-component steps; defaults to the main component. */
  approvalComponents?: string[];
  referentPersonId?: number | null;
  eqfLevel?: number | null;
  isced?: string | null;
  specialNeeds?: string | null;
  /** The language the person reads, when known. */
  language?: 'fr' | 'en' | null;
}

/** A mobility file. */
export interface MobilityFile {
  id: number;
  institutionId: number;
  personId: number | null;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  nationality: string | null;
  gender: string | null;
  email: string | null;
  esi: string | null;
  homeAddress: HomeAddress;
  home: { name: string | null; country: string | null; schac: string | null; erasmusCode: string | null; pic: string | null };
  exchangeType: string;
  public: MobilityPublic;
  academicYear: number;
  plannedStart: string | null;
  plannedEnd: string | null;
  componentId: number | null;
  /** Code of the main component, when there is one. */
  componentCode: string | null;
  approvalComponents: string[];
  referentPersonId: number | null;
  eqfLevel: number | null;
  isced: string | null;
  /** Restricted: only given to callers that asked for it. */
  specialNeeds?: string | null;
  status: FileStatus;
  /** The language the person reads (mail), when known. */
  language: 'fr' | 'en' | null;
  processId: number;
  currentStep: string | null;
  /** Optimistic-locking version: send it back with a transition. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Who acts: an audit actor with, for people, their person id. */
export type MobilityActor = AuditActor & {
  institutionId: number;
  personId?: number | null;
  /** The language the actor reads: messages of refused transitions (step conditions) are written in it. */
  language?: 'fr' | 'en';
};

/** An action the actor may take now on the file's current step. */
export interface AllowedAction {
  stepKey: string;
  action: TransitionAction;
  to: string | null;
  commentRequired: boolean;
  /** For a step with approvals: the approvals this actor would give (`role` or `role:component`). */
  approvals: string[];
}

/** One line of the history. */
export interface TransitionRecord {
  id: number;
  fromStep: string | null;
  toStep: string | null;
  /** `merge`: another file (a duplicate) was merged into this one; the step does not change. */
  action: 'create' | 'approve' | 'merge' | TransitionAction;
  personId: number | null;
  label: string;
  comment: string | null;
  at: Date;
}

/** One visit of a step by a file. */
export interface StepVisit {
  stepKey: string;
  state: 'pending' | 'active' | 'done' | 'refused' | 'abandoned';
  enteredAt: Date;
  leftAt: Date | null;
  deadlineAt: Date | null;
  approvalsDone: Array<{ key: string; personId: number | null; at: string }>;
  /** Time spent, up to now for the active step. */
  durationMs: number;
}

/** A file's history: transitions, visits, and total time per step key. */
export interface FileHistory {
  transitions: TransitionRecord[];
  visits: StepVisit[];
  timePerStep: Record<string, number>;
}
