import type { Knex } from 'knex';
import { ErrorCodes, SmileError, createServiceRef } from '@smile/sdk';
import type { AuditActor, AuditLog, Database, EventBus, Logger, RequestContext } from '@smile/sdk';
import { chooseEsi, normaliseEsi, parseEsi } from './esi.js';
import type { EsiChoice, Issue, ParsedEsi, Result } from './esi.js';
import { esiFromIne, validateIne } from './ine.js';
import type { ParsedIne } from './ine.js';
import { issueMessage } from './strings.js';

/** Who acts: a request (its institution and person are taken from it) or an audit actor. */
export type EsiActor = RequestContext<any, any, any> | AuditActor;

/** The ESI a person holds. */
export interface PersonEsi {
  personId: number;
  esi: string;
  /** Where it came from: `sign-in`, `ine`, `manual`, or the id of the plugin that assigned it. */
  source: string;
  /** Institution where it was recorded, if any. */
  institutionId: number | null;
  updatedAt: Date;
}

/** One side of a conflict, as an institution may see it. */
export interface ConflictPerson {
  id: number;
  /** `null` when the person is not known to the institution asking (their name stays private). */
  displayName: string | null;
  email: string | null;
}

/** Two people presented the same ESI; nothing was merged. */
export interface EsiConflict {
  id: number;
  esi: string;
  /** The person who held the ESI when the conflict was found. */
  holder: ConflictPerson;
  /** The person who presented it as well. */
  claimant: ConflictPerson;
  source: string;
  institutionId: number | null;
  status: 'open' | 'resolved';
  detectedAt: Date;
  resolvedAt: Date | null;
  kept: 'holder' | 'claimant' | null;
}

/**
 * What {@link EsiService.assign} did. `created`: first ESI of the person; `unchanged`: they already
 * held it; `replaced`: their previous ESI (in `previous`) gave way; `kept`: they keep an ESI from a
 * more authoritative source (a manager's choice or the INE beats a sign-in attribute).
 */
export type AssignResult =
  | { ok: true; esi: string; change: 'created' | 'unchanged' | 'replaced' | 'kept'; previous?: string }
  | { ok: false; conflict: EsiConflict };

/** The ESI service other plugins use (files, learning agreements, EWP): `ctx.resolve(esiService)`. */
export interface EsiService {
  /** Parse and validate an ESI (see `parseEsi`). */
  parse(value: unknown): Result<{ esi: ParsedEsi }>;
  /** The normalised ESI, or null. */
  normalise(value: unknown): string | null;
  /** Pick the ESI among the values of `schacPersonalUniqueCode`. */
  choose(values: readonly unknown[] | undefined | null): EsiChoice;
  /** Validate a French INE (format and check key). */
  validateIne(ine: unknown): Result<{ ine: ParsedIne }>;
  /**
   * The ESI built from an INE: `urn:schac:personalUniqueCode:int:esi:fr:<INE>`. Provisional INEs are
   * refused unless `allowProvisional` (default: the `allowProvisionalIne` setting).
   */
  fromIne(ine: unknown, opts?: { allowProvisional?: boolean }): Result<{ esi: string; ine: ParsedIne }>;
  /** The reason of a refusal as text (logs, messages outside a request). */
  message(issue: Issue, lang?: 'fr' | 'en'): string;
  /** The ESI of a person, or null. */
  forPerson(personId: number): Promise<PersonEsi | null>;
  /** The person holding an ESI (any accepted spelling), or null. */
  personFor(esi: string): Promise<number | null>;
  /**
   * Give `personId` the ESI `esi`. When another person holds it, nothing changes and a conflict is
   * recorded for managers (`{ ok: false, conflict }`). Audited. Throws {@link EsiError} (400) for a
   * malformed ESI and a `SMILE_ERR_NOT_FOUND` error for an unknown person.
   */
  assign(actor: EsiActor, personId: number, esi: string, source: string): Promise<AssignResult>;
  /** Open conflicts involving at least one person the institution knows. */
  conflicts(institutionId: number): Promise<EsiConflict[]>;
  /** One conflict (open or resolved) involving a person the institution knows, or null. */
  conflict(institutionId: number, id: number): Promise<EsiConflict | null>;
  /**
   * Resolve an open conflict: `holder` keeps the ESI, or the `claimant` gets it (the holder loses it).
   * Audited. 404 when the institution knows neither person, 409 when already resolved.
   */
  resolve(actor: EsiActor, institutionId: number, conflictId: number, keep: 'holder' | 'claimant'): Promise<EsiConflict>;
}

