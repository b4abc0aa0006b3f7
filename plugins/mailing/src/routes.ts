import { ErrorCodes, SmileError, formField as field, seeOther } from '@smile/sdk';
import type { RegisterApi, RequestContext } from '@smile/sdk';
import { renderTemplate, unknownMacros } from './macros.js';
import type { MacroDefinition } from './macros.js';
import { SEED_TEMPLATES } from './seeds.js';
import { LANGUAGES, MailingError, mailingService } from './store.js';
import type { Language, MailTemplate } from './store.js';

type Ctx = RequestContext<any, any, any>;

/** Permissions this plugin declares (names are API). */
export const PERMISSIONS = {
  edit: 'mailing:templates.edit',
} as const;

const KEY = /^[a-z][a-z0-9-]{0,99}$/;

/** The template named by the URL, or 404. */
async function load(ctx: Ctx): Promise<MailTemplate> {
  const key = String(ctx.params.key ?? '');
  const lang = String(ctx.params.lang ?? '');
  const tpl = KEY.test(key) && (LANGUAGES as string[]).includes(lang) ? await ctx.resolve(mailingService).template(ctx.institution.id, key, lang as Language) : null;
  if (!tpl) throw new SmileError(ErrorCodes.NOT_FOUND, ctx.t('mailing:errors.notFound'), { status: 404 });
  return tpl;
}

const label = (ctx: Ctx, key: string) => (SEED_TEMPLATES.some((s) => s.key === key) ? ctx.t(`mailing:keys.${key}`) : key);
const macroList = (ctx: Ctx, macros: MacroDefinition[]) => macros.map((m) => ({ name: m.name, description: m.description[ctx.language], example: m.example }));

/** Example values for the preview: each macro's example, as nested values. */
function examples(macros: MacroDefinition[]): Record<string, string> {
  return Object.fromEntries(macros.map((m) => [m.name, m.example]));
}

interface FormState {
  subject: string;
  body: string;
  version: number;
  errors: { subject?: string; body?: string };
  conflict?: boolean;
}

async function showForm(ctx: Ctx, tpl: MailTemplate, form: FormState, status = 200): Promise<void> {
  const macros = ctx.resolve(mailingService).macros();
  const name = label(ctx, tpl.key);
  const errorItems = (['subject', 'body'] as const)
    .filter((f) => form.errors[f])
    .map((f) => ({ id: `mailing-${f}`, label: ctx.t(`mailing:edit.${f}`), message: form.errors[f]! }));
  await ctx.render('mailing/edit', {
    title: ctx.t('mailing:edit.title', { name, language: ctx.t(`mailing:languages.${tpl.language}`) }),
    tpl,
    name,
    form,
    errorItems,
    macros: macroList(ctx, macros),
    recipient: tpl.recipient ? ctx.t(`mailing:recipients.${tpl.recipient}`) : null,
    other: tpl.language === 'fr' ? 'en' : 'fr',
  });
  ctx.koa.status = status;
}

/** The message for an unknown macro: the unknown names, then those available. */
const unknownMessage = (ctx: Ctx, unknown: string[], available: string[]) =>
  ctx.t('mailing:errors.unknownMacros', { unknown: unknown.map((n) => `{{${n}}}`).join(', '), available: available.map((n) => `{{${n}}}`).join(', ') });

/** The template list, the editor with its preview. */
export function registerRoutes(r: RegisterApi): void {
  r.nav({ href: '/mailing/templates', area: 'main', permission: PERMISSIONS.edit, label: { fr: 'Modèles de courriels', en: 'Mail templates' }, weight: 80 });

  r.route({
    method: 'GET',
    path: '/mailing/templates',
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const all = await ctx.resolve(mailingService).templates(ctx.institution.id);
      const seeded = SEED_TEMPLATES.map((s) => s.key);
      const keys = [...new Set([...seeded, ...all.map((t) => t.key)])].filter((k) => all.some((t) => t.key === k));
      const rows = keys.map((key) => {
        const of = (lang: Language) => all.find((t) => t.key === key && t.language === lang) ?? null;
        const any = of('fr') ?? of('en')!;
        return { key, name: label(ctx, key), recipient: any.recipient ? ctx.t(`mailing:recipients.${any.recipient}`) : '', fr: of('fr'), en: of('en') };
      });
      await ctx.render('mailing/templates', { title: ctx.t('mailing:list.title'), rows });
    },
  });

  r.route({
    method: 'GET',
    path: '/mailing/templates/:key/:lang',
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const tpl = await load(ctx);
      await showForm(ctx, tpl, { subject: tpl.subject, body: tpl.body, version: tpl.version, errors: {} });
    },
  });

  r.route({
    method: 'POST',
    path: '/mailing/templates/:key/:lang',
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const tpl = await load(ctx);
      const subject = field(ctx.body, 'subject');
      const body = field(ctx.body, 'body', true);
      const version = Number(field(ctx.body, 'version'));
      const form: FormState = { subject, body, version: Number.isInteger(version) ? version : tpl.version, errors: {} };
      try {
        await ctx.resolve(mailingService).save(ctx, tpl.key, tpl.language, { subject, body }, form.version);
      } catch (e) {
        if (!(e instanceof MailingError)) throw e;
        if (e.reason === 'conflict') {
          const fresh = await load(ctx);
          // keep what the user typed, but build the next save on the current version
          return showForm(ctx, fresh, { ...form, version: fresh.version, conflict: true }, 409);
        }
        const f = e.details.field ?? 'body';
        form.errors[f] =
          e.reason === 'unknownMacros'
            ? unknownMessage(ctx, e.details.unknown ?? [], e.details.available ?? [])
            : ctx.t(`mailing:errors.${e.reason}`);
        return showForm(ctx, tpl, form, 422);
      }
      ctx.flash('success', ctx.t('mailing:edit.saved', { name: label(ctx, tpl.key), language: ctx.t(`mailing:languages.${tpl.language}`) }));
      seeOther(ctx, '/mailing/templates');
    },
  });

  r.route({
    method: 'POST',
    path: '/mailing/templates/:key/:lang/preview',
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const tpl = await load(ctx);
      const macros = ctx.resolve(mailingService).macros();
      const subject = field(ctx.body, 'subject');
      const body = field(ctx.body, 'body', true);
      const unknown = [...new Set([...unknownMacros(subject, macros), ...unknownMacros(body, macros)])];
      const values = examples(macros);
      await ctx.render('mailing/preview', {
        title: ctx.t('mailing:preview.title'),
        subject: renderTemplate(subject, values).text,
        // paragraphs of lines, escaped by the view
        paragraphs: renderTemplate(body, values)
          .text.split(/\n\s*\n/)
          .map((p) => p.split('\n'))
          .filter((p) => p.some((l) => l.trim())),
        error: unknown.length ? unknownMessage(ctx, unknown, macros.map((m) => m.name)) : null,
        language: tpl.language,
      });
    },
  });
}
