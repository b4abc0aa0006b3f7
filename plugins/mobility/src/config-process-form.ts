/**
 * The process editor's form, apart from HTTP: steps as typed (strings, so that nothing typed is
 * lost when the form comes back with errors), read from a posted body, edited by the no-JS
 * operations (add, remove, move), checked with messages in the reader's language next to each
 * field, and turned into the engine's {@link StepSpec}.
 * @packageDocumentation
 */
import { formField as field, formFields as fields } from '@smile/sdk';
import type { FileStatus, StepSpec, TransitionSpec } from './types.js';
import { FILE_STATUSES } from './types.js';
import { dayOf, endOfDay, isDay, type FieldErrors } from './config-common.js';

/** The "end of the file" choice of a transition target. */
export const END = '__end';
export const DEADLINE_KINDS = ['none', 'absolute', 'stepStart', 'fileStart'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
/** Statuses a step may end a file with. */
export const TERMINAL_STATUSES: readonly FileStatus[] = FILE_STATUSES.filter((s) => s !== 'nominated' && s !== 'in_progress');
/** Most steps a process may have (the form's size stays within the request limits). */
export const MAX_STEPS = 40;
const MAX_APPROVALS = 10;
const KEY = /^[a-z][a-z0-9-]{0,63}$/;

/** One step as typed in the form. */
export interface StepForm {
  key: string;
  /** The key comes from a published version: it is the step's identity and cannot change. */
  fixed: boolean;
  labelFr: string;
  labelEn: string;
  owner: string;
  scope: boolean;
  documents: string[];
  approvals: Array<{ role: string; perComponent: boolean }>;
  deadlineKind: DeadlineKind;
  deadlineDate: string;
  deadlineDays: string;
  reminders: string;
  validateTo: string;
  refuseTo: string;
  abandon: boolean;
  terminal: string;
}

/** What the checks need to know about the institution. */
export interface Known {
  roles: Set<string>;
  documents: Set<string>;
  /** Today in the office's time zone, `YYYY-MM-DD`. */
  today: string;
  /** Label of a day for messages. */
  formatDay: (day: string) => string;
  /** A step's label in the reader's language. */
  label: (s: Pick<StepForm, 'labelFr' | 'labelEn' | 'key'>) => string;
}

/** A message in the reader's language. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** A published step as the form shows it. */
export function formOf(s: StepSpec): StepForm {
  const target = (a: string) => {
    const tr = s.transitions.find((x) => x.action === a);
    return !tr ? '' : tr.to === null ? END : tr.to;
  };
  const d = s.deadline ?? null;
  return {
    key: s.key, fixed: true, labelFr: s.label.fr, labelEn: s.label.en, owner: s.owner, scope: !!s.ownerScopeComponent,
    documents: [...(s.requiredDocuments ?? [])],
    approvals: (s.approvals ?? []).map((a) => ({ role: a.role, perComponent: !!a.perComponent })),
    deadlineKind: !d ? 'none' : 'absolute' in d ? 'absolute' : d.from,
    deadlineDate: d && 'absolute' in d ? (isDay(d.absolute) ? d.absolute : dayOf(new Date(d.absolute))) : '',
    deadlineDays: d && !('absolute' in d) ? String(d.relativeDays) : '',
    reminders: (s.reminders ?? []).map((r) => r.daysBefore).join(', '),
    validateTo: target('validate'), refuseTo: target('refuse'), abandon: s.transitions.some((x) => x.action === 'abandon'),
    terminal: s.terminalStatus ?? '',
  };
}

/** A new, empty step. */
export const blankStep = (): StepForm => ({
  key: '', fixed: false, labelFr: '', labelEn: '', owner: '', scope: false, documents: [], approvals: [], deadlineKind: 'none',
  deadlineDate: '', deadlineDays: '', reminders: '', validateTo: '', refuseTo: '', abandon: true, terminal: '',
});

/** A key made from a label: "Visa check" → `visa-check`. */
export function slug(label: string): string {
  const s = label.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56).replace(/-+$/, '');
  if (!s) return '';
  return /^[a-z]/.test(s) ? s : `step-${s}`;
}

/**
 * The steps of a posted form. A key is taken as fixed only when it belongs to the version the form
 * was built on (`baseKeys`), whatever the form claims; new steps without a key get one from their
 * label, unique in the form.
 */
