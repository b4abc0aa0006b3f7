/**
 * Imports and syncs: the connectors of the institution (a "sync now" button for those that read
 * their source themselves), the run history, the page of a run (errors with their lines, why it
 * failed, what it changed) and its progress bar, refreshed by htmx while it runs.
 * @packageDocumentation
 */
import { applyTable, defineTable, formField as field, parseTableState, renderTable, seeOther } from '@smile/sdk';
import type { TableSpec } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import type { SyncRun } from './store.js';
import { ELEMENT_FIELDS, FORMATION_FIELDS } from './types.js';
import { b, idParam, notFound, pageLocals, readScope, reason, storeOf, yearChoices, yearOf, type Ctx, type PartContext } from './admin-common.js';
import { changesQuery, changesTable, registerChanges, renderChanges } from './admin-changes.js';

const SYNC = '/catalogue/admin/sync';
const STATES = ['queued', 'running', 'succeeded', 'failed'] as const;
const TRIGGERS = ['manual', 'schedule', 'upload', 'cli'] as const;
/** Fields of row errors that have a label. */
const LABELLED = new Set<string>([...ELEMENT_FIELDS, ...FORMATION_FIELDS, 'code', 'formationCode', 'parentCode', 'childCode']);
/** The store's reasons of a failed run, translated (a connector's own reason is shown as it is). */
const FAILURES: Record<string, string> = {
  'the data has errors: nothing was imported': 'data',
  'the source has rows that cannot be read: nothing was imported': 'read',
};
const active = (run: Pick<SyncRun, 'state'>) => run.state === 'queued' || run.state === 'running';

function runsTable(connectors: string[]): TableSpec {
  return defineTable({
    id: 'catalogue-runs',
    caption: b('runs.caption'),
    columns: [
      { key: 'id', label: b('runs.col.id'), sortable: true, type: 'number', firstDir: 'desc', href: (row) => `${SYNC}/runs/${row.id}`, format: (v, _r, lang) => b('runs.number')[lang].replace('{{id}}', String(v)) },
      { key: 'connector', label: b('runs.col.connector'), sortable: true },
      { key: 'year', label: b('runs.col.year'), sortable: true, format: (v) => `${v}–${Number(v) + 1}` },
      { key: 'trigger', label: b('runs.col.trigger'), sortable: true, format: (v, _r, lang) => b(`triggers.${v}`)[lang] },
      { key: 'state', label: b('runs.col.state'), sortable: true, format: (v, row, lang) => b(`states.${v}`)[lang] + (row.dry_run ? ` (${b('runs.dryRun')[lang]})` : '') },
      { key: 'started_at', label: b('runs.col.started'), type: 'datetime', sortable: true, firstDir: 'desc' },
      { key: 'finished_at', label: b('runs.col.finished'), type: 'datetime', sortable: true, firstDir: 'desc' },
      { key: 'created', label: b('runs.col.created'), type: 'number', sortable: true },
      { key: 'updated', label: b('runs.col.updated'), type: 'number', sortable: true },
      { key: 'closed', label: b('runs.col.closed'), type: 'number', sortable: true },
      { key: 'error_count', label: b('runs.col.errors'), type: 'number', sortable: true },
    ],
    filters: [
      ...(connectors.length ? [{ key: 'connector', label: b('runs.col.connector'), type: 'select' as const, options: connectors.map((c) => ({ value: c, label: { fr: c, en: c } })) }] : []),
      { key: 'state', label: b('runs.col.state'), type: 'select', options: STATES.map((s) => ({ value: s, label: b(`states.${s}`) })) },
      { key: 'trigger', label: b('runs.col.trigger'), type: 'select', options: TRIGGERS.map((s) => ({ value: s, label: b(`triggers.${s}`) })) },
    ],
    defaultSort: { key: 'id', dir: 'desc' },
    uniqueKey: 'id',
    pageSize: 10,
  });
}

/** Progress of a run for its bar: done and total when known, and the percentage. */
export function progressOf(run: SyncRun): { done: number; total: number | null; percent: number | null } {
  const total = run.total && run.total > 0 ? run.total : null;
  const done = Math.max(0, Math.min(run.done ?? 0, total ?? Number.MAX_SAFE_INTEGER));
  return { done, total, percent: total ? Math.round((done / total) * 100) : null };
}

async function loadRun(ctx: Ctx): Promise<SyncRun> {
  const run = await storeOf(ctx).run(ctx.institution.id, idParam(ctx, 'run'));
  if (!run) throw notFound(ctx, 'run');
  return run;
}

