/**
 * The catalogue service: imports (all or nothing, with a run history), academic years, reads, and
 * the edits managers make (which then survive imports).
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import { ErrorCodes, SmileError, createServiceRef } from '@smile/sdk';
import type { AuditActor, AuditLog, Database, EventBus, Logger, RequestContext } from '@smile/sdk';
import { importBatch, type ImportOptions } from './import.js';
import { ELEMENT_COLUMNS, FORMATION_COLUMNS, elementColumn, formationColumn, sameValue, toElement, toFormation } from './rows.js';
import type { CatalogueBatch, Element, ElementField, Formation, FormationField, ImportReport, RowError } from './types.js';
import { ELEMENT_FIELDS, FORMATION_FIELDS } from './types.js';
import { validateBatch } from './validate.js';

type Actor = RequestContext<any, any, any> | AuditActor;

/** A sync run as the history shows it. */
export interface SyncRun {
  id: number;
  year: number;
  connector: string;
  trigger: 'manual' | 'schedule' | 'upload' | 'cli';
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  dryRun: boolean;
  label: string | null;
  personId: number | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  total: number | null;
  done: number | null;
  created: number;
  updated: number;
  closed: number;
  errorCount: number;
  errors: RowError[];
  failure: string | null;
}

const toRun = (r: Record<string, any>): SyncRun => ({
  id: r.id, year: r.year, connector: r.connector, trigger: r.trigger, state: r.state, dryRun: r.dry_run, label: r.label,
  personId: r.person_id, queuedAt: r.queued_at, startedAt: r.started_at, finishedAt: r.finished_at, total: r.total, done: r.done,
  created: r.created, updated: r.updated, closed: r.closed, errorCount: r.error_count, errors: r.errors ?? [], failure: r.failure,
});

const actorOf = (a: Actor): AuditActor =>
  'koa' in a ? { institutionId: a.institution.id, personId: a.principal.personId ?? null, label: a.principal.label, requestId: a.requestId } : a;

const conflict = () =>
  new SmileError(ErrorCodes.CONFLICT, 'someone else changed this record meanwhile: reload the page to see their changes', { status: 409 });
/** A stored value as an import would have brought it (decimals as numbers), for `imported`. */
function importedValue(column: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (['ects', 'mobility_ects', 'hours'].includes(column)) return Number(value);
  return value;
}

/** Thrown inside the import transaction to roll it back while keeping the report. */
class NothingWritten extends Error {
  constructor(readonly report: ImportReport) {
    super('nothing written');
  }
}

const notFound = (what: string) => new SmileError(ErrorCodes.NOT_FOUND, `${what} not found`, { status: 404 });

/** A change a manager makes to an element: absent fields stay as they are. */
export type ElementPatch = Partial<Record<ElementField, unknown>> & { code?: string };
/** A change a manager makes to a formation: absent fields stay as they are. */
export type FormationPatch = Partial<Record<FormationField, unknown>>;

export interface CatalogueDeps {
  db: Database;
  audit: AuditLog;
  events: EventBus;
  log: Logger;
}

/** The academic year of `date`: it starts in `startMonth` (1–12; September by default). */
export function academicYear(date: Date, startMonth = 9): number {
  return date.getMonth() + 1 >= startMonth ? date.getFullYear() : date.getFullYear() - 1;
}

/** `2026` → `2026–2027`. */
export const yearLabel = (year: number) => `${year}–${year + 1}`;

export class CatalogueStore {
  /** Progress of runs in this process (the embedded database cannot be written outside the import's transaction). */
  private readonly live = new Map<number, { done: number; total: number }>();

  constructor(private readonly deps: CatalogueDeps, private readonly opts: { yearStartMonth: number } = { yearStartMonth: 9 }) {}

  private get knex(): Knex {
    return this.deps.db.knex;
  }

  /** The academic year in progress today. */
  currentYear(now = new Date()): number {
    return academicYear(now, this.opts.yearStartMonth);
  }

  /** Years that have a catalogue, newest first (the current year is always listed). */
  async years(institutionId: number): Promise<number[]> {
    const rows = (await this.knex('catalogue_years').where({ institution_id: institutionId }).pluck('year')) as number[];
    return [...new Set([...rows, this.currentYear()])].sort((a, b) => b - a);
  }

