/**
 * Bulk actions on the files list: validate the current step of the selected files (each through
 * the engine with the version the person saw), send them a reminder now, export them; and the CSV
 * export of the whole filtered list. Access is checked file by file (component scope).
 * @packageDocumentation
 */
import { applyTable, coreServices, formField, formFields, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import type { MobilityFile } from './types.js';
import { actorOf, fileInScope, inScope, pick, readScope, statusOf, storeOf, type Ctx, type Scope } from './manager-common.js';
import type { FilesTable } from './manager-list.js';
import { filesCsv, sendCsv } from './bulk-csv.js';
import { sendReminderNow } from './mail-reminders.js';
import { mailDeps } from './mail-notify.js';

const FILES = '/mobility/files';
/** More than a page can show (100 rows): anything above is not a person's selection. */
const MAX_SELECTION = 500;
const SELECTION = /^([1-9][0-9]{0,9}):([0-9]{1,9}):([a-z][a-z0-9-]{0,63})?$/;

type TableFor = (ctx: Ctx, scope?: Scope, query?: Record<string, unknown>) => Promise<FilesTable>;

/** A selected row: the file, the version and step the person saw. */
interface Selected {
  id: number;
  version: number;
  step: string | null;
}

/** One line of the result page. */
interface Outcome {
  id: number;
  name: string;
  href: string | null;
  ok: boolean;
  text: string;
}

function selection(ctx: Ctx): Selected[] {
  const seen = new Set<number>();
  const out: Selected[] = [];
  for (const v of formFields(ctx.body, 'file')) {
    const m = SELECTION.exec(v);
    if (!m || seen.has(Number(m[1]))) continue;
    seen.add(Number(m[1]));
    out.push({ id: Number(m[1]), version: Number(m[2]), step: m[3] ?? null });
  }
  return out;
}

/** The list page to go back to: one of ours, never another site. */
const backOf = (ctx: Ctx): string => {
  const back = formField(ctx.body, 'back');
  return /^\/mobility\/files(\?[^\s]*)?$/.test(back) ? back : FILES;
};

/** Every id of the filtered list, in the list's order (all pages). */
export async function allIds(table: FilesTable): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const r = await applyTable(table.base.clone(), table.spec, { ...table.state, page, size: 1000 });
    ids.push(...r.rows.map((row: any) => Number(row.id)));
    if (page >= r.pageCount) return ids;
  }
}

const today = () => new Date().toISOString().slice(0, 10);
const nameOf = (f: MobilityFile) => `${f.lastName} ${f.firstName}`;

/** Validate each selected file's step through the engine; every file gets its own outcome. */
async function validateAll(ctx: Ctx, files: Selected[]): Promise<Outcome[]> {
  const store = storeOf(ctx);
  const scope = readScope(ctx);
  const out: Outcome[] = [];
  for (const s of files) {
    const file = await store.file(ctx.institution.id, s.id);
    if (!file || !fileInScope(scope, file)) {
      out.push({ id: s.id, name: '', href: null, ok: false, text: ctx.t('mobility:mail.bulk.outcome.notFound') });
      continue;
    }
    const base = { id: s.id, name: nameOf(file), href: `${FILES}/${s.id}` };
    const stepLabel = async (key: string | null) => (key ? pick(ctx.language, (await store.process(ctx.institution.id, file.processId)).steps.find((x) => x.key === key)?.label) || key : '');
    if (!s.step) {
      out.push({ ...base, ok: false, text: ctx.t('mobility:mail.bulk.outcome.closed') });
      continue;
    }
    try {
      const { file: after, partial } = await store.transition(actorOf(ctx), s.id, { stepKey: s.step, action: 'validate' }, s.version);
      const text = partial
        ? ctx.t('mobility:mail.bulk.outcome.approved')
        : after.currentStep ? ctx.t('mobility:mail.bulk.outcome.done', { step: await stepLabel(after.currentStep) }) : ctx.t('mobility:mail.bulk.outcome.doneClosed', { status: ctx.t(`mobility:manager.status.${after.status}`) });
      out.push({ ...base, ok: true, text });
    } catch (e) {
      const status = statusOf(e);
      const now = await store.file(ctx.institution.id, s.id);
      let text: string;
      if (status === 409) text = ctx.t('mobility:mail.bulk.outcome.moved', { step: (await stepLabel(now?.currentStep ?? null)) || ctx.t('mobility:manager.file.end'), status: ctx.t(`mobility:manager.status.${now?.status ?? file.status}`) });
      else if (status === 403) text = ctx.t('mobility:mail.bulk.outcome.notAllowed');
      // a step condition (another plugin's beforeTransition) explains itself in the actor's language
      else if (status !== undefined && status >= 400 && status < 500) text = ctx.t('mobility:mail.bulk.outcome.refused', { reason: (e as Error).message });
      else {
        ctx.log.error({ file: s.id, err: String((e as Error)?.message ?? e) }, 'bulk validation failed');
        text = ctx.t('mobility:mail.bulk.outcome.error', { requestId: ctx.requestId });
      }
      out.push({ ...base, ok: false, text });
    }
  }
  return out;
}

