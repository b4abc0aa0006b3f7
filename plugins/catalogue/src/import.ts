/**
 * The import engine: validates a batch against what is stored, works out what changes (imported
 * fields only: fields edited by hand keep their local value, the imported one is remembered), and
 * writes it in batches inside the caller's transaction.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import { ELEMENT_COLUMNS, FORMATION_COLUMNS, formationColumn, sameValue } from './rows.js';
import { ELEMENT_FIELDS, FORMATION_FIELDS } from './types.js';
import type { CatalogueBatch, ElementRecord, FormationRecord, ImportChange, ImportCounts, ImportReport, RowError } from './types.js';
import { validateBatch } from './validate.js';

export interface ImportOptions {
  /** Connector id recorded as the source of new rows (`sis-csv`). */
  source: string;
  dryRun?: boolean;
  /** A full snapshot: rows of this source that the batch no longer has are closed to mobility. */
  closeMissing?: boolean;
  /** Sync run to attach the recorded changes to. */
  runId?: number | null;
  onProgress?: (done: number, total: number) => void;
}

const CHUNK = 1000;
const MAX_CHANGES = 1000;
const JSON_COLUMNS = new Set(['timetable', 'imported']);

const zero = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0, closed: 0 });

/** Element record field → stored value (jsonb columns as JSON text, as the pg driver needs). */
function elementValue(field: string, v: unknown): unknown {
  if (v === undefined) return undefined;
  if (field === 'languages' || field === 'competences') return v ?? [];
  if (field === 'timetable') return v ?? [];
  if (field === 'openToMobility') return v ?? true;
  if (field === 'kind') return v ?? 'EC';
  return v;
}

const dbValue = (column: string, v: unknown) => (JSON_COLUMNS.has(column) ? JSON.stringify(v ?? (column === 'imported' ? {} : [])) : v);

/**
 * Import `batch` into `year` of one institution, inside `trx`. Nothing is written when the batch
 * has errors or `opts.dryRun` is set; the report says what would change.
 */