  /** Counter moved on by every change to an institution's catalogue (search caches key on it). */
  async generation(institutionId: number, knex: Knex | Knex.Transaction = this.knex): Promise<number> {
    const row = await knex('catalogue_generations').where({ institution_id: institutionId }).first('generation');
    return row ? Number(row.generation) : 0;
  }

  /** Check a batch against the stored catalogue without writing anything. */
  async validate(institutionId: number, year: number, batch: CatalogueBatch): Promise<RowError[]> {
    const codes = async (table: string, where: Record<string, unknown>) => new Set((await this.knex(table).where(where).pluck('code')) as string[]);
    return validateBatch(batch, {
      components: await codes('components', { institution_id: institutionId }),
      formations: await codes('catalogue_formations', { institution_id: institutionId, year }),
      elements: await codes('catalogue_elements', { institution_id: institutionId, year }),
    });
  }

  /**
   * Import a batch, all or nothing, in one transaction: nothing is written when it has errors or
   * `dryRun` is set. Audited; `catalogue.import.completed` is published once it is committed.
   */
  async importBatch(actor: Actor, year: number, batch: CatalogueBatch, opts: ImportOptions): Promise<ImportReport> {
    const who = actorOf(actor);
    const institutionId = who.institutionId!;
    try {
      return await this.knex.transaction(async (trx) => {
        const r = await importBatch(trx, institutionId, year, batch, opts);
        // a refused batch or a dry run leaves nothing behind: roll back whatever the diff touched
        if (!r.ok || r.dryRun) throw new NothingWritten(r);
        const counts = r.counts;
        await this.deps.audit.record(who, {
          action: 'catalogue.import', targetType: 'catalogue', targetId: String(year),
          detail: { source: opts.source, run: opts.runId ?? null, elements: counts.elements, formations: counts.formations, components: counts.components },
        }, { trx });
        await this.deps.events.emit('catalogue.import.completed', { year, source: opts.source, runId: opts.runId ?? null, counts }, { trx, institutionId });
        return r;
      });
    } catch (e) {
      if (e instanceof NothingWritten) return e.report;
      throw e;
    }
  }

  // ---- sync runs -------------------------------------------------------------------------------

  /** Record a run about to happen (queued). */
  async createRun(actor: Actor, run: { year: number; connector: string; trigger: SyncRun['trigger']; dryRun?: boolean; label?: string }): Promise<SyncRun> {
    const who = actorOf(actor);
    const [row] = await this.knex('catalogue_sync_runs')
      .insert({ institution_id: who.institutionId, year: run.year, connector: run.connector, trigger: run.trigger, dry_run: !!run.dryRun, label: run.label ?? null, person_id: who.personId ?? null })
      .returning('*');
    return toRun(row);
  }

  async run(institutionId: number, id: number): Promise<SyncRun | undefined> {
    const row = await this.knex('catalogue_sync_runs').where({ institution_id: institutionId, id }).first();
    if (!row) return undefined;
    const r = toRun(row);
    const live = this.live.get(id);
    if (live && r.state === 'running') Object.assign(r, live);
    return r;
  }

  /** Runs of an institution, newest first. */
  async runs(institutionId: number, opts: { connector?: string; limit?: number } = {}): Promise<SyncRun[]> {
    const q = this.knex('catalogue_sync_runs').where({ institution_id: institutionId }).orderBy('id', 'desc').limit(opts.limit ?? 50);
    if (opts.connector) q.where({ connector: opts.connector });
    return ((await q) as Record<string, any>[]).map((r) => {
      const run = toRun(r);
      const live = this.live.get(run.id);
      return live && run.state === 'running' ? { ...run, ...live } : run;
    });
  }

  /** A run of this connector is queued or running for the institution. */
  async busy(institutionId: number, connector: string): Promise<SyncRun | undefined> {
    const row = await this.knex('catalogue_sync_runs').where({ institution_id: institutionId, connector }).whereIn('state', ['queued', 'running']).orderBy('id', 'desc').first();
    return row ? toRun(row) : undefined;
  }

