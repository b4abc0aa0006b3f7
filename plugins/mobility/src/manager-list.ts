/**
 * The files list: the shared table (search, filters, sort, pages), counts per current step,
 * component scoping and the "waiting on me" filter.
 * @packageDocumentation
 */
import { applyTable, defineTable, isTableRegionRequest, parseTableState, tableUrl } from '@smile/sdk';
import type { RegisterApi, TableFilter, TableSpec, TableState } from '@smile/sdk';
import { coreServices } from '@smile/sdk';
import type { Knex } from 'knex';
import { PERMISSIONS } from './permissions.js';
import { FILE_STATUSES } from './types.js';
import { roleLineage } from './role-lineage.js';
import { m, pick, readScope, storeOf, type Ctx, type Scope } from './manager-common.js';
import { registerBulk } from './bulk.js';
import { registerMassMail } from './mail-mass.js';
import { suspectedCount } from './duplicates.js';

export const FILES = '/mobility/files';

/** The roles the person holds, with their ancestors (a senior manager acts as a manager). */
async function heldRoles(ctx: Ctx): Promise<string[]> {
  const held = ctx.principal.roles ?? [];
  if (!held.length) return [];
  const roles = await ctx.resolve(coreServices.roles).list(ctx.institution.id);
  return [...new Set(held.flatMap((role) => roleLineage(roles, role)))];
}

/**
 * The files the person may see, one row each, with the current step's labels, when it started and
 * whether it waits on this person (owner role held, an approval role held, or their own file).
 */
export function filesQuery(knex: Knex, institutionId: number, scope: Scope, roles: string[], personId: number | null) {
  const list = roles.length ? roles.map(() => '?').join(', ') : null;
  const mine = [
    list ? `s.owner in (${list})` : null,
    list ? `exists (select 1 from jsonb_array_elements(s.approvals) a where a->>'role' in (${list}))` : null,
    personId !== null ? `(s.owner = 'student' and f.person_id = ?)` : null,
  ].filter(Boolean);
  const bindings = [...roles, ...roles, ...(personId !== null ? [personId] : [])];
  const waiting = mine.length ? `(f.status in ('nominated', 'in_progress') and (${mine.join(' or ')}))` : 'false';
  const q = knex('mobility_files as f')
    .leftJoin('components as c', 'c.id', 'f.component_id')
    .leftJoin('mobility_steps as s', function () {
      this.on('s.process_id', 'f.process_id').andOn('s.key', 'f.current_step');
    })
    .leftJoin('mobility_file_steps as v', function () {
      this.on('v.file_id', 'f.id').andOnVal('v.state', 'active');
    })
    .where('f.institution_id', institutionId)
    .select(
      'f.id', 'f.first_name', 'f.last_name', 'f.email', 'f.esi', 'f.home_name', 'f.home_country', 'f.exchange_type', 'f.academic_year',
      'f.status', 'f.current_step', 'f.version', 's.label_fr as step_fr', 's.label_en as step_en', 'v.entered_at as waiting_since', 'c.code as component_code',
      knex.raw(`f.last_name || ' ' || f.first_name as name`),
      knex.raw(`${waiting} as waiting_on_me`, bindings),
    );
  // a referent of a component that approves the file sees it too, not only the main component's
  if (scope !== 'all') q.where((w) => w.whereIn('c.code', scope).orWhereRaw('f.approval_components && ?::text[]', [scope]));
  return q;
}

interface Choices {
  years: number[];
  exchangeTypes: Array<{ code: string; label: { fr: string; en: string } }>;
  steps: Array<{ key: string; label: { fr: string; en: string } }>;
  components: string[];
  countries: string[];
  homes: string[];
}

function filesTable(c: Choices): TableSpec {
  const opt = (v: string, label?: { fr: string; en: string }) => ({ value: v, label: label ?? { fr: v, en: v } });
  const filters: TableFilter[] = [
    { key: 'year', label: m('list.filters.year'), type: 'select', sql: 'academic_year', options: c.years.map((y) => opt(String(y), { fr: `${y}-${y + 1}`, en: `${y}-${y + 1}` })) },
    { key: 'exchange', label: m('list.filters.exchange'), type: 'select', sql: 'exchange_type', options: c.exchangeTypes.map((x) => opt(x.code, x.label)) },
    { key: 'status', label: m('list.filters.status'), type: 'select', options: FILE_STATUSES.map((s) => opt(s, m(`status.${s}`))) },
    { key: 'step', label: m('list.filters.step'), type: 'select', sql: 'current_step', options: c.steps.map((s) => opt(s.key, s.label)) },
  ];
  if (c.components.length) filters.push({ key: 'component', label: m('list.filters.component'), type: 'select', sql: 'component_code', options: c.components.map((x) => opt(x)) });
  if (c.countries.length) filters.push({ key: 'country', label: m('list.filters.country'), type: 'select', sql: 'home_country', options: c.countries.map((x) => opt(x)) });
  if (c.homes.length) filters.push({ key: 'home', label: m('list.filters.home'), type: 'select', sql: 'home_name', options: c.homes.map((x) => opt(x)) });
  filters.push({ key: 'mine', label: m('list.filters.mine'), type: 'boolean', sql: 'waiting_on_me' });
  const types = new Map(c.exchangeTypes.map((x) => [x.code, x.label]));
  return defineTable({
    id: 'mobility-files',
    caption: m('list.caption'),
    columns: [
      { key: 'name', label: m('list.col.name'), sortable: true, href: (row) => `${FILES}/${row.id}` },
      { key: 'home_name', label: m('list.col.home'), sortable: true },
      { key: 'home_country', label: m('list.col.country'), sortable: true },
      { key: 'exchange_type', label: m('list.col.exchange'), sortable: true, format: (v, _r, lang) => pick(lang, types.get(String(v))) || String(v ?? '') },
      { key: 'academic_year', label: m('list.col.year'), type: 'number', sortable: true, format: (v) => (v ? `${v}-${Number(v) + 1}` : '') },
      { key: 'status', label: m('list.col.status'), sortable: true, format: (v, _r, lang) => ((FILE_STATUSES as readonly string[]).includes(String(v)) ? m(`status.${v}`)[lang] : String(v)) },
      { key: 'step_en', label: m('list.col.step'), sortable: true, format: (_v, row, lang) => (lang === 'fr' ? row.step_fr : row.step_en) ?? '' },
      { key: 'waiting_since', label: m('list.col.since'), type: 'date', sortable: true },
    ],
    filters,
    search: { columns: ['first_name', 'last_name', 'email', 'esi'] },
    defaultSort: { key: 'name' },
    uniqueKey: 'id',
  });
}

