import type { StepSpec } from './types.js';
import { FILE_STATUSES } from './types.js';

const KEY = /^[a-z][a-z0-9-]{0,63}$/;
const ACTIONS = new Set(['validate', 'refuse', 'abandon']);

/**
 * Why a list of steps cannot be published (one message per problem), or `[]`: at least one step,
 * unique well-formed keys, labels in both languages, transitions to existing keys, a comment
 * required on every refusal, every step reachable from the first one.
 */
export function processProblems(steps: readonly StepSpec[]): string[] {
  const p: string[] = [];
  if (!Array.isArray(steps) || steps.length === 0) return ['a process needs at least one step'];
  const keys = new Set<string>();
  for (const s of steps) {
    if (typeof s.key !== 'string' || !KEY.test(s.key)) p.push(`step key "${String(s.key)}" is invalid (lower-case letters, digits and dashes)`);
    else if (keys.has(s.key)) p.push(`step key "${s.key}" is used twice`);
    keys.add(s.key);
    if (!s.label?.fr?.trim() || !s.label?.en?.trim()) p.push(`step "${s.key}" needs a label in French and in English`);
    if (typeof s.owner !== 'string' || !s.owner.trim()) p.push(`step "${s.key}" needs an owner (student or a role)`);
    if (s.terminalStatus != null && !(FILE_STATUSES as readonly string[]).includes(s.terminalStatus)) p.push(`step "${s.key}" has an unknown terminal status "${s.terminalStatus}"`);
    for (const a of s.approvals ?? []) if (!a?.role) p.push(`step "${s.key}" has an approval without a role`);
    if (s.deadline && !('absolute' in s.deadline ? !Number.isNaN(Date.parse(s.deadline.absolute)) : Number.isInteger(s.deadline.relativeDays) && s.deadline.relativeDays >= 0))
      p.push(`step "${s.key}" has an invalid deadline`);
  }
  for (const s of steps) {
    const seen = new Set<string>();
    for (const tr of s.transitions ?? []) {
      if (!ACTIONS.has(tr.action)) p.push(`step "${s.key}" has an unknown action "${tr.action}"`);
      else if (seen.has(tr.action)) p.push(`step "${s.key}" has two "${tr.action}" transitions`);
      seen.add(tr.action);
      if (tr.to !== null && !keys.has(tr.to)) p.push(`step "${s.key}": "${tr.action}" goes to "${tr.to}", which is not a step of this process`);
      if (tr.action === 'refuse' && !tr.commentRequired) p.push(`step "${s.key}": a refusal must require a comment`);
    }
    if (!s.terminalStatus && (s.transitions ?? []).length === 0) p.push(`step "${s.key}" has no way out and no terminal status`);
  }
  if (p.length) return p;
  const reached = new Set<string>([steps[0]!.key]);
  const queue = [steps[0]!];
  const byKey = new Map(steps.map((s) => [s.key, s]));
  while (queue.length) {
    for (const tr of queue.shift()!.transitions ?? []) {
      if (tr.to !== null && !reached.has(tr.to)) {
        reached.add(tr.to);
        queue.push(byKey.get(tr.to)!);
      }
    }
  }
  for (const s of steps) if (!reached.has(s.key)) p.push(`step "${s.key}" cannot be reached from "${steps[0]!.key}"`);
  return p;
}

const refuse = (to: string) => ({ action: 'refuse' as const, to, commentRequired: true });
const abandon = { action: 'abandon' as const, to: null, commentRequired: false };

/**
 * The process the seed system runs: pre-registration → registered, waiting for the office →
 * course selection (student) → the educational referent → the host institution → the student →
 * Learning Agreement generated. Refusals go back to the last student step, with a comment.
 */
export function defaultSteps(): StepSpec[] {
  return [
    {
      key: 'pre-registration',
      label: { fr: 'Pré-inscription', en: 'Pre-registration' },
      owner: 'student',
      requiredDocuments: ['passport', 'transcript', 'language-certificate'],
      deadline: { relativeDays: 30, from: 'stepStart' },
      reminders: [{ daysBefore: 7 }, { daysBefore: 1 }],
      transitions: [{ action: 'validate', to: 'office-validation' }, abandon],
    },
    {
      key: 'office-validation',
      label: { fr: 'Inscrit, en attente de validation par le bureau', en: 'Registered, waiting for office validation' },
      owner: 'manager',
      transitions: [{ action: 'validate', to: 'course-selection' }, refuse('pre-registration'), abandon],
    },
    {
      key: 'course-selection',
      label: { fr: 'Choix des cours', en: 'Course selection' },
      owner: 'student',
      deadline: { relativeDays: 30, from: 'stepStart' },
      reminders: [{ daysBefore: 7 }, { daysBefore: 1 }],
      transitions: [{ action: 'validate', to: 'referent-approval' }, abandon],
    },
    {
      key: 'referent-approval',
      label: { fr: 'Validation par le référent pédagogique', en: 'Approval by the educational referent' },
      owner: 'referent',
      ownerScopeComponent: true,
      approvals: [{ role: 'referent', perComponent: true }],
      deadline: { relativeDays: 14, from: 'stepStart' },
      reminders: [{ daysBefore: 3 }],
      transitions: [{ action: 'validate', to: 'host-approval' }, refuse('course-selection'), abandon],
    },
    {
      key: 'host-approval',
      label: { fr: 'Validation par l’établissement d’accueil', en: 'Approval by the host institution' },
      owner: 'manager',
      transitions: [{ action: 'validate', to: 'student-approval' }, refuse('course-selection'), abandon],
    },
    {
      key: 'student-approval',
      label: { fr: 'Validation par l’étudiant', en: 'Approval by the student' },
      owner: 'student',
      deadline: { relativeDays: 14, from: 'stepStart' },
      reminders: [{ daysBefore: 3 }],
      transitions: [{ action: 'validate', to: 'la-generated' }, refuse('course-selection'), abandon],
    },
    {
      key: 'la-generated',
      label: { fr: 'Contrat d’études généré', en: 'Learning Agreement generated' },
      owner: 'manager',
      transitions: [],
      terminalStatus: 'validated',
    },
  ];
}

/** The exchange types every institution starts with (an editable list). */
export const DEFAULT_EXCHANGE_TYPES: ReadonlyArray<{ code: string; fr: string; en: string }> = [
  { code: 'first-semester', fr: 'Premier semestre', en: 'First semester' },
  { code: 'second-semester', fr: 'Second semestre', en: 'Second semester' },
  { code: 'full-year', fr: 'Année complète', en: 'Full year' },
  { code: 'exchange-programme', fr: 'Programme d’échange', en: 'Exchange programme' },
  { code: 'erasmus-mundus', fr: 'Erasmus Mundus', en: 'Erasmus Mundus' },
  { code: 'cross-border-alliance', fr: 'Études en alliance transfrontalière', en: 'Cross-border alliance study' },
  { code: 'double-degree', fr: 'Double diplôme', en: 'Double degree' },
  { code: 'study-traineeship', fr: 'Études et stage combinés', en: 'Combined study and traineeship' },
];
