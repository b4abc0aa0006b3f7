/**
 * Mass mail: from the files list with its filters, a subject and a text with macros, sent as one
 * mail per file to its student (tagged with the file), after a preview on the first file.
 * @packageDocumentation
 */
import { coreServices, formField, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { formatDate, mailingService, renderTemplate, unknownMacros } from '@smile/plugin-mailing';
import type { MacroValues } from '@smile/plugin-mailing';
import type { Knex } from 'knex';
import { PERMISSIONS } from './permissions.js';
import type { MobilityFile } from './types.js';
import { renderWithStatus, storeOf, type Ctx, type Scope } from './manager-common.js';
import type { FilesTable } from './manager-list.js';
import { allIds } from './bulk.js';
import { fileTag, mailDeps } from './mail-notify.js';
import { fileLink, institutionInfo, studentAddressee, type Addressee, type InstitutionInfo } from './mail-recipients.js';
import { exchangeTypeLabel, macroValues } from './mail-values.js';

const PATH = '/mobility/files/mail';
const SUBJECT_MAX = 300;
const BODY_MAX = 20_000;

type TableFor = (ctx: Ctx, scope?: Scope, query?: Record<string, unknown>) => Promise<FilesTable>;

/** A file of the list with where its mail goes (`to` null: no address). */
interface Target {
  file: MobilityFile;
  to: Addressee | null;
}

/** The form's state, kept whole when something is refused. */
interface Form {
  subject: string;
  body: string;
  errors: { subject?: string; body?: string };
  warning?: string;
  preview?: { name: string; to: string; subject: string; lines: string[] } | null;
}

/** The files of the filtered list the person may manage, each with its student's address. */
async function targets(ctx: Ctx, tableFor: TableFor): Promise<Target[]> {
  const ids = await allIds(await tableFor(ctx, ctx.scopeOf(PERMISSIONS.manage)));
  const store = storeOf(ctx);
  const out: Target[] = [];
  for (const id of ids) {
    const file = await store.file(ctx.institution.id, id);
    if (file) out.push({ file, to: await studentAddressee(ctx.db.knex, file, ctx.log) });
  }
  return out;
}

/** The values of one file's mail, as the mailing plugin would fill them (host name, today, dates). */
async function valuesFor(db: Knex | Knex.Transaction, inst: InstitutionInfo, t: Target & { to: Addressee }): Promise<MacroValues> {
  const lang = t.to.language;
  const f = t.file;
  const current = await db('mobility_file_steps as v').join('mobility_steps as s', 's.key', 'v.step_key')
    .where({ 'v.file_id': f.id, 'v.state': 'active', 's.process_id': f.processId }).first('v.deadline_at', 's.label_fr', 's.label_en');
  const values = macroValues(f, {
    language: lang, link: fileLink(inst, f.id, 'student'), step: current ? { label: { fr: current.label_fr, en: current.label_en } } : null,
    deadline: current?.deadline_at ? new Date(current.deadline_at) : null, exchangeTypeLabel: await exchangeTypeLabel(db, inst.id, f.exchangeType, lang),
  });
  return { ...values, deadline: values.deadline instanceof Date ? formatDate(values.deadline, lang) : values.deadline, host: { name: inst.names[lang] }, today: formatDate(new Date(), lang) };
}

/** The subject and body checked: required, not too long, only macros that exist. */
function check(ctx: Ctx, form: Form, macros: string[]): boolean {
  const field = (name: 'subject' | 'body', max: number) => {
    const v = form[name];
    if (!v.trim()) form.errors[name] = ctx.t('mobility:mail.mass.errors.empty');
    else if (v.length > max) form.errors[name] = ctx.t('mobility:mail.mass.errors.tooLong', { max, count: v.length });
    else {
      const unknown = unknownMacros(v, macros.map((name) => ({ name, description: { fr: '', en: '' }, example: '' })));
      if (unknown.length) form.errors[name] = ctx.t('mobility:mail.mass.errors.unknownMacros', { unknown: unknown.map((n) => `{{${n}}}`).join(', '), available: macros.map((n) => `{{${n}}}`).join(', ') });
    }
  };
  field('subject', SUBJECT_MAX);
  field('body', BODY_MAX);
  return !form.errors.subject && !form.errors.body;
}

async function show(ctx: Ctx, list: Target[], form: Form, status = 200): Promise<void> {
  const macros = ctx.resolve(mailingService).macros();
  const query = ctx.koa.querystring;
  const errorItems = (['subject', 'body'] as const).filter((f) => form.errors[f]).map((f) => ({ id: `mass-${f}`, label: ctx.t(`mobility:mail.mass.${f}`), message: form.errors[f]! }));
  await renderWithStatus(ctx, status, 'mobility/mail-mass', {
    title: ctx.t('mobility:mail.mass.title'),
    action: query ? `${PATH}?${query}` : PATH,
    back: query ? `/mobility/files?${query}` : '/mobility/files',
    files: list.length,
    recipients: list.filter((x) => x.to).length,
    form, errorItems,
    macros: macros.map((m) => ({ name: m.name, description: m.description[ctx.language], example: m.example })),
  });
}

/** The mass-mail page and its preview / send. */
export function registerMassMail(r: RegisterApi<any>, tableFor: TableFor): void {
  const deps = mailDeps(r);

  r.route({
    method: 'GET',
    path: PATH,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      await show(ctx, await targets(ctx, tableFor), { subject: '', body: '', errors: {} });
    },
  });

  r.route({
    method: 'POST',
    path: PATH,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      const form: Form = { subject: formField(ctx.body, 'subject').replace(/[\r\n]+/g, ' '), body: formField(ctx.body, 'body', true).replace(/\r\n/g, '\n'), errors: {} };
      const list = await targets(ctx, tableFor);
      const mailing = ctx.resolve(mailingService);
      if (!check(ctx, form, mailing.macros().map((m) => m.name))) return show(ctx, list, form, 422);
      const inst = await institutionInfo(ctx.db.knex, ctx.institution.id, deps.baseUrl());
      const addressed = list.filter((x): x is Target & { to: Addressee } => x.to !== null);
      if (formField(ctx.body, 'intent') !== 'send') {
        const first = addressed[0];
        if (first) {
          const values = await valuesFor(ctx.db.knex, inst, first);
          const body = renderTemplate(form.body, values).text;
          form.preview = { name: `${first.file.firstName} ${first.file.lastName}`, to: first.to.email, subject: renderTemplate(form.subject, values).text, lines: body.split('\n') };
        }
        return show(ctx, list, form);
      }
      // the list may have changed since the page was shown: send only what the person saw counted
      const expected = Number(formField(ctx.body, 'expected'));
      if (expected !== addressed.length) {
        form.warning = ctx.t('mobility:mail.mass.changed', { count: addressed.length });
        return show(ctx, list, form, 409);
      }
      if (!addressed.length) {
        form.warning = ctx.t('mobility:mail.mass.nobody');
        return show(ctx, list, form, 422);
      }
      const mailer = ctx.resolve(coreServices.mailer);
      await ctx.db.knex.transaction(async (trx) => {
        for (const x of addressed) {
          const values = await valuesFor(trx, inst, x);
          const body = renderTemplate(form.body, values);
          await mailer.queue({ institutionId: inst.id, to: x.to.email, subject: renderTemplate(form.subject, values).text.trim(), text: body.text, html: body.html, tag: fileTag(x.file.id) }, { trx });
        }
        await ctx.resolve(coreServices.audit).record(ctx, {
          action: 'mobility.mail.mass-sent', targetType: 'mobility_file',
          detail: { files: list.length, mails: addressed.length, withoutAddress: list.length - addressed.length, subject: form.subject, filters: ctx.koa.querystring },
        }, { trx });
      });
      ctx.flash('success', ctx.t('mobility:mail.mass.sent', { count: addressed.length, skipped: list.length - addressed.length }));
      seeOther(ctx, ctx.koa.querystring ? `/mobility/files?${ctx.koa.querystring}` : '/mobility/files');
    },
  });
}
