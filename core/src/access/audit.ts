import type { Knex } from 'knex';
import type { AuditActor, AuditEntry, AuditLog, RequestContext } from '@smile/sdk';

const isRequest = (a: RequestContext | AuditActor): a is RequestContext => typeof (a as RequestContext).koa === 'object';

/** Who acted, from a request (the principal, its address) or as given. */
export function actorOf(a: RequestContext | AuditActor): AuditActor {
  if (!isRequest(a)) return a;
  return { institutionId: a.institution.id, personId: a.principal.personId ?? null, label: a.principal.label, ip: a.koa.ip || null, requestId: a.requestId };
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** The audit log: rows appended to `audit_log`, which the database refuses to update or delete. */
export class AuditLogImpl implements AuditLog {
  constructor(private knex: Knex) {}

  async record(actor: RequestContext | AuditActor, e: AuditEntry, opts: { trx?: Knex.Transaction } = {}): Promise<void> {
    const a = actorOf(actor);
    await (opts.trx ?? this.knex)('audit_log').insert({
      institution_id: a.institutionId, actor_person_id: a.personId ?? null, actor_label: a.label.slice(0, 300), ip: a.ip?.slice(0, 64) ?? null,
      request_id: a.requestId ?? null, action: e.action, outcome: e.outcome ?? 'success', target_type: e.targetType ?? null,
      target_id: e.targetId === undefined || e.targetId === null ? null : String(e.targetId), before: json(e.before), after: json(e.after), detail: json(e.detail),
    });
  }
}
