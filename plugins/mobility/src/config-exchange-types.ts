/**
 * Exchange types: the list, a new type, and the edit form (labels, position, active, the profile
 * fields the student must fill in). Codes are identities (files and processes refer to them): set
 * once, never edited. Saves are audited and refused when the type changed since the form was built.
 * @packageDocumentation
 */
import { coreServices, formField as field, formFields as fields, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import type { Knex } from 'knex';
import { PERMISSIONS } from './permissions.js';
import { PROFILE_FIELDS, isProfileField } from './profile-fields.js';
import { pick, renderWithStatus, statusOf, storeOf, type Ctx } from './manager-common.js';
import { CONFIG, conflict, int, missing, summaryOf, type FieldErrors } from './config-common.js';

export const TYPES = `${CONFIG}/exchange-types`;
const CODE = /^[a-z][a-z0-9-]{0,63}$/;
/** Path segments of the pages, and the default process's key: a code may not take them. */
const RESERVED = new Set(['new', 'default']);

/** An exchange type as the pages edit it. */
export interface ExchangeTypeRow {
  code: string;
  labelFr: string;
  labelEn: string;
  position: number;
  active: boolean;
  requiredFields: string[];
  version: number;
}

const toRow = (r: any): ExchangeTypeRow => ({
  code: r.code, labelFr: r.label_fr, labelEn: r.label_en, position: r.position, active: r.active, requiredFields: r.required_fields ?? [], version: r.version ?? 1,
});

/** The institution's exchange types with their required fields, in order. */
export async function exchangeTypeRows(knex: Knex | Knex.Transaction, institutionId: number): Promise<ExchangeTypeRow[]> {
  return (await knex('mobility_exchange_types').where({ institution_id: institutionId }).orderBy(['position', 'code'])).map(toRow);
}

interface Values {
  code: string;
  labelFr: string;
  labelEn: string;
  position: string;
  active: boolean;
  requiredFields: string[];
  version: string;
}

const FIELD_ORDER = ['et-code', 'et-labelFr', 'et-labelEn', 'et-position', 'et-requiredFields'];

function read(ctx: Ctx): Values {
  return {
    code: field(ctx.body, 'code').slice(0, 100),
    labelFr: field(ctx.body, 'labelFr').slice(0, 300),
    labelEn: field(ctx.body, 'labelEn').slice(0, 300),
    position: field(ctx.body, 'position').slice(0, 12),
    active: field(ctx.body, 'active') === 'on',
    requiredFields: fields(ctx.body, 'requiredFields'),
    version: field(ctx.body, 'version'),
  };
}

function check(ctx: Ctx, v: Values, isNew: boolean, codes: string[]): FieldErrors {
  const e: FieldErrors = {};
  const t = (k: string, vars?: Record<string, string | number>) => ctx.t(`mobility:config.types.errors.${k}`, vars);
  if (isNew) {
    if (!v.code) e['et-code'] = t('codeRequired');
    else if (!CODE.test(v.code) || RESERVED.has(v.code)) e['et-code'] = t('codeFormat');
    else if (codes.includes(v.code)) e['et-code'] = t('codeTaken', { code: v.code });
  }
  if (!v.labelFr) e['et-labelFr'] = t('labelRequired');
  else if (v.labelFr.length > 200) e['et-labelFr'] = t('labelLong');
  if (!v.labelEn) e['et-labelEn'] = t('labelRequired');
  else if (v.labelEn.length > 200) e['et-labelEn'] = t('labelLong');
  const position = int(v.position || '0');
  if (position === null || position < 0 || position > 9999) e['et-position'] = t('position');
  if (v.requiredFields.some((f) => !isProfileField(f))) e['et-requiredFields'] = t('fields');
  return e;
}

async function showForm(ctx: Ctx, status: number, v: Values, isNew: boolean, errors: FieldErrors, error: string | null = null, current: ExchangeTypeRow | null = null) {
  const fieldLabel = (f: string) => (isProfileField(f) ? ctx.t(`mobility:profile.fields.${f}`) : f);
  await renderWithStatus(ctx, status, 'mobility/config-exchange-type', {
    title: isNew ? ctx.t('mobility:config.types.newTitle') : ctx.t('mobility:config.types.editTitle', { code: v.code }),
    values: v, isNew, errors, error, summary: summaryOf(errors, FIELD_ORDER),
    current: current ? { ...current, fields: current.requiredFields.map(fieldLabel).join(', ') } : null,
    profileFields: PROFILE_FIELDS.map((f) => ({ value: f, label: ctx.t(`mobility:profile.fields.${f}`) })),
    action: isNew ? `${TYPES}/new` : `${TYPES}/${encodeURIComponent(v.code)}`,
  });
}

const valuesOf = (r: ExchangeTypeRow): Values => ({
  code: r.code, labelFr: r.labelFr, labelEn: r.labelEn, position: String(r.position), active: r.active, requiredFields: [...r.requiredFields], version: String(r.version),
});

const columns = (v: Values) => ({
  label_fr: v.labelFr, label_en: v.labelEn, position: Number(v.position || 0), active: v.active,
  required_fields: PROFILE_FIELDS.filter((f) => v.requiredFields.includes(f)),
});

/** Routes of the exchange type pages. */
export function registerExchangeTypes(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: TYPES,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      await storeOf(ctx).ensureSeeded(ctx.institution.id);
      const [rows, own] = await Promise.all([
        exchangeTypeRows(ctx.db.knex, ctx.institution.id),
        ctx.db.table('mobility_processes').where({ active: true }).pluck('key') as Promise<string[]>,
      ]);
      await ctx.render('mobility/config-exchange-types', {
        title: ctx.t('mobility:config.types.title'),
        types: rows.map((x) => ({
          ...x, label: pick(ctx.language, { fr: x.labelFr, en: x.labelEn }), ownProcess: own.includes(x.code),
          fields: x.requiredFields.filter(isProfileField).map((f) => ctx.t(`mobility:profile.fields.${f}`)).join(', '),
        })),
      });
    },
  });

  // before /:code, so that "new" is not taken for a code
  r.route({
    method: 'GET',
    path: `${TYPES}/new`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const count = (await exchangeTypeRows(ctx.db.knex, ctx.institution.id)).length;
      await showForm(ctx, 200, { code: '', labelFr: '', labelEn: '', position: String(count), active: true, requiredFields: ['birthDate', 'nationality', 'gender', 'email', 'homeAddress'], version: '' }, true, {});
    },
  });

  r.route({
    method: 'POST',
    path: `${TYPES}/new`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const v = read(ctx);
      await storeOf(ctx).ensureSeeded(ctx.institution.id);
      const codes = (await exchangeTypeRows(ctx.db.knex, ctx.institution.id)).map((x) => x.code);
      const errors = check(ctx, v, true, codes);
      if (Object.keys(errors).length) return showForm(ctx, 422, v, true, errors);
      const audit = ctx.resolve(coreServices.audit);
      try {
        await ctx.db.transaction(async (tdb) => {
          const [row] = await tdb.insert('mobility_exchange_types', { code: v.code, ...columns(v), version: 1 });
          await audit.record(ctx, { action: 'mobility.exchange-type.create', targetType: 'mobility_exchange_type', targetId: v.code, after: toRow(row) }, { trx: tdb.knex as Knex.Transaction });
        });
      } catch (e) {
        // created by someone else between the check and the insert (unique code)
        if ((e as { code?: string }).code !== '23505') throw e;
        return showForm(ctx, 422, v, true, { 'et-code': ctx.t('mobility:config.types.errors.codeTaken', { code: v.code }) });
      }
      ctx.flash('success', ctx.t('mobility:config.types.created', { label: pick(ctx.language, { fr: v.labelFr, en: v.labelEn }) }));
      return seeOther(ctx, TYPES);
    },
  });

  r.route({
    method: 'GET',
    path: `${TYPES}/:code`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const row = await ctx.db.table('mobility_exchange_types').where({ code: String(ctx.params.code) }).first();
      if (!row) throw missing(ctx);
      await showForm(ctx, 200, valuesOf(toRow(row)), false, {});
    },
  });

  r.route({
    method: 'POST',
    path: `${TYPES}/:code`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const code = String(ctx.params.code);
      const v = { ...read(ctx), code };
      const errors = check(ctx, v, false, []);
      if (Object.keys(errors).length) {
        if (!(await ctx.db.table('mobility_exchange_types').where({ code }).first())) throw missing(ctx);
        return showForm(ctx, 422, v, false, errors);
      }
      const audit = ctx.resolve(coreServices.audit);
      try {
        await ctx.db.transaction(async (tdb) => {
          const row = await tdb.table('mobility_exchange_types').where({ code }).forUpdate().first();
          if (!row) throw missing(ctx);
          if (String(row.version ?? 1) !== v.version) throw conflict(ctx.t('mobility:config.types.conflict'));
          const [after] = await tdb.table('mobility_exchange_types').where({ id: row.id }).update({ ...columns(v), version: (row.version ?? 1) + 1 }).returning('*');
          await audit.record(ctx, { action: 'mobility.exchange-type.update', targetType: 'mobility_exchange_type', targetId: code, before: toRow(row), after: toRow(after) }, { trx: tdb.knex as Knex.Transaction });
        });
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        // keep what was typed, on top of the version saved meanwhile, so a second save is a deliberate choice
        const fresh = await ctx.db.table('mobility_exchange_types').where({ code }).first();
        if (!fresh) throw missing(ctx);
        return showForm(ctx, 409, { ...v, version: String(fresh.version ?? 1) }, false, {}, (e as Error).message, toRow(fresh));
      }
      ctx.flash('success', ctx.t('mobility:config.types.saved', { label: pick(ctx.language, { fr: v.labelFr, en: v.labelEn }) }));
      return seeOther(ctx, TYPES);
    },
  });
}
