/**
 * The form that creates one file by hand: the main fields, errors in place, created through the
 * store, then the file's page.
 * @packageDocumentation
 */
import { formField as field, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import { PUBLICS, type FileInput, type MobilityPublic } from './types.js';
import { FILES } from './manager-list.js';
import { actorOf, keyOf, pick, renderWithStatus, statusOf, storeOf, type Ctx } from './manager-common.js';

export const FORM_FIELDS = ['lastName', 'firstName', 'email', 'birthDate', 'esi', 'homeName', 'homeCountry', 'exchangeType', 'public', 'academicYear', 'componentId'] as const;
type Field = (typeof FORM_FIELDS)[number];
type Values = Record<Field, string>;
type Errors = Partial<Record<Field, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The components the person may create files in (`ctx.scopeOf(manage)`). */
async function componentChoices(ctx: Ctx): Promise<Array<{ id: number; code: string; label: string }>> {
  const scope = ctx.scopeOf(PERMISSIONS.manage);
  const q = ctx.db.knex('components').where({ institution_id: ctx.institution.id }).orderBy('code').select('id', 'code', 'name_fr', 'name_en');
  if (scope !== 'all') q.whereIn('code', scope);
  return (await q).map((c: any) => ({ id: c.id, code: c.code, label: `${c.code} — ${pick(ctx.language, { fr: c.name_fr, en: c.name_en })}` }));
}

async function showForm(ctx: Ctx, status: number, values: Values, errors: Errors): Promise<void> {
  const [types, components] = await Promise.all([storeOf(ctx).exchangeTypes(ctx.institution.id), componentChoices(ctx)]);
  const label = (f: Field) => ctx.t(`mobility:manager.form.fields.${f}`);
  const summary = FORM_FIELDS.filter((f) => errors[f]).map((f) => ({ id: `f-${f}`, label: label(f), message: errors[f]! }));
  await renderWithStatus(ctx, status, 'mobility/manager-new', {
    title: ctx.t('mobility:manager.form.title'), values, errors, summary,
    exchangeTypes: types.filter((x) => x.active).map((x) => ({ value: x.code, label: pick(ctx.language, x.label) })),
    publics: PUBLICS.map((p) => ({ value: p, label: ctx.t(`mobility:manager.publics.${p}`) })),
    components: components.map((c) => ({ value: String(c.id), label: c.label })),
    componentRequired: ctx.scopeOf(PERMISSIONS.manage) !== 'all',
  });
}

function blank(): Values {
  const now = new Date();
  const year = now.getMonth() >= 6 ? now.getFullYear() : now.getFullYear() - 1;
  return { lastName: '', firstName: '', email: '', birthDate: '', esi: '', homeName: '', homeCountry: '', exchangeType: '', public: 'student', academicYear: String(year), componentId: '' };
}

export function registerNew(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: `${FILES}/new`,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      await showForm(ctx, 200, blank(), {});
    },
  });

  r.route({
    method: 'POST',
    path: `${FILES}/new`,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      const values = Object.fromEntries(FORM_FIELDS.map((f) => [f, field(ctx.body, f).slice(0, 320)])) as Values;
      values.homeCountry = values.homeCountry.toUpperCase();
      const errors: Errors = {};
      const req = (ctx.t('mobility:manager.errors.required'));
      if (!values.lastName) errors.lastName = req;
      if (!values.firstName) errors.firstName = req;
      if (values.email && !EMAIL.test(values.email)) errors.email = ctx.t('mobility:manager.errors.email');
      if (values.birthDate && !validDate(values.birthDate)) errors.birthDate = ctx.t('mobility:manager.errors.date');
      if (values.homeCountry && !/^[A-Z]{2}$/.test(values.homeCountry)) errors.homeCountry = ctx.t('mobility:manager.errors.country');
      const [types, components] = await Promise.all([storeOf(ctx).exchangeTypes(ctx.institution.id), componentChoices(ctx)]);
      if (!types.some((x) => x.active && x.code === values.exchangeType)) errors.exchangeType = values.exchangeType ? ctx.t('mobility:manager.errors.choose') : req;
      if (!(PUBLICS as readonly string[]).includes(values.public)) errors.public = ctx.t('mobility:manager.errors.choose');
      const year = Number(values.academicYear);
      if (!/^\d{4}$/.test(values.academicYear) || year < 2000 || year > 2100) errors.academicYear = ctx.t('mobility:manager.errors.year');
      const component = components.find((c) => String(c.id) === values.componentId);
      if (values.componentId && !component) errors.componentId = ctx.t('mobility:manager.errors.choose');
      if (!values.componentId && ctx.scopeOf(PERMISSIONS.manage) !== 'all') errors.componentId = req;
      if (Object.keys(errors).length) return showForm(ctx, 422, values, errors);
      const input: FileInput = {
        firstName: values.firstName, lastName: values.lastName, email: values.email || null, birthDate: values.birthDate || null,
        esi: values.esi || null, home: { name: values.homeName || null, country: values.homeCountry || null },
        exchangeType: values.exchangeType, public: values.public as MobilityPublic, academicYear: year, componentId: component?.id ?? null,
      };
      try {
        const file = await storeOf(ctx).createFile(actorOf(ctx), input);
        ctx.flash('success', ctx.t('mobility:manager.form.created', { name: `${file.firstName} ${file.lastName}` }));
        return seeOther(ctx, `${FILES}/${file.id}`);
      } catch (e) {
        const key = keyOf(e);
        if (statusOf(e) !== 400 || !key) throw e;
        const f: Field = key === 'home' ? 'homeName' : (FORM_FIELDS as readonly string[]).includes(key) ? (key as Field) : 'lastName';
        return showForm(ctx, 422, values, { [f]: ctx.t('mobility:manager.errors.refused') });
      }
    },
  });
}
