/**
 * What imports changed: the table of recorded changes (created, updated with each field's before
 * and after, closed, reopened), used by the "what changed since the last import" page and by the
 * page of a sync run.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import { applyTable, defineTable, parseTableState, renderTable } from '@smile/sdk';
import type { TableResult, TableSpec } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import { b, pageLocals, readScope, storeOf, yearChoices, yearOf, type Ctx, type Lang, type PartContext, type Scope } from './admin-common.js';
import { display, type DisplayContext } from './admin-display.js';

const ENTITIES = ['component', 'formation', 'element'] as const;
const CHANGES = ['created', 'updated', 'closed', 'reopened'] as const;

/** The changes table of one request (its cells are written in the page language). */
export function changesTable(ctx: Ctx, d: DisplayContext, prefix = ''): TableSpec {
  const fieldsText = (v: unknown) =>
    Object.entries((v ?? {}) as Record<string, [unknown, unknown]>)
      .map(([f, pair]) => ctx.t('catalogue:admin.changes.fieldChange', { field: ctx.t(`catalogue:admin.fields.${f}`), before: display(ctx, f, pair?.[0], d), after: display(ctx, f, pair?.[1], d) }))
      .join(' ; ');
  return defineTable({
    id: prefix ? 'catalogue-run-changes' : 'catalogue-changes',
    prefix: prefix || undefined,
    caption: b('changes.caption'),
    columns: [
      { key: 'at', label: b('changes.col.at'), type: 'datetime', sortable: true, firstDir: 'desc' },
      { key: 'entity', label: b('changes.col.entity'), sortable: true, format: (v, _r, lang) => b(`entities.${v}`)[lang] },
      {
        key: 'code', label: b('elements.col.code'), sortable: true,
        href: (row) => (row.target_id ? `/catalogue/admin/${row.entity === 'element' ? 'elements' : 'formations'}/${row.target_id}` : row.entity === 'component' ? `/catalogue/admin/components/${encodeURIComponent(row.code)}` : null),
      },
      { key: 'title', label: b('elements.col.title'), sortable: true },
      { key: 'change', label: b('changes.col.change'), sortable: true, format: (v, _r, lang) => b(`changeKinds.${v}`)[lang] },
      { key: 'fields', label: b('changes.col.fields'), format: (v) => fieldsText(v) },
    ],
    filters: [
      { key: 'entity', label: b('changes.col.entity'), type: 'select', options: ENTITIES.map((e) => ({ value: e, label: b(`entities.${e}`) })) },
      { key: 'change', label: b('changes.col.change'), type: 'select', options: CHANGES.map((c) => ({ value: c, label: b(`changeKinds.${c}`) })) },
    ],
    search: { columns: ['code', 'title'] },
    defaultSort: { key: 'at', dir: 'desc' },
    uniqueKey: 'id',
  });
}

/** Recorded changes of an institution (within the person's components), to narrow with `where`. */
export function changesQuery(knex: Knex | Knex.Transaction, institutionId: number, scope: Scope, lang: Lang): Knex.QueryBuilder {
  const q = knex('catalogue_changes as ch')
    .leftJoin('catalogue_elements as e', function () {
      this.on('e.institution_id', '=', 'ch.institution_id').andOnVal('ch.entity', '=', 'element').andOn('e.year', '=', 'ch.year').andOn('e.code', '=', 'ch.code');
    })
    .leftJoin('catalogue_formations as f', function () {
      this.on('f.institution_id', '=', 'ch.institution_id').andOnVal('ch.entity', '=', 'formation').andOn('f.year', '=', 'ch.year').andOn('f.code', '=', 'ch.code');
    })
    .leftJoin('components as cc', function () {
      this.on('cc.institution_id', '=', 'ch.institution_id').andOnVal('ch.entity', '=', 'component').andOn('cc.code', '=', 'ch.code');
    })
    .leftJoin('components as c', 'c.id', knex.raw('coalesce(e.component_id, f.component_id)'))
    .where('ch.institution_id', institutionId)
    .select(
      'ch.id', 'ch.entity', 'ch.code', 'ch.change', 'ch.fields', 'ch.at', 'ch.run_id', 'ch.year',
      knex.raw('coalesce(e.id, f.id) as target_id'),
      knex.raw(
        lang === 'en'
          ? `coalesce(nullif(e.title_en, ''), e.title_fr, nullif(f.name_en, ''), f.name_fr, cc.name_en) as title`
          : 'coalesce(e.title_fr, f.name_fr, cc.name_fr) as title',
      ),
    );
  if (scope !== 'all') {
    const codes = scope.length ? scope : ['\u0000'];
    q.whereRaw(`coalesce(c.code, cc.code) in (${codes.map(() => '?').join(', ')})`, codes);
  }
  return q;
}