/** The connectors of the institution as the page lists them. */
function connectorRows(p: PartContext, ctx: Ctx, runs: SyncRun[]) {
  return p.connectors(ctx.institution).map((c) => {
    let configured = false;
    let schedule: string | null = null;
    try {
      configured = c.configured(ctx.institution);
      schedule = c.schedule?.(ctx.institution) ?? null;
    } catch (e) {
      ctx.log.warn({ connector: c.id, err: reason(e) }, 'connector settings unreadable');
    }
    const busy = runs.find((r) => r.connector === c.id && active(r)) ?? null;
    // a pull connector's link is its settings page, which only administrators of plugins may open
    const href = c.href && (c.mode === 'file' || ctx.can('admin:plugins.manage')) ? c.href : null;
    return { id: c.id, label: c.label[ctx.language], mode: c.mode, configured, schedule, href, canSync: c.mode === 'pull' && configured && !!c.fetch, busy };
  });
}

export function registerSyncPages(p: PartContext): void {
  const { r } = p;

  r.route({
    method: 'GET',
    path: SYNC,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const store = storeOf(ctx);
      const recent = await store.runs(ctx.institution.id, { limit: 50 });
      const connectors = connectorRows(p, ctx, recent);
      const known = [...new Set([...connectors.map((c) => c.id), ...recent.map((x) => x.connector)])].sort();
      const spec = runsTable(known);
      const state = parseTableState(spec, ctx.query);
      const base = ctx.db.knex('catalogue_sync_runs').where({ institution_id: ctx.institution.id })
        .select('id', 'connector', 'year', 'trigger', 'state', 'dry_run', 'started_at', 'finished_at', 'created', 'updated', 'closed', 'error_count');
      const table = await applyTable(base, spec, state);
      const year = yearOf(ctx);
      await renderTable(ctx, {
        view: 'catalogue/admin-sync', table, baseUrl: SYNC,
        locals: {
          ...pageLocals(ctx, 'sync', ctx.t('catalogue:admin.sync.title')), connectors, activeRuns: recent.filter(active).map((run) => ({ run, progress: progressOf(run) })),
          year, years: await yearChoices(ctx, year), wide: readScope(ctx) === 'all' && ctx.scopeOf(PERMISSIONS.import) === 'all',
        },
      });
    },
  });

  r.route({
    method: 'POST',
    path: `${SYNC}/:connector`,
    permission: PERMISSIONS.import,
    async handler(ctx) {
      // an import changes the whole institution's offer: not for people limited to some components
      if (ctx.scopeOf(PERMISSIONS.import) !== 'all') {
        ctx.flash('error', ctx.t('catalogue:admin.sync.wholeInstitution'));
        return seeOther(ctx, SYNC);
      }
      const id = String(ctx.params.connector ?? '');
      const year = yearOf(ctx, ctx.body as Record<string, unknown>);
      try {
        const run = await p.startSync(ctx.institution, id, 'manual', { institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, label: ctx.principal.label }, { year });
        ctx.flash('success', ctx.t('catalogue:admin.sync.started', { id: run.id }));
        seeOther(ctx, `${SYNC}/runs/${run.id}`);
      } catch (e) {
        ctx.log.info({ connector: id.slice(0, 40), err: reason(e) }, 'catalogue sync not started');
        ctx.flash('error', ctx.t('catalogue:admin.sync.notStarted', { connector: id.slice(0, 40), reason: reason(e) }));
        seeOther(ctx, SYNC);
      }
    },
  });

  r.route({
    method: 'GET',
    path: `${SYNC}/runs/:id`,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const run = await loadRun(ctx);
      const spec = changesTable(ctx, { exchangeTypes: p.r.settingsFor(ctx.institution).exchangeTypes }, 'c_');
      const base = changesQuery(ctx.db.knex, ctx.institution.id, readScope(ctx), ctx.language).where('ch.run_id', run.id);
      const title = ctx.t('catalogue:admin.runs.runNumber', { id: run.id });
      await renderChanges(ctx, 'catalogue/admin-run', base, spec, `${SYNC}/runs/${run.id}`, {
        ...pageLocals(ctx, 'sync', title), run, progress: progressOf(run), active: active(run),
        errors: run.errors.map((e) => ({ ...e, text: e.message?.[ctx.language] ?? '', fieldLabel: e.field && LABELLED.has(e.field) ? ctx.t(`catalogue:admin.fields.${e.field}`) : (e.field ?? '') })),
        failure: run.failure ? (FAILURES[run.failure] ? ctx.t(`catalogue:admin.runs.failures.${FAILURES[run.failure]}`) : run.failure) : null,
      });
    },
  });

  // the progress bar alone, polled every second by htmx while the run is queued or running
  r.route({
    method: 'GET',
    path: `${SYNC}/runs/:id/progress`,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const run = await loadRun(ctx);
      const onRunPage = field(ctx.query, 'from') === 'run';
      // on the run's own page, the finished run shows its errors and changes: reload it once
      if (!active(run) && onRunPage && ctx.htmx) ctx.koa.set('HX-Refresh', 'true');
      ctx.koa.set('Cache-Control', 'no-store');
      await ctx.render('catalogue/admin-run-progress', { run, progress: progressOf(run), active: active(run), from: onRunPage ? 'run' : 'sync', oob: ctx.htmx });
    },
  });

  registerChanges(p);
}
