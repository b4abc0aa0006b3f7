/**
 * Messages on a file between its student and the office: the thread and its form on the file's
 * page and in the student's space (a `fileSections` block, order 200), the two POST routes, and
 * the mail that tells the other side.
 * @packageDocumentation
 */
import { coreServices, formField, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { mobilityHooks } from './hooks.js';
import { PERMISSIONS } from './permissions.js';
import type { MobilityFile } from './types.js';
import { idParam, fileInScope, inScope, notFound, readScope, storeOf, type Ctx } from './manager-common.js';
import { notifyAudience, type MailDeps } from './mail-notify.js';

/** Longest message accepted, in characters. */
export const MESSAGE_MAX = 4000;
/** Where a refused message waits (with its error) for the page the author is sent back to. */
const DRAFT = 'mobility.messageDraft';

type Side = 'student' | 'office';
interface Draft {
  fileId: number;
  side: Side;
  text: string;
  error: string;
}

/** One message as the thread shows it. */
export interface MessageView {
  id: number;
  author: string;
  side: Side;
  at: Date;
  /** The text's lines (escaped one by one in the view, joined by line breaks). */
  lines: string[];
}

const pageOf = (side: Side, fileId: number) => (side === 'student' ? `/mobility/me/${fileId}` : `/mobility/files/${fileId}`);

/** The file of a student's own space, or a 404 (another person's file does not exist for them). */
async function ownFile(ctx: Ctx, id: number): Promise<MobilityFile> {
  const file = await storeOf(ctx).file(ctx.institution.id, id);
  if (!file || !ctx.principal.personId || file.personId !== ctx.principal.personId) throw notFound(ctx);
  return file;
}

/** The file of the office's page, in the person's read scope, or a 404. */
async function officeFile(ctx: Ctx, id: number): Promise<MobilityFile> {
  const file = await storeOf(ctx).file(ctx.institution.id, id);
  if (!file || !fileInScope(readScope(ctx), file)) throw notFound(ctx);
  return file;
}

/** The thread of a file, oldest first. */
export async function thread(ctx: Ctx, fileId: number): Promise<MessageView[]> {
  const rows = await ctx.db.table('mobility_messages').where({ file_id: fileId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
  return rows.map((r: any) => ({ id: Number(r.id), author: r.author_label, side: r.author_side, at: new Date(r.created_at), lines: String(r.body).split(/\r?\n/) }));
}

/**
 * Record a message and queue the mail to the other side, in one transaction, audited. The text is
 * checked first: an error comes back as a message in the author's language, nothing recorded.
 */
async function post(ctx: Ctx, deps: MailDeps, file: MobilityFile, side: Side): Promise<void> {
  const text = formField(ctx.body, 'body', true).replace(/\r\n/g, '\n');
  const trimmed = text.trim();
  let error = '';
  if (!trimmed) error = ctx.t('mobility:mail.messages.errors.empty');
  else if (trimmed.length > MESSAGE_MAX) error = ctx.t('mobility:mail.messages.errors.tooLong', { max: MESSAGE_MAX, count: trimmed.length });
  if (error) {
    // kept in the session for the page the author goes back to: nothing typed is lost
    ctx.session.set(DRAFT, { fileId: file.id, side, text, error } satisfies Draft);
    return seeOther(ctx, `${pageOf(side, file.id)}#messages`);
  }
  const audit = ctx.resolve(coreServices.audit);
  await ctx.db.knex.transaction(async (trx) => {
    const [row] = await trx('mobility_messages')
      .insert({ institution_id: ctx.institution.id, file_id: file.id, person_id: ctx.principal.personId ?? null, author_label: ctx.principal.label, author_side: side, body: trimmed })
      .returning('id');
    // the text stays out of the audit log: it may hold personal matters
    await audit.record(ctx, { action: 'mobility.message.create', targetType: 'mobility_file', targetId: file.id, detail: { message: Number(row.id), side, length: trimmed.length } }, { trx });
    if (side === 'office') await notifyAudience(deps, trx, file, 'message-to-student', 'student', { trx });
    else await notifyAudience(deps, trx, file, 'message-to-office', 'manager', { role: 'manager', trx });
  });
  ctx.flash('success', ctx.t('mobility:mail.messages.sent'));
  seeOther(ctx, `${pageOf(side, file.id)}#messages`);
}

/** The messages block, the routes that post to it. */
export function registerMessages(r: RegisterApi<any>, deps: MailDeps): void {
  r.hooksOf(mobilityHooks).fileSections.tap(async (sections, { ctx, file, audience }) => {
    const side: Side = audience === 'student' ? 'student' : 'office';
    if (side === 'student' ? file.personId === null || file.personId !== ctx.principal.personId : !ctx.can(PERMISSIONS.read, { component: file.componentCode })) return sections;
    const saved = ctx.session.get<Draft>(DRAFT);
    const draft = saved && saved.fileId === file.id && saved.side === side ? saved : null;
    if (saved) ctx.session.set(DRAFT, undefined);
    return [...sections, {
      id: 'messages', order: 200, view: 'mobility/messages-thread',
      locals: {
        messages: await thread(ctx, file.id), action: `${pageOf(side, file.id)}/messages`, side,
        draft: draft?.text ?? '', messageError: draft?.error ?? null, maxLength: MESSAGE_MAX,
      },
    }];
  });

  r.route({
    method: 'POST',
    path: '/mobility/files/:id/messages',
    permission: PERMISSIONS.read,
    handler: async (ctx) => post(ctx, deps, await officeFile(ctx, idParam(ctx)), 'office'),
  });

  r.route({
    method: 'POST',
    path: '/mobility/me/:id/messages',
    permission: PERMISSIONS.self,
    handler: async (ctx) => post(ctx, deps, await ownFile(ctx, idParam(ctx)), 'student'),
  });
}