/** Send each selected file's current step owner(s) a reminder now. */
async function remindAll(ctx: Ctx, deps: Parameters<typeof sendReminderNow>[0], files: Selected[]): Promise<Outcome[]> {
  const store = storeOf(ctx);
  const out: Outcome[] = [];
  for (const s of files) {
    const file = await store.file(ctx.institution.id, s.id);
    if (!file || !ctx.can(PERMISSIONS.manage, { component: file.componentCode }) || !inScope(readScope(ctx), file.componentCode)) {
      out.push({ id: s.id, name: '', href: null, ok: false, text: ctx.t('mobility:mail.bulk.outcome.notFound') });
      continue;
    }
    const base = { id: s.id, name: nameOf(file), href: `${FILES}/${s.id}` };
    if (!file.currentStep || !['nominated', 'in_progress'].includes(file.status)) {
      out.push({ ...base, ok: false, text: ctx.t('mobility:mail.bulk.outcome.closed') });
      continue;
    }
    const mails = await sendReminderNow(deps, actorOf(ctx), file);
    out.push({ ...base, ok: mails > 0, text: mails > 0 ? ctx.t('mobility:mail.bulk.outcome.reminded', { count: mails }) : ctx.t('mobility:mail.bulk.outcome.noRecipient') });
  }
  return out;
}

/** Export: audited (personal data leaves the platform), then the download. */
async function exportCsv(ctx: Ctx, ids: number[], what: 'selection' | 'list'): Promise<void> {
  const body = await filesCsv(ctx, ids);
  await ctx.resolve(coreServices.audit).record(ctx, { action: 'mobility.files.exported', targetType: 'mobility_file', detail: { what, count: ids.length } });
  sendCsv(ctx, `mobility-files-${today()}.csv`, body);
}

/** The bulk form's route and the list's CSV export. */
export function registerBulk(r: RegisterApi<any>, tableFor: TableFor): void {
  const deps = { ...mailDeps(r), db: r.deferred(coreServices.database), institutions: r.deferred(coreServices.institutions), audit: r.deferred(coreServices.audit) };
  r.route({
    method: 'POST',
    path: `${FILES}/bulk`,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const action = formField(ctx.body, 'action');
      const files = selection(ctx);
      const back = backOf(ctx);
      if (!files.length || files.length > MAX_SELECTION || !['validate', 'remind', 'export'].includes(action)) {
        ctx.flash('error', ctx.t(files.length > MAX_SELECTION ? 'mobility:mail.bulk.tooMany' : files.length ? 'mobility:mail.bulk.unknownAction' : 'mobility:mail.bulk.noneSelected', { max: MAX_SELECTION }));
        return seeOther(ctx, back);
      }
      if (action === 'export') {
        const scope = readScope(ctx);
        const visible = await ctx.db.table('mobility_files as f').leftJoin('components as c', 'c.id', 'f.component_id').whereIn('f.id', files.map((f) => f.id)).select('f.id', 'c.code');
        const allowed = new Set(visible.filter((v: any) => inScope(scope, v.code)).map((v: any) => Number(v.id)));
        return exportCsv(ctx, files.map((f) => f.id).filter((id) => allowed.has(id)), 'selection');
      }
      if (action === 'remind' && !ctx.can(PERMISSIONS.manage)) {
        ctx.flash('error', ctx.t('mobility:mail.bulk.remindForbidden'));
        return seeOther(ctx, back);
      }
      const outcomes = action === 'validate' ? await validateAll(ctx, files) : await remindAll(ctx, deps, files);
      await ctx.render('mobility/bulk-result', {
        title: ctx.t(`mobility:mail.bulk.result.${action}`),
        outcomes, back, done: outcomes.filter((o) => o.ok).length, failed: outcomes.filter((o) => !o.ok).length,
      });
    },
  });

  r.route({
    method: 'GET',
    path: `${FILES}/export`,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      await exportCsv(ctx, await allIds(await tableFor(ctx)), 'list');
    },
  });
}