  /**
   * Execute a recorded run: `read` brings the batch (a connector's fetch, a parsed file); it is
   * imported in one transaction. Whatever fails, the catalogue stays as it was and the run says why.
   */
  async execute(actor: Actor, runId: number, read: (progress: (done: number, total?: number) => void) => Promise<{ batch: CatalogueBatch; errors: RowError[] }>, opts: { closeMissing?: boolean } = {}): Promise<SyncRun> {
    const who = actorOf(actor);
    const institutionId = who.institutionId!;
    const row = await this.knex('catalogue_sync_runs').where({ institution_id: institutionId, id: runId }).first();
    if (!row) throw notFound('sync run');
    await this.knex('catalogue_sync_runs').where({ id: runId }).update({ state: 'running', started_at: this.knex.fn.now() });
    const live = { done: 0, total: 0 };
    this.live.set(runId, live);
    const finish = async (patch: Record<string, unknown>) => {
      this.live.delete(runId);
      await this.knex('catalogue_sync_runs').where({ id: runId }).update({ ...patch, finished_at: this.knex.fn.now() });
      return (await this.run(institutionId, runId))!;
    };
    try {
      // reading counts for the first half of the bar, importing for the second
      const read$ = await read((done, total) => {
        live.total = 2 * (total ?? Math.max(done, 1));
        live.done = done;
      });
      if (read$.errors.length) {
        return await finish({ state: 'failed', error_count: read$.errors.length, errors: JSON.stringify(read$.errors.slice(0, 500)), failure: 'the source has rows that cannot be read: nothing was imported', done: 0 });
      }
      const report = await this.importBatch(who, row.year, read$.batch, {
        source: row.connector, dryRun: row.dry_run, closeMissing: opts.closeMissing, runId,
        onProgress: (done, total) => {
          live.total = 2 * total;
          live.done = total + done;
        },
      });
      const c = report.counts;
      const counts = {
        created: c.elements.created + c.formations.created + c.components.created,
        updated: c.elements.updated + c.formations.updated + c.components.updated,
        closed: c.elements.closed + c.formations.closed,
        total: live.total, done: live.total,
      };
      if (!report.ok) {
        return await finish({ state: 'failed', ...counts, created: 0, updated: 0, closed: 0, error_count: report.errors.length, errors: JSON.stringify(report.errors.slice(0, 500)), failure: 'the data has errors: nothing was imported', report: JSON.stringify(report) });
      }
      return await finish({ state: 'succeeded', ...counts, report: JSON.stringify({ ...report, changes: report.changes.slice(0, 200) }) });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.deps.log.warn({ run: runId, connector: row.connector, err: message }, 'catalogue sync failed: nothing changed');
      return await finish({ state: 'failed', failure: message.slice(0, 2000) });
    }
  }

  /** Changes recorded by imports for one element or formation (newest first). */
  async changes(institutionId: number, year: number, entity: 'component' | 'formation' | 'element', code: string) {
    return this.knex('catalogue_changes').where({ institution_id: institutionId, year, entity, code }).orderBy('id', 'desc').limit(50);
  }

  // ---- years -------------------------------------------------------------------------------------

