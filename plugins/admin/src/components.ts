import type { RegisterApi } from '@smile/sdk';
import { field, hasStatus, notFound, reason, renderWithStatus, rolesOf, seeOther, type Ctx } from './common.js';

/**
 * Component codes: as directories name their units (`UFR-SCI`, `0751234X`, `DSI`), since the values
 * of an attribute such as `supannEntiteAffectation` may name components.
 */
export const COMPONENT_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_NAME = 300;

type Values = { code: string; nameFr: string; nameEn: string };
type Errors = Partial<Record<keyof Values | 'form', string>>;

function validate(v: Values, t: Ctx['t'], checkCode: boolean): Errors {
  const errors: Errors = {};
  if (checkCode) {
    if (!v.code) errors.code = t('admin:components.errors.required');
    else if (!COMPONENT_CODE.test(v.code)) errors.code = t('admin:components.errors.code');
  }
  for (const k of ['nameFr', 'nameEn'] as const) {
    if (!v[k]) errors[k] = t('admin:components.errors.required');
    else if (v[k].length > MAX_NAME) errors[k] = t('admin:components.errors.tooLong', { max: MAX_NAME });
  }
  return errors;
}

const valuesFrom = (body: unknown): Values => ({ code: field(body, 'code'), nameFr: field(body, 'nameFr'), nameEn: field(body, 'nameEn') });

async function showList(ctx: Ctx, status: number, values: Values = { code: '', nameFr: '', nameEn: '' }, errors: Errors = {}) {
  const list = await rolesOf(ctx).components(ctx.institution.id);
  const rows = list.map((c) => ({ code: c.code, nameFr: c.name.fr, nameEn: c.name.en })).sort((a, b) => a.code.localeCompare(b.code));
  await renderWithStatus(ctx, status, 'admin/components', { title: ctx.t('admin:components.title'), rows, values, errors });
}

async function showRename(ctx: Ctx, status: number, values: Values, errors: Errors = {}) {
  await renderWithStatus(ctx, status, 'admin/component-form', { title: ctx.t('admin:components.renameTitle', { code: values.code }), values, errors });
}

async function findComponent(ctx: Ctx): Promise<Values> {
  const code = String(ctx.params.code ?? '');
  const c = COMPONENT_CODE.test(code) ? (await rolesOf(ctx).components(ctx.institution.id)).find((x) => x.code === code) : undefined;
  if (!c) throw notFound('component');
  return { code: c.code, nameFr: c.name.fr, nameEn: c.name.en };
}

/** Save, or the errors to show with the form (the core may refuse what it finds invalid). */
async function save(ctx: Ctx, v: Values): Promise<Errors | null> {
  try {
    await rolesOf(ctx).saveComponent(ctx, { code: v.code, name: { fr: v.nameFr, en: v.nameEn } });
    return null;
  } catch (e) {
    if (hasStatus(e, 400) || hasStatus(e, 409) || hasStatus(e, 422)) return { form: ctx.t('admin:components.errors.refused', { reason: reason(e) }) };
    throw e;
  }
}

/** `/admin/components`: the institution's components (faculties, departments) that roles may be limited to. */
export function registerComponents(r: RegisterApi) {
  r.route({ method: 'GET', path: '/admin/components', permission: 'admin:roles.manage', handler: (ctx) => showList(ctx, 200) });

  r.route({
    method: 'POST',
    path: '/admin/components',
    permission: 'admin:roles.manage',
    async handler(ctx) {
      const values = valuesFrom(ctx.body);
      const errors = validate(values, ctx.t, true);
      // adding never renames by accident: an existing code is refused here, renaming has its own page
      if (!errors.code && (await rolesOf(ctx).components(ctx.institution.id)).some((c) => c.code === values.code)) {
        errors.code = ctx.t('admin:components.errors.codeTaken');
      }
      if (Object.keys(errors).length) return showList(ctx, 422, values, errors);
      const refused = await save(ctx, values);
      if (refused) return showList(ctx, 422, values, refused);
      ctx.flash('success', ctx.t('admin:components.added', { code: values.code }));
      seeOther(ctx, '/admin/components');
    },
  });

  r.route({
    method: 'GET',
    path: '/admin/components/:code',
    permission: 'admin:roles.manage',
    handler: async (ctx) => showRename(ctx, 200, await findComponent(ctx)),
  });

  r.route({
    method: 'POST',
    path: '/admin/components/:code',
    permission: 'admin:roles.manage',
    async handler(ctx) {
      const { code } = await findComponent(ctx);
      const values = { ...valuesFrom(ctx.body), code };
      const errors = validate(values, ctx.t, false);
      if (Object.keys(errors).length) return showRename(ctx, 422, values, errors);
      const refused = await save(ctx, values);
      if (refused) return showRename(ctx, 422, values, refused);
      ctx.flash('success', ctx.t('admin:components.renamed', { code }));
      seeOther(ctx, '/admin/components');
    },
  });
}