/** The files table of a request: its spec (with the filter choices), the base query in `scope`, the state of the URL. */
export interface FilesTable {
  spec: TableSpec;
  base: Knex.QueryBuilder;
  state: TableState;
  steps: Map<string, { key: string; label: { fr: string; en: string } }>;
}

/**
 * The files list as the person sees it: scope (`readScope` by default; the bulk actions and mass mail
 * narrow it to where the person may act), filter choices, and the state of the URL's query.
 */
export async function filesTableFor(ctx: Ctx, scope: Scope = readScope(ctx), query: Record<string, unknown> = ctx.query): Promise<FilesTable> {
  const inst = ctx.institution.id;
  const knex = ctx.db.knex;
  const base = filesQuery(knex, inst, scope, await heldRoles(ctx), ctx.principal.personId ?? null);
  const [years, countries, homes, stepRows, components, exchangeTypes] = await Promise.all([
    knex('mobility_files').where({ institution_id: inst }).distinct('academic_year').orderBy('academic_year', 'desc'),
    knex('mobility_files').where({ institution_id: inst }).whereNotNull('home_country').distinct('home_country').orderBy('home_country'),
    knex('mobility_files').where({ institution_id: inst }).whereNotNull('home_name').distinct('home_name').orderBy('home_name').limit(500),
    knex('mobility_steps as s').join('mobility_processes as p', 'p.id', 's.process_id').where({ 'p.institution_id': inst, 'p.active': true })
      .select('s.key', 's.label_fr', 's.label_en').orderBy(['p.key', 's.position']),
    scope === 'all' ? knex('components').where({ institution_id: inst }).orderBy('code').pluck('code') : Promise.resolve([...scope].sort()),
    storeOf(ctx).exchangeTypes(inst),
  ]);
  const steps = new Map<string, { key: string; label: { fr: string; en: string } }>();
  for (const s of stepRows as any[]) if (!steps.has(s.key)) steps.set(s.key, { key: s.key, label: { fr: s.label_fr, en: s.label_en } });
  const spec = filesTable({
    years: (years as any[]).map((y) => Number(y.academic_year)), countries: (countries as any[]).map((c) => String(c.home_country)),
    homes: (homes as any[]).map((h) => String(h.home_name)), steps: [...steps.values()], components: components as string[], exchangeTypes,
  });
  return { spec, base, state: parseTableState(spec, query), steps };
}

export function registerList(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: FILES,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const knex = ctx.db.knex;
      const { spec, base, state, steps } = await filesTableFor(ctx);
      const seen = base.clone();
      const [table, counts] = await Promise.all([
        applyTable(base, spec, state),
        knex.from(seen.as('x')).select('current_step', 'step_fr', 'step_en').count('* as n').groupBy('current_step', 'step_fr', 'step_en'),
      ]);
      const stepCounts = (counts as any[])
        .map((c) => ({ key: c.current_step as string | null, label: c.current_step ? (ctx.language === 'fr' ? c.step_fr : c.step_en) ?? c.current_step : ctx.t('mobility:manager.list.noStep'), n: Number(c.n) }))
        .sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : [...steps.keys()].indexOf(a.key) - [...steps.keys()].indexOf(b.key)));
      const canManage = ctx.can(PERMISSIONS.manage);
      // each checkbox carries the version and step the person saw: a file moved since is reported, not moved again
      const bulk = {
        ids: table.rows.map((row: any) => `${row.id}:${row.version}:${row.current_step ?? ''}`),
        names: table.rows.map((row: any) => String(row.name ?? '')),
        exportHref: tableUrl(table.state, {}, `${FILES}/export`),
        mailHref: tableUrl(table.state, {}, `${FILES}/mail`),
        back: tableUrl(table.state, {}, FILES),
        canManage,
      };
      const locals = { table, spec: table.spec, baseUrl: FILES, bulk };
      // the region of an htmx request (sort, page, filters) is the selection table's, not core/table's
      ctx.koa.vary('HX-Target');
      if (isTableRegionRequest(ctx, table.spec)) await ctx.render('mobility/bulk-table', { ...locals, fragment: true });
      else await ctx.render('mobility/manager-files', { ...locals, title: ctx.t('mobility:manager.list.title'), stepCounts, canManage, duplicates: await suspectedCount(ctx) });
    },
  });
  // before the file page's /mobility/files/:id, which would take "mail" and "export" for ids
  registerMassMail(r, filesTableFor);
  registerBulk(r, filesTableFor);
}