/** The ref of {@link EsiService}; other plugins list `esi` in `dependsOn` and resolve it. */
export const esiService = createServiceRef<EsiService>({ id: 'esi.service' });

const ESI_ERROR = Symbol.for('smile.esi.EsiError');

/**
 * A malformed ESI or INE given to the service; `issue` is the reason (`esi:errors.<code>`).
 * `instanceof EsiError` holds across copies of this module (the platform may load its own).
 */
export class EsiError extends SmileError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ESI_ERROR] === true;
  }
  readonly [ESI_ERROR] = true;
  constructor(readonly issue: Issue) {
    super(ErrorCodes.VALIDATION, issueMessage(issue, 'en'), { status: 400, plugin: 'esi' });
    this.name = 'EsiError';
  }
}

/** Sources that may replace an ESI from another source only if at least as authoritative. */
const RANK: Record<string, number> = { manual: 3, ine: 2 };
const rank = (source: string) => RANK[source] ?? 1;
const SOURCE = /^[a-z][a-z0-9-]{0,29}$/;

class Retry extends Error {}
const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

function actorIds(actor: EsiActor): { institutionId: number | null; personId: number | null } {
  if ('koa' in actor) return { institutionId: actor.institution.id, personId: actor.principal.personId ?? null };
  return { institutionId: actor.institutionId, personId: actor.personId ?? null };
}

/**
 * Conflicts visible to `institutionId`: at least one of the two people is known there. Names and
 * e-mail addresses of a person the institution does not know are left out.
 */
export function conflictQuery(knex: Knex | Knex.Transaction, institutionId: number): Knex.QueryBuilder {
  const known = (alias: string, column: string) =>
    function (this: Knex.JoinClause) {
      this.on(`${alias}.person_id`, '=', column).andOn(`${alias}.institution_id`, '=', knex.raw('?', [institutionId]));
    };
  const ifKnown = (alias: string, expr: string, as: string) => knex.raw(`case when ${alias}.person_id is null then null else ${expr} end as ${as}`);
  return knex('esi_conflicts as c')
    .join('persons as h', 'h.id', 'c.holder_person_id')
    .join('persons as p', 'p.id', 'c.claimant_person_id')
    .leftJoin('institution_people as hk', known('hk', 'c.holder_person_id'))
    .leftJoin('institution_people as ck', known('ck', 'c.claimant_person_id'))
    .where((q) => q.whereNotNull('hk.person_id').orWhereNotNull('ck.person_id'))
    .select(
      'c.id', 'c.esi', 'c.source', 'c.institution_id', 'c.status', 'c.detected_at', 'c.resolved_at', 'c.kept',
      'c.holder_person_id as holder_id', 'c.claimant_person_id as claimant_id',
      ifKnown('hk', 'h.display_name', 'holder_name'), ifKnown('hk', 'h.email', 'holder_email'),
      ifKnown('ck', 'p.display_name', 'claimant_name'), ifKnown('ck', 'p.email', 'claimant_email'),
    );
}

function toConflict(r: Record<string, any>): EsiConflict {
  return {
    id: Number(r.id),
    esi: r.esi,
    holder: { id: r.holder_id, displayName: r.holder_name ?? null, email: r.holder_email ?? null },
    claimant: { id: r.claimant_id, displayName: r.claimant_name ?? null, email: r.claimant_email ?? null },
    source: r.source,
    institutionId: r.institution_id ?? null,
    status: r.status,
    detectedAt: new Date(r.detected_at),
    resolvedAt: r.resolved_at ? new Date(r.resolved_at) : null,
    kept: r.kept ?? null,
  };
}

/** The ESI service: one instance for the whole platform (ESIs and persons are platform-wide). */
export class EsiStore implements EsiService {
  constructor(
    private readonly deps: { db: Database; audit: AuditLog; events: EventBus; log: Logger },
    private readonly options: { allowProvisionalIne?: boolean } = {},
  ) {}

  parse = parseEsi;
  normalise = normaliseEsi;
  choose = chooseEsi;
  validateIne = validateIne;
  message = issueMessage;

  fromIne(ine: unknown, opts: { allowProvisional?: boolean } = {}): Result<{ esi: string; ine: ParsedIne }> {
    return esiFromIne(ine, { allowProvisional: opts.allowProvisional ?? this.options.allowProvisionalIne ?? false });
  }