export async function importBatch(trx: Knex.Transaction, institutionId: number, year: number, batch: CatalogueBatch, opts: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = {
    ok: false, dryRun: !!opts.dryRun, errors: [],
    counts: { components: zero(), formations: zero(), elements: zero(), links: { created: 0, removed: 0 } },
    changes: [], moreChanges: 0,
  };
  const inst = { institution_id: institutionId };
  const changes: ImportChange[] = [];
  const change = (c: ImportChange) => changes.push(c);
  const total = batch.components.length + batch.formations.length + batch.elements.length + batch.links.length;
  let done = 0;
  const progress = (n: number) => {
    done += n;
    opts.onProgress?.(Math.min(done, total), total);
  };

  // what is stored
  const components = new Map<string, { id: number; name_fr: string; name_en: string }>();
  for (const c of await trx('components').where(inst).select('id', 'code', 'name_fr', 'name_en')) components.set(c.code, c);
  const formations = new Map<string, Record<string, any>>();
  for (const f of await trx('catalogue_formations').where({ ...inst, year })) formations.set(f.code, f);
  const elements = new Map<string, Record<string, any>>();
  for (const e of await trx('catalogue_elements').where({ ...inst, year }).select('id', 'code', 'component_id', 'source', 'local_fields', 'imported', 'in_source', ...Object.values(ELEMENT_COLUMNS))) {
    elements.set(e.code, e);
  }
  const hadElements = elements.size > 0;

  report.errors = validateBatch(batch, { components: new Set(components.keys()), formations: new Set(formations.keys()), elements: new Set(elements.keys()) });
  if (report.errors.length) return report;
  const write = !opts.dryRun;

  // components: the core's table (shared with role scopes), plus the catalogue's details
  for (const c of batch.components) {
    const before = components.get(c.code);
    const nameEn = c.nameEn || c.nameFr;
    if (!before) {
      report.counts.components.created++;
      change({ entity: 'component', code: c.code, change: 'created' });
      if (write) {
        const [row] = await trx('components').insert({ ...inst, code: c.code, name_fr: c.nameFr, name_en: nameEn }).returning(['id', 'code', 'name_fr', 'name_en']);
        components.set(c.code, row);
      } else components.set(c.code, { id: -1, name_fr: c.nameFr, name_en: nameEn });
    } else if (before.name_fr !== c.nameFr || before.name_en !== nameEn) {
      report.counts.components.updated++;
      change({ entity: 'component', code: c.code, change: 'updated', fields: { nameFr: [before.name_fr, c.nameFr], nameEn: [before.name_en, nameEn] } });
      if (write) await trx('components').where({ id: before.id }).update({ name_fr: c.nameFr, name_en: nameEn });
    } else report.counts.components.unchanged++;
    if (write) {
      const details: Record<string, unknown> = { source: opts.source, updated_at: trx.fn.now() };
      if (c.acronym !== undefined) details.acronym = c.acronym;
      if (c.nameLongFr !== undefined) details.name_long_fr = c.nameLongFr;
      if (c.nameLongEn !== undefined) details.name_long_en = c.nameLongEn;
      if (c.campus !== undefined) details.campus = c.campus;
      if (c.contacts !== undefined) details.contacts = JSON.stringify(c.contacts);
      await trx('catalogue_component_details')
        .insert({ component_id: components.get(c.code)!.id, ...inst, ...details })
        .onConflict('component_id')
        .merge(Object.keys(details));
    }
  }
  progress(batch.components.length);

  // diploma and formation types named by the formations
  const typeIds = { catalogue_diploma_types: new Map<string, number>(), catalogue_formation_types: new Map<string, number>() };
  for (const [table, key, nameKey] of [['catalogue_diploma_types', 'diplomaType', 'diplomaTypeName'], ['catalogue_formation_types', 'formationType', 'formationTypeName']] as const) {
    const map = typeIds[table];
    for (const t of await trx(table).where(inst).select('id', 'code')) map.set(t.code, t.id);
    for (const f of batch.formations) {
      const code = f[key];
      if (!code || map.has(code)) continue;
      const names = f[nameKey] ?? {};
      if (write) {
        const [row] = await trx(table).insert({ ...inst, code, name_fr: names.fr || code, name_en: names.en || null }).returning(['id']);
        map.set(code, row.id);
      } else map.set(code, -1);
    }
  }

  // formations
  const batchFormations = new Set<string>();
  for (const f of batch.formations) {
    batchFormations.add(f.code);
    const before = formations.get(f.code);
    const values = formationValues(f, components, typeIds);
    const plan = planRow(before, values, FORMATION_FIELDS.map(formationColumn));
    if (!before) {
      report.counts.formations.created++;
      if (hadElements) change({ entity: 'formation', code: f.code, change: 'created' });
      if (write) {
        const [row] = await trx('catalogue_formations')
          .insert({ ...inst, year, code: f.code, source: opts.source, ...values, languages: values.languages ?? [] })
          .returning('*');
        formations.set(f.code, row);
      } else formations.set(f.code, { id: -1, code: f.code, ...values });
      continue;
    }
    const reopen = !before.in_source;
    if (plan.changed || reopen) {
      report.counts.formations.updated++;
      change({ entity: 'formation', code: f.code, change: reopen ? 'reopened' : 'updated', fields: plan.fields });
      if (write) {
        await trx('catalogue_formations').where({ id: before.id }).update({
          ...plan.set, imported: JSON.stringify(plan.imported), in_source: true, version: trx.raw('version + 1'), updated_at: trx.fn.now(),
        });
      }
    } else report.counts.formations.unchanged++;
  }
  progress(batch.formations.length);

  // the component of an element without one: that of the first formation it is placed in
  const formationComponent = new Map<string, number | null>();
  for (const l of batch.links) {
    if (!formationComponent.has(l.childCode)) formationComponent.set(l.childCode, formations.get(l.formationCode)?.component_id ?? null);
  }

  // elements, by chunks of multi-row upserts
  const columns = [...Object.values(ELEMENT_COLUMNS), 'component_id'];
  const batchElements = new Set<string>();
  let pending: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!pending.length || !write) {
      pending = [];
      return;
    }
    const rows = pending;
    pending = [];
    const inserted = await trx('catalogue_elements')
      .insert(rows)
      .onConflict(['institution_id', 'year', 'code'])
      .merge({
        ...Object.fromEntries([...columns, 'local_fields', 'imported', 'in_source'].map((c) => [c, trx.raw('excluded.??', [c])])),
        version: trx.raw('catalogue_elements.version + 1'),
        updated_at: trx.fn.now(),
      })
      .returning(['id', 'code']);
    for (const r of inserted) {
      const e = elements.get(r.code);
      if (e) e.id = r.id;
      else elements.set(r.code, { id: r.id, code: r.code });
    }
  };
  let scanned = 0;
  for (const e of batch.elements) {
    if (++scanned % CHUNK === 0) progress(CHUNK);
    batchElements.add(e.code);
    const before = elements.get(e.code);
    const values = elementValues(e, components);
    if (values.component_id === undefined && !before?.component_id) {
      const fromFormation = formationComponent.get(e.code);
      if (fromFormation) values.component_id = fromFormation;
    }
    const plan = planRow(before, values, columns);
    const reopen = !!before && !before.in_source;
    if (before && !plan.changed && !reopen) {
      report.counts.elements.unchanged++;
      continue;
    }
    if (!before) {
      report.counts.elements.created++;
      if (hadElements) change({ entity: 'element', code: e.code, change: 'created' });
    } else {
      report.counts.elements.updated++;
      change({ entity: 'element', code: e.code, change: reopen ? 'reopened' : 'updated', fields: plan.fields });
    }
    const row: Record<string, unknown> = { ...inst, year, code: e.code, source: before?.source ?? opts.source };
    for (const c of columns) {
      const v = c in plan.set ? plan.set[c] : before ? before[c] : defaultColumn(c);
      row[c] = dbValue(c, v);
    }
    row.local_fields = before?.local_fields ?? [];
    row.imported = JSON.stringify(plan.imported);
    row.in_source = true;
    if (!before) elements.set(e.code, { id: -1, code: e.code });
    pending.push(row);
    if (pending.length >= CHUNK) await flush();
  }
  await flush();
  progress(scanned % CHUNK);

  // links: the imported tree of each formation the batch places elements in
  if (batch.links.length) {
    const touched = [...new Set(batch.links.map((l) => formations.get(l.formationCode)?.id).filter((id): id is number => typeof id === 'number' && id > 0))];
    const existing = touched.length
      ? ((await trx('catalogue_links').where(inst).whereIn('formation_id', touched).select('id', 'formation_id', 'parent_id', 'child_id', 'position', 'source')) as Record<string, any>[])
      : [];
    const key = (f: number, p: number | null, c: number) => `${f}:${p ?? 0}:${c}`;
    const byKey = new Map(existing.map((l) => [key(l.formation_id, l.parent_id, l.child_id), l]));
    const localChild = new Set(existing.filter((l) => l.source === 'local').map((l) => `${l.formation_id}:${l.child_id}`));
    // placements a manager removed in the offer editor stay removed
    const removed = new Set(
      touched.length
        ? ((await trx('catalogue_link_removals').where(inst).whereIn('formation_id', touched).select('formation_id', 'parent_id', 'child_id')) as Record<string, any>[]).map((r) => key(r.formation_id, r.parent_id, r.child_id))
        : [],
    );
    const wanted = new Set<string>();
    const positions = new Map<string, number>();
    const toInsert: Record<string, unknown>[] = [];
    for (const l of batch.links) {
      const f = formations.get(l.formationCode)?.id;
      const c = elements.get(l.childCode)?.id;
      const p = l.parentCode ? elements.get(l.parentCode)?.id : null;
      if (!f || !c || p === undefined) continue;
      const parentKey = `${f}:${p ?? 0}`;
      const position = l.position ?? (positions.get(parentKey) ?? 0);
      positions.set(parentKey, position + 1);
      const k = key(f, p, c);
      wanted.add(k);
      const found = byKey.get(k);
      if (found) {
        if (found.source !== 'local' && found.position !== position && write) await trx('catalogue_links').where({ id: found.id }).update({ position });
        continue;
      }
      // the manager moved this element by hand in this formation, or removed it: the import leaves it be
      if (localChild.has(`${f}:${c}`) || removed.has(k)) continue;
      report.counts.links.created++;
      toInsert.push({ ...inst, year, formation_id: f, parent_id: p, child_id: c, position, source: opts.source });
    }
    const stale = existing.filter((l) => l.source === opts.source && !wanted.has(key(l.formation_id, l.parent_id, l.child_id)));
    report.counts.links.removed = stale.length;
    if (write) {
      for (let i = 0; i < toInsert.length; i += CHUNK) await trx('catalogue_links').insert(toInsert.slice(i, i + CHUNK));
      for (let i = 0; i < stale.length; i += CHUNK) await trx('catalogue_links').whereIn('id', stale.slice(i, i + CHUNK).map((l) => l.id)).delete();
    }
  }
  progress(batch.links.length);

  // a full snapshot closes what its source no longer has
  if (opts.closeMissing) {
    const goneFormations = [...formations.values()].filter((f) => f.source === opts.source && f.in_source !== false && f.id > 0 && !batchFormations.has(f.code));
    const goneElements = [...elements.values()].filter((e) => e.source === opts.source && e.in_source !== false && e.id > 0 && !batchElements.has(e.code));
    report.counts.formations.closed = goneFormations.length;
    report.counts.elements.closed = goneElements.length;
    for (const f of goneFormations) change({ entity: 'formation', code: f.code, change: 'closed' });
    for (const e of goneElements) change({ entity: 'element', code: e.code, change: 'closed' });
    if (write) {
      const close = async (table: string, ids: number[]) => {
        for (let i = 0; i < ids.length; i += CHUNK) {
          await trx(table).whereIn('id', ids.slice(i, i + CHUNK)).update({
            in_source: false,
            // a manager who opened it by hand keeps it open
            open_to_mobility: trx.raw(`case when 'openToMobility' = any(local_fields) then open_to_mobility else false end`),
            version: trx.raw('version + 1'),
            updated_at: trx.fn.now(),
          });
        }
      };
      await close('catalogue_formations', goneFormations.map((f) => f.id));
      await close('catalogue_elements', goneElements.map((e) => e.id));
    }
  }

  if (write) {
    await trx('catalogue_years').insert({ ...inst, year }).onConflict(['institution_id', 'year']).ignore();
    const rows = changes.map((c) => ({ ...inst, year, run_id: opts.runId ?? null, entity: c.entity, code: c.code, change: c.change, fields: c.fields ? JSON.stringify(c.fields) : null }));
    for (let i = 0; i < rows.length; i += CHUNK) await trx('catalogue_changes').insert(rows.slice(i, i + CHUNK));
  }
  report.changes = changes.slice(0, MAX_CHANGES);
  report.moreChanges = Math.max(0, changes.length - MAX_CHANGES);
  report.ok = true;
  opts.onProgress?.(total, total);
  return report;
}

