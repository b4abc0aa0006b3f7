import { applyTable, defineTable, isTableRegionRequest, parseTableState } from '@smile/sdk';
import type { RegisterApi, TableSpec } from '@smile/sdk';
import type { Ctx } from './common.js';
import { bilingual } from './strings.js';

export const OUTCOMES = ['success', 'failure'] as const;
/** How many distinct actions the filter offers (the most frequent ones would need a count: alphabetical is clearer). */
const MAX_ACTIONS = 300;

/** A row of the log as the base query selects it. */
interface AuditRow {
  id: number;
  at: Date;
  actor_label: string;
  ip: string | null;
  request_id: string | null;
  action: string;
  outcome: string;
  target: string;
  before: unknown;
  after: unknown;
  detail: unknown;
}

const outcomeLabels = Object.fromEntries(OUTCOMES.map((o) => [o, bilingual(`audit.outcomes.${o}`)]));

/** The log's table; per request, because the action filter offers the actions this institution's log holds. */
export function auditTable(actions: readonly string[]): TableSpec<AuditRow> {
  return defineTable<AuditRow>({
    id: 'admin-audit',
    caption: bilingual('audit.caption'),
    columns: [
      { key: 'at', label: bilingual('audit.col.at'), type: 'datetime', sortable: true, firstDir: 'desc' },
      { key: 'actor_label', label: bilingual('audit.col.actor'), sortable: true },
      { key: 'action', label: bilingual('audit.col.action'), sortable: true },
      { key: 'outcome', label: bilingual('audit.col.outcome'), sortable: true, format: (v, _row, lang) => outcomeLabels[String(v)]?.[lang] ?? String(v) },
      { key: 'target', label: bilingual('audit.col.target'), sortable: true },
    ],
    filters: [
      ...(actions.length ? [{ key: 'action', label: bilingual('audit.col.action'), type: 'select' as const, options: actions.map((a) => ({ value: a, label: { fr: a, en: a } })) }] : []),
      { key: 'outcome', label: bilingual('audit.col.outcome'), type: 'select', options: OUTCOMES.map((o) => ({ value: o, label: outcomeLabels[o]! })) },
      { key: 'at', label: bilingual('audit.dates'), type: 'range', valueType: 'date' },
    ],
    search: { columns: ['actor_label', 'target'] },
    defaultSort: { key: 'at', dir: 'desc' },
    uniqueKey: 'id',
  });
}

/** A JSON value for a person to read: indented; `null` when there is nothing to show. */
export function pretty(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && Object.keys(v as object).length === 0) return null;
  return JSON.stringify(v, null, 2);
}

async function list(ctx: Ctx) {
  const actions = (await ctx.db.table('audit_log').distinct('action').orderBy('action').limit(MAX_ACTIONS)).map((r: { action: string }) => r.action);
  const spec = auditTable(actions);
  const state = parseTableState(spec, ctx.query);
  const k = ctx.db.knex;
  const base = ctx.db.table('audit_log').select('id', 'at', 'actor_label', 'ip', 'request_id', 'action', 'outcome', 'before', 'after', 'detail')
    .select(k.raw(`coalesce(target_type, '') || coalesce(':' || target_id, '') as target`));
  const table = await applyTable(base, spec, state);
  const entries = table.rows.map((r) => ({
    id: Number(r.id), ip: r.ip, requestId: r.request_id, before: pretty(r.before), after: pretty(r.after), detail: pretty(r.detail),
  }));
  const locals = { table, spec, baseUrl: '/admin/audit', entries };
  // the core table partial has no room for the expandable entries: this page has its own, which
  // answers htmx requests aimed at the region the same way (region alone + count out of band)
  ctx.koa.vary('HX-Target');
  if (isTableRegionRequest(ctx, spec)) return ctx.render('admin/audit-table', { ...locals, fragment: true });
  await ctx.render('admin/audit', { ...locals, title: ctx.t('admin:audit.title') });
}

/** `/admin/audit`: the institution's audit log, read-only, newest first. */
export function registerAudit(r: RegisterApi) {
  r.route({ method: 'GET', path: '/admin/audit', permission: 'admin:audit.read', handler: list });
}
