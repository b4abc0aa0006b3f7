import type { PlatformAdmin, RegisterApi } from '@smile/sdk';
import { admin, field, hasStatus, isVersion, renderWithStatus, seeOther, themeErrorList, type Ctx } from './common.js';

/** The theme settings this page edits (when the theme's schema has them). */
const MANAGED = ['primaryColor', 'accentColor', 'logoUrl', 'footerLinks'] as const;
type Managed = (typeof MANAGED)[number];
export const LINK_ROWS = 5;
const LINK_FIELDS = ['labelFr', 'labelEn', 'url'] as const;

export interface LinkRow {
  labelFr: string;
  labelEn: string;
  url: string;
}
export interface ThemeForm {
  primaryColor: string;
  accentColor: string;
  logoUrl: string;
  links: LinkRow[];
}
/** Field errors: `primaryColor`, `link-2-url`, `form` (anything else). */
type Errors = Record<string, string>;

const emptyRow = (): LinkRow => ({ labelFr: '', labelEn: '', url: '' });
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function formFromSettings(values: Record<string, unknown>): ThemeForm {
  const links = (Array.isArray(values.footerLinks) ? values.footerLinks : []).slice(0, LINK_ROWS).map((l: any) => ({ labelFr: str(l?.labelFr), labelEn: str(l?.labelEn), url: str(l?.url) }));
  while (links.length < LINK_ROWS) links.push(emptyRow());
  return { primaryColor: str(values.primaryColor), accentColor: str(values.accentColor), logoUrl: str(values.logoUrl), links };
}

function formFromBody(body: unknown): ThemeForm {
  const links = Array.from({ length: LINK_ROWS }, (_, i) => Object.fromEntries(LINK_FIELDS.map((f) => [f, field(body, `link${i}_${f}`)])) as unknown as LinkRow);
  return { primaryColor: field(body, 'primaryColor'), accentColor: field(body, 'accentColor'), logoUrl: field(body, 'logoUrl'), links };
}

/** Which of the managed settings the theme's JSON schema declares. */
function managedFields(schema: Record<string, unknown> | null): Set<Managed> {
  const props = (schema?.properties ?? {}) as Record<string, unknown>;
  return new Set(MANAGED.filter((k) => k in props));
}

/** Translate a settings error (path → zod message) into a field key and a message in the page language. */
function fieldError(path: string, message: string, rowOf: number[], t: Ctx['t']): [string, string] {
  const [head, idx, leaf] = path.split('.');
  if (head === 'primaryColor' || head === 'accentColor') return [head, t('admin:theme.errors.colour')];
  if (head === 'logoUrl') return [head, t('admin:theme.errors.logoUrl')];
  if (head === 'footerLinks' && idx !== undefined && leaf !== undefined && rowOf[Number(idx)] !== undefined) {
    return [`link-${rowOf[Number(idx)]}-${leaf}`, t(leaf === 'url' ? 'admin:theme.errors.url' : 'admin:theme.errors.label')];
  }
  return ['form', `${path}: ${message}`];
}

interface PageState {
  form?: ThemeForm;
  errors?: Errors;
  choiceError?: string | null;
  conflict?: boolean;
  /** The theme picked in the form (kept after a conflict). */
  chosen?: string;
}

async function showPage(ctx: Ctx, status: number, state: PageState = {}) {
  const pa = admin(ctx);
  const current = ctx.institution.theme;
  const themes = pa.plugins(ctx.institution).filter((p) => p.kind === 'theme')
    .map((p) => ({ id: p.id, title: p.title?.[ctx.language] ?? p.id, parent: p.parent ?? null }))
    .sort((a, b) => a.title.localeCompare(b.title));
  const installed = themes.some((x) => x.id === current);
  const settings = installed ? pa.settings(ctx.institution, current) : { values: {}, schema: null };
  await renderWithStatus(ctx, status, 'admin/theme', {
    title: ctx.t('admin:theme.title'),
    themes, current, installed, chosen: state.chosen ?? current,
    fields: [...managedFields(settings.schema)],
    form: state.form ?? formFromSettings(settings.values),
    errors: state.errors ?? {},
    choiceError: state.choiceError ?? null,
    conflict: state.conflict ?? false,
    updatedAt: await pa.institutionVersion(ctx.institution),
    themeErrors: themeErrorList(pa),
    linkRows: LINK_ROWS,
  });
}

/** Build the new overrides from the form; blank link rows are dropped, other override keys kept. */
function overridesFrom(form: ThemeForm, managed: Set<Managed>, previous: Record<string, unknown>): { values: Record<string, unknown>; rowOf: number[] } {
  const values: Record<string, unknown> = { ...previous };
  for (const k of MANAGED) delete values[k];
  for (const k of ['primaryColor', 'accentColor', 'logoUrl'] as const) if (managed.has(k) && form[k]) values[k] = form[k];
  const rowOf: number[] = [];
  if (managed.has('footerLinks')) {
    const links: LinkRow[] = [];
    form.links.forEach((l, i) => {
      if (!l.labelFr && !l.labelEn && !l.url) return;
      rowOf.push(i);
      links.push(l);
    });
    values.footerLinks = links;
  }
  return { values, rowOf };
}

async function saveSettings(ctx: Ctx, pa: PlatformAdmin) {
  const themeId = ctx.institution.theme;
  const form = formFromBody(ctx.body);
  const { schema } = pa.settings(ctx.institution, themeId);
  const managed = managedFields(schema);
  if (!schema || managed.size === 0) return showPage(ctx, 422, { form, errors: { form: ctx.t('admin:theme.noSettings') } });
  const { values, rowOf } = overridesFrom(form, managed, ctx.institution.settings[themeId] ?? {});
  const problems = await pa.saveSettings(ctx.institution, themeId, values);
  if (problems) {
    const errors: Errors = {};
    for (const [path, message] of Object.entries(problems)) {
      const [k, m] = fieldError(path, message, rowOf, ctx.t);
      errors[k] = errors[k] ? `${errors[k]} ${m}` : m;
    }
    return showPage(ctx, 422, { form, errors });
  }
  ctx.flash('success', ctx.t('admin:theme.settingsSaved'));
  seeOther(ctx, '/admin/theme');
}

/** `/admin/theme`: choose the institution's theme and edit its settings. */
export function registerTheme(r: RegisterApi) {
  r.route({ method: 'GET', path: '/admin/theme', permission: 'admin:theme.edit', handler: (ctx) => showPage(ctx, 200) });

  r.route({
    method: 'POST',
    path: '/admin/theme/choice',
    permission: 'admin:theme.edit',
    async handler(ctx) {
      const pa = admin(ctx);
      const theme = field(ctx.body, 'theme');
      if (!pa.plugins(ctx.institution).some((p) => p.kind === 'theme' && p.id === theme)) {
        return showPage(ctx, 422, { choiceError: ctx.t('admin:theme.errors.unknownTheme') });
      }
      try {
        const updatedAt = field(ctx.body, 'updatedAt');
        if (!isVersion(updatedAt)) throw Object.assign(new Error('missing or malformed version'), { status: 409 });
        await pa.updateInstitution(ctx.institution, { theme }, updatedAt);
      } catch (e) {
        if (hasStatus(e, 409)) return showPage(ctx, 409, { conflict: true, chosen: theme });
        throw e;
      }
      ctx.flash('success', ctx.t('admin:theme.chosen'));
      seeOther(ctx, '/admin/theme');
    },
  });

  r.route({ method: 'POST', path: '/admin/theme/settings', permission: 'admin:theme.edit', handler: (ctx) => saveSettings(ctx, admin(ctx)) });
}