const elementColumnField = new Map<string, string>([...Object.entries(ELEMENT_COLUMNS).map(([f, c]) => [c, f] as [string, string]), ['component_id', 'componentCode']]);
const formationColumnField = new Map<string, string>(FORMATION_FIELDS.map((f) => [formationColumn(f), f] as [string, string]));

function defaultColumn(column: string): unknown {
  if (column === 'languages' || column === 'competences' || column === 'timetable') return [];
  if (column === 'open_to_mobility') return true;
  if (column === 'kind') return 'EC';
  return null;
}

/** The columns a formation record sets (absent fields are left as they are). */
function formationValues(
  f: FormationRecord,
  components: Map<string, { id: number }>,
  types: { catalogue_diploma_types: Map<string, number>; catalogue_formation_types: Map<string, number> },
): Record<string, any> {
  const v: Record<string, any> = {};
  for (const [field, column] of Object.entries(FORMATION_COLUMNS)) {
    const value = (f as unknown as Record<string, unknown>)[field];
    if (value !== undefined) v[column] = field === 'openToMobility' ? (value ?? true) : field === 'languages' ? (value ?? []) : value;
  }
  if (f.componentCode !== undefined) v.component_id = f.componentCode ? (components.get(f.componentCode)?.id ?? null) : null;
  if (f.diplomaType !== undefined) v.diploma_type_id = f.diplomaType ? (types.catalogue_diploma_types.get(f.diplomaType) ?? null) : null;
  if (f.formationType !== undefined) v.formation_type_id = f.formationType ? (types.catalogue_formation_types.get(f.formationType) ?? null) : null;
  return v;
}

