/**
 * The approvals the mobility engine records on a visit of the referents' step
 * (`mobility_file_steps.approvals_done`: `{ key: 'referent:LAW', personId }`), read inside a
 * transaction.
 * @packageDocumentation
 */
import type { Knex } from 'knex';

/** The step where referents decide (key of the seeded process). */
export const APPROVAL_STEP = 'referent-approval';

/** Components (or `null`: no component) whose approval is recorded in a step visit's approvals, for a person or anyone. */
export function approvedComponents(approvals: Array<{ key: string; personId: number | null }>, personId?: number | null): Array<string | null> {
  return approvals
    .filter((a) => personId === undefined || a.personId === personId)
    .map((a) => {
      const i = a.key.indexOf(':');
      return i < 0 ? null : a.key.slice(i + 1);
    });
}

/** The approvals recorded on the latest visit of the referents' step. */
export async function approvalsOf(trx: Knex | Knex.Transaction, fileId: number, active = false): Promise<Array<{ key: string; personId: number | null }>> {
  const q = trx('mobility_file_steps').where({ file_id: fileId, step_key: APPROVAL_STEP }).orderBy('id', 'desc').first('approvals_done', 'state');
  const visit = await q;
  if (!visit || (active && visit.state !== 'active')) return [];
  const v = visit.approvals_done;
  return (typeof v === 'string' ? JSON.parse(v) : v) ?? [];
}