export function readSteps(body: unknown, baseKeys: ReadonlySet<string>): StepForm[] {
  const n = Math.min(MAX_STEPS + 1, Math.max(0, Number.parseInt(field(body, 'steps'), 10) || 0));
  const steps: StepForm[] = [];
  for (let i = 0; i < n; i++) {
    const f = (name: string, keep = false) => field(body, `s${i}-${name}`, keep).slice(0, 300);
    const key = f('key').toLowerCase();
    const approvals: StepForm['approvals'] = [];
    const count = Math.min(MAX_APPROVALS + 1, Math.max(0, Number.parseInt(f('approvals'), 10) || 0));
    for (let j = 0; j < count; j++) {
      const role = f(`approval${j}-role`);
      if (role) approvals.push({ role, perComponent: f(`approval${j}-perComponent`) === 'on' });
    }
    const kind = f('deadline') as DeadlineKind;
    steps.push({
      key, fixed: f('fixed') === '1' && baseKeys.has(key), labelFr: f('labelFr'), labelEn: f('labelEn'), owner: f('owner'), scope: f('scope') === 'on',
      documents: fields(body, `s${i}-documents`), approvals, deadlineKind: DEADLINE_KINDS.includes(kind) ? kind : 'none',
      deadlineDate: f('deadlineDate').slice(0, 10), deadlineDays: f('deadlineDays').slice(0, 6), reminders: f('reminders').slice(0, 100),
      validateTo: f('validateTo'), refuseTo: f('refuseTo'), abandon: f('abandon') === 'on', terminal: f('terminal'),
    });
  }
  deriveKeys(steps);
  return steps;
}

/** Give keyless new steps a key from their label, unique among the steps. */
export function deriveKeys(steps: StepForm[]): void {
  const used = new Set(steps.map((s) => s.key).filter(Boolean));
  for (const s of steps) {
    if (s.fixed || s.key) continue;
    const base = slug(s.labelEn || s.labelFr);
    if (!base) continue;
    let key = base;
    for (let k = 2; used.has(key); k++) key = `${base}-${k}`;
    s.key = key;
    used.add(key);
  }
}

/** An editing operation of the form (`op` button): add, remove, move up or down a step. */
export function applyOp(steps: StepForm[], op: string): { steps: StepForm[]; focus: string | null } {
  const out = [...steps];
  if (op === 'add') {
    if (out.length >= MAX_STEPS) return { steps: out, focus: null };
    out.push(blankStep());
    return { steps: out, focus: `s${out.length - 1}-labelFr` };
  }
  const m = /^(remove|up|down):(\d{1,3})$/.exec(op);
  const i = m ? Number(m[2]) : -1;
  if (!m || i >= out.length) return { steps: out, focus: null };
  if (m[1] === 'remove') {
    out.splice(i, 1);
    return { steps: out, focus: out.length ? `s${Math.min(i, out.length - 1)}-labelFr` : 'add-step' };
  }
  const j = m[1] === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= out.length) return { steps: out, focus: null };
  [out[i], out[j]] = [out[j]!, out[i]!];
  return { steps: out, focus: `s${j}-${m[1]}` };
}

/** `"7, 1"` → `[7, 1]`, or `null` when not a list of whole numbers. */
export function reminderDays(raw: string): number[] | null {
  const items = raw.split(/[,;\s]+/).filter(Boolean);
  if (!items.every((x) => /^-?\d{1,3}$/.test(x))) return null;
  return [...new Set(items.map(Number))].sort((a, b) => b - a);
}

/**
 * Everything wrong with the steps, each message on the field concerned (`s<i>-<field>`, or `s<i>`
 * for the whole step, `steps` for the process). The engine's own check stays as the last guard.
 */