/** The columns an element record sets (absent fields are left as they are). */
function elementValues(e: ElementRecord, components: Map<string, { id: number }>): Record<string, any> {
  const v: Record<string, any> = {};
  for (const field of ELEMENT_FIELDS) {
    if (field === 'componentCode') continue;
    const value = elementValue(field, (e as unknown as Record<string, unknown>)[field]);
    if (value !== undefined) v[ELEMENT_COLUMNS[field]] = value;
  }
  if (e.componentCode !== undefined) v.component_id = e.componentCode ? (components.get(e.componentCode)?.id ?? null) : null;
  return v;
}

/**
 * What an import changes on one row: columns it may set (those not edited by hand), the imported
 * values remembered for the columns edited by hand, and the field-level differences.
 */
function planRow(before: Record<string, any> | undefined, values: Record<string, any>, columns: string[]) {
  const set: Record<string, unknown> = {};
  const imported: Record<string, unknown> = { ...(before?.imported ?? {}) };
  const fields: Record<string, [unknown, unknown]> = {};
  const local = new Set<string>(before?.local_fields ?? []);
  const nameOf = (c: string) => elementColumnField.get(c) ?? formationColumnField.get(c) ?? c;
  let changed = false;
  for (const c of columns) {
    if (!(c in values)) continue;
    const field = nameOf(c);
    if (before && local.has(field)) {
      if (!sameValue(imported[field], values[c])) {
        imported[field] = values[c];
        changed = true;
      }
      continue;
    }
    set[c] = values[c];
    if (before && !sameValue(before[c], values[c])) {
      fields[field] = [before[c] ?? null, values[c] ?? null];
      changed = true;
    }
  }
  return { set, imported, fields, changed };
}

/** Codes in a report's errors, grouped for a summary line. */
export function errorSummary(errors: RowError[]): string {
  return errors.slice(0, 5).map((e) => `${e.line ? `line ${e.line}: ` : ''}${e.message.en}`).join('; ');
}