  /**
   * Copy the offer of `from` into `to` (formations, elements with their local edits, the trees).
   * Refused when `to` already has elements. Returns what was copied.
   */
  async copyYear(actor: Actor, from: number, to: number): Promise<{ formations: number; elements: number; links: number }> {
    const who = actorOf(actor);
    const inst = who.institutionId!;
    if (from === to) throw new SmileError(ErrorCodes.VALIDATION, 'choose two different years', { status: 400, key: 'to' });
    return this.knex.transaction(async (trx) => {
      const already = await trx('catalogue_elements').where({ institution_id: inst, year: to }).first('id');
      if (already) throw new SmileError(ErrorCodes.CONFLICT, `${yearLabel(to)} already has a catalogue: nothing was copied`, { status: 409, key: 'to' });
      const fcols = ['code', 'name_fr', 'name_en', 'acronym', 'component_id', 'diploma_type_id', 'formation_type_id', 'level', 'domain', 'isced', 'eqf', 'languages', 'open_to_mobility', 'source', 'local_fields', 'imported', 'in_source'];
      const ecols = ['code', 'kind', ...Object.values(ELEMENT_COLUMNS).filter((c) => c !== 'kind'), 'component_id', 'source', 'local_fields', 'imported', 'in_source'];
      const list = (cols: string[]) => cols.map((c) => `"${c}"`).join(', ');
      const f = await trx.raw(`insert into catalogue_formations (institution_id, year, ${list(fcols)}) select institution_id, ?, ${list(fcols)} from catalogue_formations where institution_id = ? and year = ?`, [to, inst, from]);
      const e = await trx.raw(`insert into catalogue_elements (institution_id, year, ${list(ecols)}) select institution_id, ?, ${list(ecols)} from catalogue_elements where institution_id = ? and year = ?`, [to, inst, from]);
      const l = await trx.raw(
        `insert into catalogue_links (institution_id, year, formation_id, parent_id, child_id, position, source)
         select l.institution_id, ?, nf.id, np.id, nc.id, l.position, l.source
           from catalogue_links l
           join catalogue_formations of on of.id = l.formation_id
           join catalogue_formations nf on nf.institution_id = of.institution_id and nf.year = ? and nf.code = of.code
           join catalogue_elements oc on oc.id = l.child_id
           join catalogue_elements nc on nc.institution_id = oc.institution_id and nc.year = ? and nc.code = oc.code
           left join catalogue_elements op on op.id = l.parent_id
           left join catalogue_elements np on np.institution_id = op.institution_id and np.year = ? and np.code = op.code
          where l.institution_id = ? and l.year = ?`,
        [to, to, to, to, inst, from],
      );
      await trx('catalogue_years').insert({ institution_id: inst, year: to, copied_from: from }).onConflict(['institution_id', 'year']).merge(['copied_from']);
      const counts = { formations: f.rowCount ?? 0, elements: e.rowCount ?? 0, links: l.rowCount ?? 0 };
      await this.deps.audit.record(who, { action: 'catalogue.year.copy', targetType: 'catalogue', targetId: String(to), detail: { from, to, ...counts } }, { trx });
      return counts;
    });
  }

  // ---- reads ------------------------------------------------------------------------------------

  private elementQuery(knex: Knex | Knex.Transaction, institutionId: number) {
    return knex('catalogue_elements as e')
      .leftJoin('components as c', 'c.id', 'e.component_id')
      .where('e.institution_id', institutionId)
      .select('e.*', 'c.code as component_code');
  }

  async element(institutionId: number, year: number, code: string): Promise<Element | undefined> {
    const row = await this.elementQuery(this.knex, institutionId).where({ 'e.year': year, 'e.code': code }).first();
    return row ? toElement(row) : undefined;
  }

  async elementById(institutionId: number, id: number, knex: Knex | Knex.Transaction = this.knex): Promise<Element | undefined> {
    const row = await this.elementQuery(knex, institutionId).where('e.id', id).first();
    return row ? toElement(row) : undefined;
  }

  async formation(institutionId: number, year: number, code: string): Promise<Formation | undefined> {
    const row = await this.knex('catalogue_formations as f')
      .leftJoin('components as c', 'c.id', 'f.component_id')
      .where({ 'f.institution_id': institutionId, 'f.year': year, 'f.code': code })
      .first('f.*', 'c.code as component_code');
    return row ? toFormation(row) : undefined;
  }

  async formationById(institutionId: number, id: number): Promise<Formation | undefined> {
    const row = await this.knex('catalogue_formations as f')
      .leftJoin('components as c', 'c.id', 'f.component_id')
      .where({ 'f.institution_id': institutionId, 'f.id': id })
      .first('f.*', 'c.code as component_code');
    return row ? toFormation(row) : undefined;
  }

  /** The formations an element is placed in (directly or under another element). */
  async formationsOf(institutionId: number, elementId: number): Promise<Formation[]> {
    const rows = await this.knex('catalogue_formations as f')
      .leftJoin('components as c', 'c.id', 'f.component_id')
      .whereIn('f.id', this.knex('catalogue_links').where({ institution_id: institutionId, child_id: elementId }).select('formation_id'))
      .where('f.institution_id', institutionId)
      .orderBy('f.name_fr')
      .select('f.*', 'c.code as component_code');
    return rows.map(toFormation);
  }