export function checkSteps(steps: StepForm[], known: Known, t: Translate): FieldErrors {
  const e: FieldErrors = {};
  const put = (id: string, key: string, vars?: Record<string, string | number>) => {
    if (!e[id]) e[id] = t(`mobility:config.process.errors.${key}`, vars);
  };
  if (!steps.length) put('steps', 'noSteps');
  if (steps.length > MAX_STEPS) put('steps', 'tooMany', { max: MAX_STEPS });
  const keys = new Set<string>();
  steps.forEach((s, i) => {
    const p = `s${i}`;
    if (!s.key) put(`${p}-key`, 'keyRequired');
    else if (!KEY.test(s.key)) put(`${p}-key`, 'keyFormat');
    else if (keys.has(s.key)) put(`${p}-key`, 'keyTwice', { key: s.key });
    keys.add(s.key);
    if (!s.labelFr) put(`${p}-labelFr`, 'labelFr');
    if (!s.labelEn) put(`${p}-labelEn`, 'labelEn');
    if (!s.owner) put(`${p}-owner`, 'owner');
    else if (s.owner !== 'student' && !known.roles.has(s.owner)) put(`${p}-owner`, 'unknownRole', { role: s.owner });
    const doc = s.documents.find((d) => !known.documents.has(d));
    if (doc) put(`${p}-documents`, 'document', { code: doc });
    const role = s.approvals.find((a) => !known.roles.has(a.role));
    if (role) put(`${p}-approvals`, 'unknownRole', { role: role.role });
    if (s.deadlineKind === 'absolute') {
      if (!isDay(s.deadlineDate)) put(`${p}-deadlineDate`, 'deadlineDate');
      else if (s.deadlineDate < known.today) put(`${p}-deadlineDate`, 'deadlinePast', { date: known.formatDay(s.deadlineDate) });
    } else if (s.deadlineKind !== 'none') {
      if (!/^\d{1,4}$/.test(s.deadlineDays)) put(`${p}-deadlineDays`, 'deadlineDays');
    }
    const days = reminderDays(s.reminders);
    if (days === null) put(`${p}-reminders`, 'reminders');
    else if (days.length && s.deadlineKind === 'none') put(`${p}-reminders`, 'remindersNoDeadline');
    if (s.terminal && !(TERMINAL_STATUSES as readonly string[]).includes(s.terminal)) put(`${p}-terminal`, 'terminal');
    if (!s.terminal && !s.validateTo && !s.refuseTo && !s.abandon) put(p, 'noWayOut');
  });
  steps.forEach((s, i) => {
    for (const [f, to] of [['validateTo', s.validateTo], ['refuseTo', s.refuseTo]] as const) {
      if (to && to !== END && !keys.has(to)) put(`s${i}-${f}`, 'target');
    }
  });
  if (Object.keys(e).length || !steps.length) return e;
  // every step must be reachable from the first one, or files could never get there
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const reached = new Set([steps[0]!.key]);
  const queue = [steps[0]!];
  while (queue.length) {
    const s = queue.shift()!;
    for (const to of [s.validateTo, s.refuseTo]) {
      if (to && to !== END && !reached.has(to)) {
        reached.add(to);
        queue.push(byKey.get(to)!);
      }
    }
  }
  steps.forEach((s, i) => {
    if (!reached.has(s.key)) put(`s${i}`, 'unreachable', { first: known.label(steps[0]!) });
  });
  return e;
}

/** A checked form step as the engine publishes it. */
export function specOf(s: StepForm): StepSpec {
  const transitions: TransitionSpec[] = [];
  const to = (v: string) => (v === END ? null : v);
  if (s.validateTo) transitions.push({ action: 'validate', to: to(s.validateTo) });
  // a refusal always tells the student why
  if (s.refuseTo) transitions.push({ action: 'refuse', to: to(s.refuseTo), commentRequired: true });
  if (s.abandon) transitions.push({ action: 'abandon', to: null, commentRequired: false });
  const deadline = s.deadlineKind === 'none' ? null
    : s.deadlineKind === 'absolute' ? { absolute: endOfDay(s.deadlineDate).toISOString() }
      : { relativeDays: Number(s.deadlineDays), from: s.deadlineKind };
  return {
    key: s.key, label: { fr: s.labelFr, en: s.labelEn }, owner: s.owner, ownerScopeComponent: s.owner !== 'student' && s.scope,
    requiredDocuments: [...new Set(s.documents)], approvals: s.approvals.map((a) => ({ role: a.role, perComponent: a.perComponent })),
    deadline, reminders: deadline ? (reminderDays(s.reminders) ?? []).map((daysBefore) => ({ daysBefore })) : [],
    transitions, terminalStatus: (s.terminal || null) as FileStatus | null,
  };
}
