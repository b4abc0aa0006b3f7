/**
 * The history of a file as its student reads it: one line per transition, without staff names, and
 * under a refusal its comment (line breaks kept by the view) with who wrote it, named by the role
 * they acted in — the international office, the educational referent — or "you".
 * @packageDocumentation
 */
import { coreServices } from '@smile/sdk';
import type { RoleInfo } from '@smile/sdk';
import { pick, type Ctx } from './manager-common.js';
import { roleLineage } from './role-lineage.js';
import type { FileHistory, MobilityFile, Process, TransitionRecord } from './types.js';

/** Roles whose work the student sees as the international office's. */
const OFFICE_ROLES = new Set(['manager']);


/** Whether the student reads `role`'s work as the office's (the office's role or one under it). */
export const isOfficeRole = (roles: RoleInfo[], role: string): boolean => roleLineage(roles, role).some((k) => OFFICE_ROLES.has(k));

/** A role's name in the middle of a sentence: "Educational referent" → "educational referent" (an acronym stays). */
const inSentence = (name: string): string => (name.length > 1 && name[1] === name[1]!.toLocaleLowerCase() ? name[0]!.toLocaleLowerCase() + name.slice(1) : name);

/** One line of the student's history; `comment` and `commentBy` only for a refusal. */
export interface TimelineLine {
  at: Date;
  text: string;
  comment: string;
  /** Who wrote the comment, as the label before it ("Comment from the educational referent:"). */
  commentBy: string;
}

/**
 * Who refused, as the student may know it: the file's person themself; else the role of the step
 * (its owner, then its approvals) the person held, so a referent's refusal of a step the office
 * owns still reads as the referent's; else the step's owner (the platform's own refusals, a role
 * taken away since). The office's roles read as the office.
 */
async function refuserLabel(ctx: Ctx, roles: RoleInfo[], process: Process, file: MobilityFile, x: TransitionRecord, held: (personId: number) => Promise<Set<string>>): Promise<string> {
  if (x.personId !== null && x.personId === file.personId) return ctx.t('mobility:student.file.commentBy.you');
  const step = process.steps.find((s) => s.key === x.fromStep);
  const candidates = [...new Set([step?.owner, ...(step?.approvals ?? []).map((a) => a.role)])].filter((r): r is string => !!r && r !== 'student');
  const mine = x.personId !== null ? await held(x.personId) : new Set<string>();
  const role = candidates.find((r) => mine.has(r)) ?? candidates[0];
  if (!role || isOfficeRole(roles, role)) return ctx.t('mobility:student.file.commentBy.office');
  const name = pick(ctx.language, roles.find((r) => r.key === role)?.name) || role;
  return ctx.t('mobility:student.file.commentBy.role', { role: name, roleInSentence: inSentence(name) });
}

/** The file's history, most recent first, in the reader's language. */
export async function timelineOf(ctx: Ctx, process: Process, history: FileHistory, file: MobilityFile, roles: RoleInfo[]): Promise<TimelineLine[]> {
  const label = (key: string | null) => pick(ctx.language, process.steps.find((s) => s.key === key)?.label) || key || '';
  const cache = new Map<number, Promise<Set<string>>>();
  const held = (personId: number): Promise<Set<string>> => {
    let p = cache.get(personId);
    if (!p) {
      p = ctx.resolve(coreServices.roles).assignments(ctx.institution.id, personId).then((list) => new Set(list.flatMap((a) => roleLineage(roles, a.role))));
      cache.set(personId, p);
    }
    return p;
  };
  const lines: TimelineLine[] = [];
  for (const x of [...history.transitions].reverse()) {
    const text =
      x.action === 'create' ? ctx.t('mobility:student.timeline.create', { step: label(x.toStep) })
      : x.action === 'approve' ? ctx.t('mobility:student.timeline.approve', { step: label(x.fromStep) })
      : x.action === 'refuse' ? ctx.t('mobility:student.timeline.refuse', { step: label(x.fromStep), to: label(x.toStep) })
      : x.action === 'abandon' ? ctx.t('mobility:student.timeline.abandon', { step: label(x.fromStep) })
      : x.action === 'merge' ? ctx.t('mobility:student.timeline.merge')
      : x.toStep ? ctx.t('mobility:student.timeline.validate', { step: label(x.fromStep), to: label(x.toStep) })
      : ctx.t('mobility:student.timeline.end', { step: label(x.fromStep) });
    // only refusal comments are written for the student (the refusal form says so)
    const comment = x.action === 'refuse' ? x.comment ?? '' : '';
    lines.push({ at: x.at, text, comment, commentBy: comment ? await refuserLabel(ctx, roles, process, file, x, held) : '' });
  }
  return lines;
}