  /**
   * The tree of a formation: each link with its element, children in position order. An element
   * shared by several formations appears in each.
   */
  async tree(institutionId: number, formationId: number): Promise<TreeNode[]> {
    const rows = (await this.knex('catalogue_links as l')
      .join('catalogue_elements as e', 'e.id', 'l.child_id')
      .where({ 'l.institution_id': institutionId, 'l.formation_id': formationId })
      .orderBy([{ column: 'l.position' }, { column: 'l.id' }])
      .select('l.id as link_id', 'l.parent_id', 'l.position', 'l.source as link_source', 'e.*')) as Record<string, any>[];
    const byParent = new Map<number, Record<string, any>[]>();
    for (const r of rows) {
      const list = byParent.get(r.parent_id ?? 0) ?? [];
      list.push(r);
      byParent.set(r.parent_id ?? 0, list);
    }
    const build = (parent: number, seen: Set<number>): TreeNode[] =>
      (byParent.get(parent) ?? []).map((r) => {
        const element = toElement(r);
        // an element placed under itself (by a bad edit) must not loop forever
        const children = seen.has(element.id) ? [] : build(element.id, new Set([...seen, element.id]));
        return { linkId: r.link_id, position: r.position, linkSource: r.link_source, element, children };
      });
    return build(0, new Set());
  }

  // ---- edits --------------------------------------------------------------------------------

