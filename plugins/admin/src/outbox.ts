import { SmileError, ErrorCodes, applyTable, defineTable, parseTableState, renderTable } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import type { Ctx } from './common.js';
import { bilingual } from './strings.js';

export const STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;

/** A row of the list, as the base query selects it: never the bodies. */
interface OutboxRow {
  id: string | number;
  recipient: string;
  subject: string;
  status: string;
  attempts: number;
  created_at: Date;
}

const statusLabels = Object.fromEntries(STATUSES.map((s) => [s, bilingual(`outbox.statuses.${s}`)]));

/** The outbox list: newest first, filter on the status, search on recipient and subject, pages in the URL. */
export const outboxTable = defineTable<OutboxRow>({
  id: 'admin-outbox',
  caption: bilingual('outbox.caption'),
  columns: [
    { key: 'created_at', label: bilingual('outbox.col.created'), type: 'datetime', sortable: true, firstDir: 'desc' },
    { key: 'recipient', label: bilingual('outbox.col.recipient'), sortable: true },
    { key: 'subject', label: bilingual('outbox.col.subject'), sortable: true, href: (row) => `/admin/outbox/${row.id}` },
    { key: 'status', label: bilingual('outbox.col.status'), sortable: true, format: (v, _row, lang) => statusLabels[String(v)]?.[lang] ?? String(v) },
    { key: 'attempts', label: bilingual('outbox.col.attempts'), type: 'number', sortable: true },
  ],
  filters: [
    { key: 'status', label: bilingual('outbox.statusLabel'), type: 'select', options: STATUSES.map((s) => ({ value: s, label: statusLabels[s]! })) },
  ],
  search: { columns: ['recipient', 'subject'] },
  defaultSort: { key: 'created_at', dir: 'desc' },
  uniqueKey: 'id',
});

async function list(ctx: Ctx) {
  const state = parseTableState(outboxTable, ctx.query);
  // the tenant-bound handle filters on the institution; the bodies are not even selected
  const base = ctx.db.table('mail_outbox').select('id', 'recipient', 'subject', 'status', 'attempts', 'created_at');
  const table = await applyTable(base, outboxTable, state);
  await renderTable(ctx, { view: 'admin/outbox', table, baseUrl: '/admin/outbox', locals: { title: ctx.t('admin:outbox.title') } });
}

async function detail(ctx: Ctx) {
  const id = String(ctx.params.id ?? '');
  const notFound = () => new SmileError(ErrorCodes.NOT_FOUND, 'no such message in this institution’s outbox', { status: 404 });
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw notFound();
  // a message of another institution is simply not found
  const m = await ctx.db.table('mail_outbox').where({ id }).first();
  if (!m) throw notFound();
  await ctx.render('admin/outbox-detail', {
    title: ctx.t('admin:outbox.detailTitle', { id }),
    mail: {
      id: Number(m.id), recipient: m.recipient, cc: (m.cc ?? []) as string[], subject: m.subject, status: m.status, attempts: m.attempts,
      lastError: m.last_error as string | null, tag: m.tag as string | null, text: m.body_text as string, hasHtml: !!m.body_html,
      createdAt: new Date(m.created_at), sentAt: m.sent_at ? new Date(m.sent_at) : null, nextAttemptAt: new Date(m.next_attempt_at),
    },
    back: '/admin/outbox',
  });
}

/** `/admin/outbox`: the institution's mail outbox; one message per detail page. */
export function registerOutbox(r: RegisterApi) {
  r.route({ method: 'GET', path: '/admin/outbox', permission: 'admin:outbox.read', handler: list });
  r.route({ method: 'GET', path: '/admin/outbox/:id', permission: 'admin:outbox.read', handler: detail });
}