/** An import as the changes page offers it: the changes recorded by one run, or by one import without a run. */
export interface ImportGroup {
  key: string;
  runId: number | null;
  connector: string | null;
  at: Date;
  count: number;
  minId: number;
  maxId: number;
}

/** The latest imports of a year that changed something, newest first. */
export async function importGroups(knex: Knex | Knex.Transaction, institutionId: number, year: number): Promise<ImportGroup[]> {
  const rows = await knex('catalogue_changes as ch')
    .leftJoin('catalogue_sync_runs as r', 'r.id', 'ch.run_id')
    .where({ 'ch.institution_id': institutionId, 'ch.year': year })
    .groupBy('ch.run_id', 'ch.at', 'r.connector')
    .orderByRaw('max(ch.id) desc')
    .limit(20)
    .select('ch.run_id', 'ch.at', 'r.connector', knex.raw('count(*)::int as n'), knex.raw('min(ch.id) as min_id'), knex.raw('max(ch.id) as max_id'));
  return rows.map((r: Record<string, any>) => ({
    key: `${r.min_id}-${r.max_id}`, runId: r.run_id, connector: r.connector ?? null, at: r.at, count: r.n, minId: Number(r.min_id), maxId: Number(r.max_id),
  }));
}

/** Render a page holding a changes table (the page, or the table region for htmx). */
export async function renderChanges(
  ctx: Ctx, view: string, base: Knex.QueryBuilder, spec: TableSpec, baseUrl: string, locals: Record<string, unknown>, query: Record<string, unknown> = ctx.query,
): Promise<TableResult> {
  const state = parseTableState(spec, query);
  const table = await applyTable(base, spec, state);
  await renderTable(ctx, { view, table, baseUrl, locals });
  return table;
}

export function registerChanges(p: PartContext): void {
  p.r.route({
    method: 'GET',
    path: '/catalogue/admin/changes',
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const year = yearOf(ctx);
      const knex = ctx.db.knex;
      const groups = await importGroups(knex, ctx.institution.id, year);
      const wanted = typeof ctx.query.imp === 'string' ? ctx.query.imp : '';
      const group = wanted === 'all' ? null : (groups.find((g) => g.key === wanted) ?? groups[0] ?? null);
      const base = changesQuery(knex, ctx.institution.id, readScope(ctx), ctx.language).where('ch.year', year);
      if (group) base.whereBetween('ch.id', [group.minId, group.maxId]);
      const d: DisplayContext = { exchangeTypes: p.r.settingsFor(ctx.institution).exchangeTypes };
      const spec = changesTable(ctx, d);
      // the table's links and search keep the year and the import chosen
      const query: Record<string, unknown> = { ...ctx.query, year: String(year) };
      if (group) query.imp = group.key;
      await renderChanges(ctx, 'catalogue/admin-changes', base, spec, '/catalogue/admin/changes', {
        ...pageLocals(ctx, 'changes', ctx.t('catalogue:admin.changes.title')), year, years: await yearChoices(ctx, year), groups, group, all: wanted === 'all',
        lastRun: (await storeOf(ctx).runs(ctx.institution.id, { limit: 1 }))[0] ?? null,
      }, query);
    },
  });
}