  /**
   * Change an element (or create it when `id` is null). Every field changed on an imported
   * element becomes local: imports leave it alone from then on. `version` must be the one the form
   * was built from (concurrent edits are refused).
   */
  async saveElement(actor: Actor, year: number, id: number | null, patch: ElementPatch, version: number | null): Promise<Element> {
    const who = actorOf(actor);
    const inst = who.institutionId!;
    return this.knex.transaction(async (trx) => {
      const before = id === null ? undefined : await this.elementQuery(trx, inst).where('e.id', id).forUpdate('e').first();
      if (id !== null && !before) throw notFound('element');
      if (before && version !== null && before.version !== version) throw conflict();
      const set: Record<string, unknown> = {};
      const local = new Set<string>(before?.local_fields ?? []);
      const imported: Record<string, unknown> = { ...(before?.imported ?? {}) };
      const diff: Record<string, [unknown, unknown]> = {};
      for (const field of ELEMENT_FIELDS) {
        if (!(field in patch)) continue;
        let value = patch[field];
        let column: string;
        if (field === 'componentCode') {
          column = 'component_id';
          value = value ? ((await trx('components').where({ institution_id: inst, code: value }).first('id'))?.id ?? null) : null;
          if (patch.componentCode && value === null) throw new SmileError(ErrorCodes.VALIDATION, `unknown component "${patch.componentCode}"`, { status: 400, key: 'componentCode' });
        } else column = ELEMENT_COLUMNS[field];
        if (before && sameValue(before[column], value)) continue;
        diff[field] = [before?.[column] ?? null, value ?? null];
        set[column] = column === 'timetable' ? JSON.stringify(value ?? []) : value;
        if (before && before.source !== 'local' && !local.has(field)) {
          // the value the imports brought, shown beside the manager's and given back by "revert"
          imported[field] = importedValue(column, before[column]);
          local.add(field);
        }
      }
      if (before && Object.keys(set).length === 0) return toElement(before);
      let saved: Record<string, any>;
      if (before) {
        [saved] = await trx('catalogue_elements').where({ id: before.id }).update({ ...set, local_fields: [...local], imported: JSON.stringify(imported), version: before.version + 1, updated_at: trx.fn.now() }).returning('*');
      } else {
        const code = String(patch.code ?? '');
        const errors = validateBatch({ components: [], formations: [], links: [], elements: [{ ...(patch as any), code, titleFr: patch.titleFr as string }] }, { components: new Set(['*']), formations: new Set(), elements: new Set() })
          .filter((e) => e.field !== 'componentCode');
        if (errors.length) throw new SmileError(ErrorCodes.VALIDATION, errors[0]!.message.en, { status: 400, key: errors[0]!.field });
        const exists = await trx('catalogue_elements').where({ institution_id: inst, year, code }).first('id');
        if (exists) throw new SmileError(ErrorCodes.VALIDATION, `an element with the code "${code}" already exists in ${yearLabel(year)}`, { status: 400, key: 'code' });
        [saved] = await trx('catalogue_elements').insert({ institution_id: inst, year, code, source: 'local', ...set }).returning('*');
        await trx('catalogue_years').insert({ institution_id: inst, year }).onConflict(['institution_id', 'year']).ignore();
      }
      await this.deps.audit.record(who, { action: before ? 'catalogue.element.update' : 'catalogue.element.create', targetType: 'catalogue_element', targetId: String(saved.id), detail: { code: saved.code, year, fields: Object.keys(diff) }, before: before ? Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, v[0]])) : undefined, after: Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, v[1]])) }, { trx });
      return (await this.elementById(inst, saved.id, trx))!;
    });
  }

  /** Give a field edited by hand back to the imports: it takes the last imported value now. */
  async revertElementField(actor: Actor, id: number, field: ElementField, version: number): Promise<Element> {
    const inst = await this.revertField(actor, 'element', id, field, version);
    return (await this.elementById(inst, id))!;
  }

  /** Give a formation field edited by hand back to the imports: it takes the last imported value now. */
  async revertFormationField(actor: Actor, id: number, field: FormationField, version: number): Promise<Formation> {
    const inst = await this.revertField(actor, 'formation', id, field, version);
    return (await this.formationById(inst, id))!;
  }

  private async revertField(actor: Actor, kind: 'element' | 'formation', id: number, field: string, version: number): Promise<number> {
    const who = actorOf(actor);
    const inst = who.institutionId!;
    const table = kind === 'element' ? 'catalogue_elements' : 'catalogue_formations';
    await this.knex.transaction(async (trx) => {
      const before = await trx(table).where({ institution_id: inst, id }).forUpdate().first();
      if (!before) throw notFound(kind);
      if (before.version !== version) throw conflict();
      const set: Record<string, unknown> = { local_fields: (before.local_fields ?? []).filter((f: string) => f !== field), version: before.version + 1, updated_at: trx.fn.now() };
      const imported = { ...(before.imported ?? {}) };
      if (field in imported) {
        const column = kind === 'element' ? elementColumn(field) : formationColumn(field);
        set[column] = column === 'timetable' ? JSON.stringify(imported[field] ?? []) : imported[field];
        delete imported[field];
      }
      set.imported = JSON.stringify(imported);
      await trx(table).where({ id }).update(set);
      await this.deps.audit.record(who, { action: `catalogue.${kind}.revert`, targetType: `catalogue_${kind}`, targetId: String(id), detail: { code: before.code, field } }, { trx });
    });
    return inst;
  }

  /** Change a formation; fields changed on an imported formation become local. */
  async saveFormation(actor: Actor, year: number, id: number | null, patch: FormationPatch & { code?: string }, version: number | null): Promise<Formation> {
    const who = actorOf(actor);
    const inst = who.institutionId!;
    return this.knex.transaction(async (trx) => {
      const before = id === null ? undefined : await trx('catalogue_formations').where({ institution_id: inst, id }).forUpdate().first();
      if (id !== null && !before) throw notFound('formation');
      if (before && version !== null && before.version !== version) throw conflict();
      const set: Record<string, unknown> = {};
      const local = new Set<string>(before?.local_fields ?? []);
      const imported: Record<string, unknown> = { ...(before?.imported ?? {}) };
      for (const field of FORMATION_FIELDS) {
        if (!(field in patch)) continue;
        let value = patch[field];
        let column: string;
        if (field === 'componentCode' || field === 'diplomaType' || field === 'formationType') {
          const [table, col] = field === 'componentCode' ? ['components', 'component_id'] : field === 'diplomaType' ? ['catalogue_diploma_types', 'diploma_type_id'] : ['catalogue_formation_types', 'formation_type_id'];
          column = col;
          value = value ? ((await trx(table).where({ institution_id: inst, code: value }).first('id'))?.id ?? null) : null;
          if (patch[field] && value === null) throw new SmileError(ErrorCodes.VALIDATION, `unknown code "${patch[field]}"`, { status: 400, key: field });
        } else column = (FORMATION_COLUMNS as Record<string, string>)[field]!;
        if (before && sameValue(before[column], value)) continue;
        set[column] = value;
        if (before && before.source !== 'local' && !local.has(field)) {
          imported[field] = importedValue(column, before[column]);
          local.add(field);
        }
      }
      let saved: Record<string, any>;
      if (before) {
        if (!Object.keys(set).length) return (await this.formationById(inst, before.id))!;
        [saved] = await trx('catalogue_formations').where({ id: before.id }).update({ ...set, local_fields: [...local], imported: JSON.stringify(imported), version: before.version + 1, updated_at: trx.fn.now() }).returning('*');
      } else {
        const code = String(patch.code ?? '');
        const errors = validateBatch({ components: [], elements: [], links: [], formations: [{ ...(patch as any), code, nameFr: patch.nameFr as string }] }, { components: new Set(['*']), formations: new Set(), elements: new Set() })
          .filter((e) => e.field !== 'componentCode');
        if (errors.length) throw new SmileError(ErrorCodes.VALIDATION, errors[0]!.message.en, { status: 400, key: errors[0]!.field });
        if (await trx('catalogue_formations').where({ institution_id: inst, year, code }).first('id')) {
          throw new SmileError(ErrorCodes.VALIDATION, `a formation with the code "${code}" already exists in ${yearLabel(year)}`, { status: 400, key: 'code' });
        }
        [saved] = await trx('catalogue_formations').insert({ institution_id: inst, year, code, source: 'local', ...set }).returning('*');
        await trx('catalogue_years').insert({ institution_id: inst, year }).onConflict(['institution_id', 'year']).ignore();
      }
      await this.deps.audit.record(who, { action: before ? 'catalogue.formation.update' : 'catalogue.formation.create', targetType: 'catalogue_formation', targetId: String(saved.id), detail: { code: saved.code, year, fields: Object.keys(set) } }, { trx });
      return toFormation(saved);
    });
  }

  /** Open or close elements to mobility (a manual change: it survives imports). Returns how many changed. */
  async setElementsOpen(actor: Actor, ids: number[], open: boolean): Promise<number> {
    return this.bulkElements(actor, ids, 'openToMobility', open, 'catalogue.element.bulk-open');
  }

  /** Set the exchange types that may take these elements (`null`: all). Returns how many changed. */
  async setElementsExchangeTypes(actor: Actor, ids: number[], types: string[] | null): Promise<number> {
    return this.bulkElements(actor, ids, 'exchangeTypes', types, 'catalogue.element.bulk-exchange-types');
  }

  private async bulkElements(actor: Actor, ids: number[], field: 'openToMobility' | 'exchangeTypes', value: unknown, action: string): Promise<number> {
    const who = actorOf(actor);
    if (!ids.length) return 0;
    const column = ELEMENT_COLUMNS[field];
    return this.knex.transaction(async (trx) => {
      const rows = await trx('catalogue_elements').where({ institution_id: who.institutionId }).whereIn('id', ids).select('id', 'code', column, 'source');
      const changing = rows.filter((r) => !sameValue(r[column], value));
      for (let i = 0; i < changing.length; i += 1000) {
        const chunk = changing.slice(i, i + 1000).map((r) => r.id);
        await trx('catalogue_elements').whereIn('id', chunk).update({
          [column]: value,
          local_fields: trx.raw(`case when source = 'local' or ? = any(local_fields) then local_fields else array_append(local_fields, ?) end`, [field, field]),
          // the imported value, remembered when the field becomes local
          imported: trx.raw(`case when source = 'local' or ? = any(local_fields) then imported else imported || jsonb_build_object(?::text, to_jsonb(??)) end`, [field, field, column]),
          version: trx.raw('version + 1'),
          updated_at: trx.fn.now(),
        });
      }
      await this.deps.audit.record(who, { action, targetType: 'catalogue_element', detail: { count: changing.length, value, codes: changing.slice(0, 50).map((r) => r.code) } }, { trx });
      return changing.length;
    });
  }
}

/** A node of a formation's tree. */
export interface TreeNode {
  linkId: number;
  position: number;
  linkSource: string;
  element: Element;
  children: TreeNode[];
}

/** The catalogue service (import it from `@smile/plugin-catalogue`; depend on `catalogue`). */
export const catalogueService = createServiceRef<CatalogueStore>({ id: 'catalogue.store' });