  async forPerson(personId: number): Promise<PersonEsi | null> {
    const r = await this.deps.db.knex('esi_assignments').where({ person_id: personId }).first();
    return r ? { personId: r.person_id, esi: r.esi, source: r.source, institutionId: r.institution_id ?? null, updatedAt: new Date(r.updated_at) } : null;
  }

  async personFor(esi: string): Promise<number | null> {
    const parsed = parseEsi(esi);
    if (!parsed.ok) return null;
    const r = await this.deps.db.knex('esi_assignments').where({ esi_key: parsed.esi.key }).first('person_id');
    return r ? Number(r.person_id) : null;
  }

  async assign(actor: EsiActor, personId: number, value: string, source: string): Promise<AssignResult> {
    const parsed = parseEsi(value);
    if (!parsed.ok) throw new EsiError(parsed.issue);
    if (!SOURCE.test(source)) throw new SmileError(ErrorCodes.VALIDATION, `"${source}" is not an ESI source name`, { status: 400, plugin: 'esi' });
    if (!Number.isSafeInteger(personId) || personId < 1) throw new SmileError(ErrorCodes.NOT_FOUND, 'no such person', { status: 404, plugin: 'esi' });
    // two sign-ins racing on the same ESI or person: the loser's transaction fails on a unique index and runs again
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.db.knex.transaction((trx) => this.assignIn(trx, actor, personId, parsed.esi, source));
      } catch (e) {
        if (attempt < 2 && (e instanceof Retry || isUniqueViolation(e))) continue;
        throw e;
      }
    }
  }

  private async assignIn(trx: Knex.Transaction, actor: EsiActor, personId: number, esi: ParsedEsi, source: string): Promise<AssignResult> {
    const { institutionId } = actorIds(actor);
    if (!(await trx('persons').where({ id: personId }).first('id'))) throw new SmileError(ErrorCodes.NOT_FOUND, 'no such person', { status: 404, plugin: 'esi' });
    const holder = await trx('esi_assignments').where({ esi_key: esi.key }).forUpdate().first();
    if (holder && holder.person_id === personId) return { ok: true, esi: holder.esi, change: 'unchanged' };
    if (holder) return { ok: false, conflict: await this.flag(trx, actor, esi, holder.person_id, personId, source) };
    const current = await trx('esi_assignments').where({ person_id: personId }).forUpdate().first();
    const audit = (action: string, before: unknown) =>
      this.deps.audit.record(actor, { action, targetType: 'person', targetId: personId, before, after: { esi: esi.value, source }, detail: { source } }, { trx });
    if (current) {
      if (rank(source) < rank(current.source)) return { ok: true, esi: current.esi, change: 'kept' };
      await trx('esi_assignments').where({ person_id: personId }).update({ esi: esi.value, esi_key: esi.key, source, institution_id: institutionId, updated_at: trx.fn.now() });
      await audit('esi.esi.replaced', { esi: current.esi, source: current.source });
      await this.deps.events.emit('esi.esi.replaced', { personId }, { trx, institutionId: institutionId ?? undefined });
      return { ok: true, esi: esi.value, change: 'replaced', previous: current.esi };
    }
    const inserted = await trx('esi_assignments')
      .insert({ person_id: personId, esi: esi.value, esi_key: esi.key, source, institution_id: institutionId })
      .onConflict()
      .ignore()
      .returning('person_id');
    if (!inserted.length) throw new Retry();
    await audit('esi.esi.assigned', null);
    await this.deps.events.emit('esi.esi.assigned', { personId }, { trx, institutionId: institutionId ?? undefined });
    return { ok: true, esi: esi.value, change: 'created' };
  }

  /** Record (once) that `claimantId` presented an ESI `holderId` holds. */
  private async flag(trx: Knex.Transaction, actor: EsiActor, esi: ParsedEsi, holderId: number, claimantId: number, source: string): Promise<EsiConflict> {
    const { institutionId } = actorIds(actor);
    const { rows } = await trx.raw(
      `insert into esi_conflicts (esi, esi_key, holder_person_id, claimant_person_id, source, institution_id)
       values (?, ?, ?, ?, ?, ?)
       on conflict (esi_key, claimant_person_id) where status = 'open' do nothing
       returning id`,
      [esi.value, esi.key, holderId, claimantId, source, institutionId],
    );
    let id: number;
    if (rows.length) {
      id = Number(rows[0].id);
      await this.deps.audit.record(
        actor,
        { action: 'esi.conflict.flagged', targetType: 'esi-conflict', targetId: id, after: { esi: esi.value, holderPersonId: holderId, claimantPersonId: claimantId }, detail: { source } },
        { trx },
      );
      await this.deps.events.emit('esi.conflict.flagged', { conflictId: id }, { trx, institutionId: institutionId ?? undefined });
      this.deps.log.warn({ plugin: 'esi', conflict: id, holder: holderId, claimant: claimantId, source }, 'ESI already held by another person: conflict flagged');
    } else {
      const existing = await trx('esi_conflicts').where({ esi_key: esi.key, claimant_person_id: claimantId, status: 'open' }).first('id');
      id = Number(existing.id);
    }
    const row = await trx('esi_conflicts as c').where('c.id', id).select(
      'c.*', 'c.holder_person_id as holder_id', 'c.claimant_person_id as claimant_id',
    ).first();
    // the caller learns the ids only: names are for managers, through conflicts()
    return toConflict({ ...row, holder_name: null, claimant_name: null });
  }

  async conflicts(institutionId: number): Promise<EsiConflict[]> {
    const rows = await conflictQuery(this.deps.db.knex, institutionId).where('c.status', 'open').orderBy([{ column: 'c.detected_at', order: 'desc' }, { column: 'c.id', order: 'desc' }]);
    return rows.map(toConflict);
  }

  async conflict(institutionId: number, id: number): Promise<EsiConflict | null> {
    if (!Number.isSafeInteger(id) || id < 1) return null;
    const row = await conflictQuery(this.deps.db.knex, institutionId).where('c.id', id).first();
    return row ? toConflict(row) : null;
  }

  async resolve(actor: EsiActor, institutionId: number, conflictId: number, keep: 'holder' | 'claimant'): Promise<EsiConflict> {
    if (keep !== 'holder' && keep !== 'claimant') throw new SmileError(ErrorCodes.VALIDATION, 'keep must be "holder" or "claimant"', { status: 400, plugin: 'esi' });
    const notFound = () => new SmileError(ErrorCodes.NOT_FOUND, 'no such ESI conflict for this institution', { status: 404, plugin: 'esi' });
    if (!Number.isSafeInteger(conflictId) || conflictId < 1) throw notFound();
    const { personId: actorPerson } = actorIds(actor);
    await this.deps.db.knex.transaction(async (trx) => {
      const c = await trx('esi_conflicts').where({ id: conflictId }).forUpdate().first();
      if (!c || !(await conflictQuery(trx, institutionId).where('c.id', conflictId).first('c.id'))) throw notFound();
      if (c.status !== 'open') throw new SmileError(ErrorCodes.CONFLICT, 'this ESI conflict is already resolved', { status: 409, plugin: 'esi' });
      const newHolder: number = keep === 'claimant' ? c.claimant_person_id : c.holder_person_id;
      let previous: string | null = null;
      if (keep === 'claimant') {
        const before = await trx('esi_assignments').where({ person_id: c.claimant_person_id }).first();
        previous = before?.esi ?? null;
        await trx('esi_assignments').where({ esi_key: c.esi_key }).del();
        await trx('esi_assignments').where({ person_id: c.claimant_person_id }).del();
        await trx('esi_assignments').insert({ person_id: c.claimant_person_id, esi: c.esi, esi_key: c.esi_key, source: 'manual', institution_id: institutionId });
      }
      const done = { status: 'resolved', resolved_at: trx.fn.now(), resolved_by: actorPerson };
      await trx('esi_conflicts').where({ id: conflictId }).update({ ...done, kept: keep });
      // the others about the same ESI now concern its new holder; theirs is settled if they are that holder
      await trx('esi_conflicts').where({ esi_key: c.esi_key, status: 'open', claimant_person_id: newHolder }).update({ ...done, kept: 'claimant' });
      await trx('esi_conflicts').where({ esi_key: c.esi_key, status: 'open' }).update({ holder_person_id: newHolder });
      await this.deps.audit.record(
        actor,
        {
          action: 'esi.conflict.resolved',
          targetType: 'esi-conflict',
          targetId: conflictId,
          before: { status: 'open', esi: c.esi, holderPersonId: c.holder_person_id, claimantPersonId: c.claimant_person_id },
          after: { status: 'resolved', kept: keep, holderPersonId: newHolder, ...(previous ? { claimantPreviousEsi: previous } : {}) },
        },
        { trx },
      );
      await this.deps.events.emit('esi.conflict.resolved', { conflictId, kept: keep }, { trx, institutionId });
    });
    return (await this.conflict(institutionId, conflictId))!;
  }
}
