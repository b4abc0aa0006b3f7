import type { Knex } from 'knex';
import type { AuditLog, CoreHooks, Identity, Logger, Person, RequestContext, SignInIdentity, SignInResult } from '@smile/sdk';
import type { RolesService } from './roles.js';
import type { SessionStore } from '../http/sessions.js';

const toPerson = (r: any): Person => ({ id: r.id, displayName: r.display_name, givenName: r.given_name, familyName: r.family_name, email: r.email });
const clip = (v: string | undefined | null, n: number) => (v ? v.trim().slice(0, n) || null : null);

/** Attribute values as arrays of short strings (what the session and the rules may rely on). */
function cleanAttributes(attrs: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) {
    const list = (Array.isArray(v) ? v : [v]).filter((x) => typeof x === 'string' || typeof x === 'number').map((x) => String(x).slice(0, 2000));
    if (list.length) out[k.slice(0, 200)] = list.slice(0, 200);
  }
  return out;
}

/** People and sign-in (`coreServices.identity`). */
export class IdentityService implements Identity {
  constructor(
    private knex: Knex,
    private roles: RolesService,
    private audit: AuditLog,
    private sessions: () => SessionStore,
    private hooks: CoreHooks,
    private log: Logger,
  ) {}

  async signIn(ctx: RequestContext, identity: SignInIdentity, opts: { session?: Record<string, unknown>; personId?: number } = {}): Promise<SignInResult> {
    const inst = ctx.institution;
    const attributes = cleanAttributes(identity.attributes);
    // computed before the transaction: PGlite has one connection
    const prepared = await this.roles.prepareRules(inst.id, attributes);
    const names = {
      display_name: clip(identity.displayName, 300) ?? ([identity.givenName, identity.familyName].filter(Boolean).join(' ').trim() || clip(identity.email, 300) || identity.subject.slice(0, 300)),
      given_name: clip(identity.givenName, 200),
      family_name: clip(identity.familyName, 200),
      email: clip(identity.email, 320),
    };
    const attempt = () =>
      this.knex.transaction(async (trx) => {
        const link = await trx('person_identities').where({ provider: identity.provider, issuer: identity.issuer, subject: identity.subject }).first('id', 'person_id');
        let personId = link?.person_id ?? opts.personId ?? null;
        let created = false;
        if (personId === null) {
          const [row] = await trx('persons').insert(names).returning('id');
          personId = row.id as number;
          created = true;
        } else {
          // keep what the person's IdP says now; a local sign-in without names keeps the known ones
          const patch = Object.fromEntries(Object.entries(names).filter(([, v]) => v !== null));
          await trx('persons').where({ id: personId }).update({ ...patch, updated_at: trx.fn.now() });
        }
        if (link) await trx('person_identities').where({ id: link.id }).update({ attributes: JSON.stringify(attributes), last_sign_in_at: trx.fn.now() });
        else await trx('person_identities').insert({ person_id: personId, provider: identity.provider, issuer: identity.issuer, subject: identity.subject, attributes: JSON.stringify(attributes), last_sign_in_at: trx.fn.now() });
        await trx('institution_people').insert({ institution_id: inst.id, person_id: personId, last_sign_in_at: trx.fn.now() }).onConflict(['institution_id', 'person_id']).merge(['last_sign_in_at']);
        const changes = await this.roles.applyRules(trx, inst.id, personId!, prepared);
        const person = toPerson(await trx('persons').where({ id: personId }).first());
        await this.audit.record(
          { institutionId: inst.id, personId, label: person.displayName, ip: ctx.koa.ip || null, requestId: ctx.requestId },
          { action: 'core.sign-in.succeeded', targetType: 'person', targetId: personId, detail: { provider: identity.provider, issuer: identity.issuer, subject: identity.subject, created, rolesAdded: changes.added, rolesRemoved: changes.removed } },
          { trx },
        );
        return { person, created };
      });
    let out: { person: Person; created: boolean };
    try {
      out = await attempt();
    } catch (e) {
      // two first sign-ins of the same identity at once: the loser links to the winner's person
      if ((e as { code?: string }).code !== '23505') throw e;
      out = await attempt();
    }
    const roles = (await this.roles.principalFor(inst.id, out.person.id)).roles;
    ctx.session.signIn({ ...opts.session, personId: out.person.id, label: out.person.displayName, provider: identity.provider });
    try {
      await this.hooks.afterSignIn.promise({ institution: inst, person: out.person, identity: { ...identity, attributes }, roles, created: out.created });
    } catch (e) {
      this.log.error({ err: String(e), personId: out.person.id }, 'afterSignIn tap failed; the sign-in stands');
    }
    return { person: out.person, roles, created: out.created };
  }

  async signInFailed(ctx: RequestContext, f: { provider: string; reason: string; subject?: string; detail?: Record<string, unknown> }): Promise<void> {
    this.log.warn({ requestId: ctx.requestId, provider: f.provider, reason: f.reason }, 'sign-in refused');
    await this.audit.record(ctx, { action: 'core.sign-in.failed', outcome: 'failure', targetType: f.subject ? 'subject' : undefined, targetId: f.subject?.slice(0, 200), detail: { provider: f.provider, reason: f.reason, ...f.detail } });
  }

  async person(id: number): Promise<Person | null> {
    const r = await this.knex('persons').where({ id }).first();
    return r ? toPerson(r) : null;
  }

  async findByIdentity(provider: string, issuer: string, subject: string): Promise<Person | null> {
    const r = await this.knex('persons as p').join('person_identities as i', 'i.person_id', 'p.id').where({ 'i.provider': provider, 'i.issuer': issuer, 'i.subject': subject }).first('p.*');
    return r ? toPerson(r) : null;
  }

  async findByEmail(email: string): Promise<Person[]> {
    const rows = await this.knex('persons').whereRaw('lower(email) = lower(?)', [email.trim()]).orderBy('id');
    return rows.map(toPerson);
  }

  async createPerson(data: { displayName: string; givenName?: string | null; familyName?: string | null; email?: string | null }, opts: { trx?: Knex.Transaction } = {}): Promise<Person> {
    const [row] = await (opts.trx ?? this.knex)('persons')
      .insert({ display_name: clip(data.displayName, 300) ?? 'unknown', given_name: clip(data.givenName, 200), family_name: clip(data.familyName, 200), email: clip(data.email, 320) })
      .returning('*');
    return toPerson(row);
  }

  async linkIdentity(personId: number, identity: Pick<SignInIdentity, 'provider' | 'issuer' | 'subject'>, opts: { trx?: Knex.Transaction } = {}): Promise<void> {
    await (opts.trx ?? this.knex)('person_identities').insert({ person_id: personId, provider: identity.provider, issuer: identity.issuer, subject: identity.subject });
  }

  async lastAttributes(personId: number, provider?: string): Promise<Record<string, string[]>> {
    const q = this.knex('person_identities').where({ person_id: personId }).orderByRaw('last_sign_in_at desc nulls last').first('attributes');
    if (provider) q.andWhere({ provider });
    return (await q)?.attributes ?? {};
  }

  async signOutEverywhere(personId: number): Promise<number> {
    return this.sessions().deleteByPerson(personId);
  }
}
