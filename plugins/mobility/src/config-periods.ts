/**
 * Application periods: per exchange type and academic year, the days self-registration is open
 * (from the opening day's first minute to the closing day's last, in the office's time zone). List,
 * add, edit, delete; audited; an edit or delete from a stale page is refused.
 * @packageDocumentation
 */
import { coreServices, formField as field, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import type { Knex } from 'knex';
import { PERMISSIONS } from './permissions.js';
import { pick, renderWithStatus, statusOf, storeOf, type Ctx } from './manager-common.js';
import { CONFIG, conflict, dayOf, endOfDay, int, isDay, longDate, missing, startOfDay, summaryOf, yearLabel, type FieldErrors } from './config-common.js';
import { exchangeTypeRows } from './config-exchange-types.js';

export const PERIODS = `${CONFIG}/periods`;

/** An application period as stored. */
export interface PeriodRow {
  id: number;
  exchangeType: string;
  academicYear: number;
  opensAt: Date;
  closesAt: Date;
  version: number;
}

const toRow = (r: any): PeriodRow => ({
  id: r.id, exchangeType: r.exchange_type, academicYear: r.academic_year, opensAt: new Date(r.opens_at), closesAt: new Date(r.closes_at), version: r.version ?? 1,
});

/** The institution's periods, most recent year first. */
export async function periodRows(knex: Knex | Knex.Transaction, institutionId: number): Promise<PeriodRow[]> {
  const rows = await knex('mobility_application_periods').where({ institution_id: institutionId }).orderBy([{ column: 'academic_year', order: 'desc' }, { column: 'opens_at' }, { column: 'exchange_type' }]);
  return rows.map(toRow);
}

/** Where a period stands at `now`. */
export function periodState(p: Pick<PeriodRow, 'opensAt' | 'closesAt'>, now = new Date()): 'open' | 'upcoming' | 'closed' {
  if (now < p.opensAt) return 'upcoming';
  return now <= p.closesAt ? 'open' : 'closed';
}

interface Values {
  exchangeType: string;
  academicYear: string;
  opens: string;
  closes: string;
  version: string;
}

const FIELD_ORDER = ['pe-exchangeType', 'pe-academicYear', 'pe-opens', 'pe-closes'];

function read(ctx: Ctx): Values {
  return {
    exchangeType: field(ctx.body, 'exchangeType').slice(0, 64),
    academicYear: field(ctx.body, 'academicYear').slice(0, 12),
    opens: field(ctx.body, 'opens').slice(0, 10),
    closes: field(ctx.body, 'closes').slice(0, 10),
    version: field(ctx.body, 'version'),
  };
}

function check(ctx: Ctx, v: Values, codes: string[]): FieldErrors {
  const e: FieldErrors = {};
  const t = (k: string) => ctx.t(`mobility:config.periods.errors.${k}`);
  if (!codes.includes(v.exchangeType)) e['pe-exchangeType'] = t('exchangeType');
  const year = int(v.academicYear);
  if (year === null || year < 2000 || year > 2100) e['pe-academicYear'] = t('year');
  if (!isDay(v.opens)) e['pe-opens'] = t('date');
  if (!isDay(v.closes)) e['pe-closes'] = t('date');
  else if (isDay(v.opens) && v.closes < v.opens) e['pe-closes'] = t('order');
  return e;
}

async function showForm(ctx: Ctx, status: number, v: Values, id: number | null, errors: FieldErrors, error: string | null = null) {
  const types = await exchangeTypeRows(ctx.db.knex, ctx.institution.id);
  await renderWithStatus(ctx, status, 'mobility/config-period', {
    title: ctx.t(id === null ? 'mobility:config.periods.newTitle' : 'mobility:config.periods.editTitle'),
    values: v, errors, error, summary: summaryOf(errors, FIELD_ORDER),
    action: id === null ? `${PERIODS}/new` : `${PERIODS}/${id}`,
    exchangeTypes: [{ value: '', label: ctx.t('mobility:config.choose') }, ...types.map((x) => ({ value: x.code, label: pick(ctx.language, { fr: x.labelFr, en: x.labelEn }) }))],
  });
}

function idOf(ctx: Ctx): number {
  const raw = String(ctx.params.id ?? '');
  if (!/^[1-9][0-9]{0,8}$/.test(raw)) throw missing(ctx);
  return Number(raw);
}

const columns = (v: Values) => ({ exchange_type: v.exchangeType, academic_year: Number(v.academicYear), opens_at: startOfDay(v.opens), closes_at: endOfDay(v.closes) });
const valuesOf = (p: PeriodRow): Values => ({ exchangeType: p.exchangeType, academicYear: String(p.academicYear), opens: dayOf(p.opensAt), closes: dayOf(p.closesAt), version: String(p.version) });
const taken = (e: unknown) => (e as { code?: string }).code === '23505';

/** Routes of the application period pages. */
export function registerPeriods(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: PERIODS,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      await storeOf(ctx).ensureSeeded(ctx.institution.id);
      const [periods, types] = await Promise.all([periodRows(ctx.db.knex, ctx.institution.id), exchangeTypeRows(ctx.db.knex, ctx.institution.id)]);
      const label = new Map(types.map((x) => [x.code, pick(ctx.language, { fr: x.labelFr, en: x.labelEn })]));
      const now = new Date();
      await ctx.render('mobility/config-periods', {
        title: ctx.t('mobility:config.periods.title'),
        periods: periods.map((p) => ({
          ...p, type: label.get(p.exchangeType) ?? p.exchangeType, year: yearLabel(p.academicYear),
          opens: longDate(ctx.language, p.opensAt), closes: longDate(ctx.language, p.closesAt),
          state: ctx.t(`mobility:config.periods.state.${periodState(p, now)}`),
        })),
      });
    },
  });

  r.route({
    method: 'GET',
    path: `${PERIODS}/new`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      await storeOf(ctx).ensureSeeded(ctx.institution.id);
      const now = new Date();
      const year = now.getMonth() >= 6 ? now.getFullYear() + 1 : now.getFullYear();
      await showForm(ctx, 200, { exchangeType: '', academicYear: String(year), opens: '', closes: '', version: '' }, null, {});
    },
  });

  r.route({
    method: 'POST',
    path: `${PERIODS}/new`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const v = read(ctx);
      const codes = (await exchangeTypeRows(ctx.db.knex, ctx.institution.id)).map((x) => x.code);
      const errors = check(ctx, v, codes);
      if (Object.keys(errors).length) return showForm(ctx, 422, v, null, errors);
      const audit = ctx.resolve(coreServices.audit);
      try {
        await ctx.db.transaction(async (tdb) => {
          const [row] = await tdb.insert('mobility_application_periods', { ...columns(v), version: 1 });
          await audit.record(ctx, { action: 'mobility.application-period.create', targetType: 'mobility_application_period', targetId: row.id, after: toRow(row) }, { trx: tdb.knex as Knex.Transaction });
        });
      } catch (e) {
        if (!taken(e)) throw e;
        return showForm(ctx, 422, v, null, { 'pe-academicYear': ctx.t('mobility:config.periods.errors.taken') });
      }
      ctx.flash('success', ctx.t('mobility:config.periods.created'));
      return seeOther(ctx, PERIODS);
    },
  });

  r.route({
    method: 'GET',
    path: `${PERIODS}/:id`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const id = idOf(ctx);
      const row = await ctx.db.table('mobility_application_periods').where({ id }).first();
      if (!row) throw missing(ctx);
      await showForm(ctx, 200, valuesOf(toRow(row)), id, {});
    },
  });

  r.route({
    method: 'POST',
    path: `${PERIODS}/:id`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const id = idOf(ctx);
      const v = read(ctx);
      const codes = (await exchangeTypeRows(ctx.db.knex, ctx.institution.id)).map((x) => x.code);
      const errors = check(ctx, v, codes);
      if (Object.keys(errors).length) {
        if (!(await ctx.db.table('mobility_application_periods').where({ id }).first())) throw missing(ctx);
        return showForm(ctx, 422, v, id, errors);
      }
      const audit = ctx.resolve(coreServices.audit);
      try {
        await ctx.db.transaction(async (tdb) => {
          const row = await tdb.table('mobility_application_periods').where({ id }).forUpdate().first();
          if (!row) throw missing(ctx);
          if (String(row.version ?? 1) !== v.version) throw conflict(ctx.t('mobility:config.periods.conflict'));
          const [after] = await tdb.table('mobility_application_periods').where({ id }).update({ ...columns(v), version: (row.version ?? 1) + 1 }).returning('*');
          await audit.record(ctx, { action: 'mobility.application-period.update', targetType: 'mobility_application_period', targetId: id, before: toRow(row), after: toRow(after) }, { trx: tdb.knex as Knex.Transaction });
        });
      } catch (e) {
        if (taken(e)) return showForm(ctx, 422, v, id, { 'pe-academicYear': ctx.t('mobility:config.periods.errors.taken') });
        if (statusOf(e) !== 409) throw e;
        const fresh = await ctx.db.table('mobility_application_periods').where({ id }).first();
        if (!fresh) throw missing(ctx);
        const p = toRow(fresh);
        const saved = ctx.t('mobility:config.periods.savedMeanwhile', { opens: longDate(ctx.language, p.opensAt), closes: longDate(ctx.language, p.closesAt), year: yearLabel(p.academicYear) });
        return showForm(ctx, 409, { ...v, version: String(p.version) }, id, {}, `${(e as Error).message} ${saved}`);
      }
      ctx.flash('success', ctx.t('mobility:config.periods.saved'));
      return seeOther(ctx, PERIODS);
    },
  });

  r.route({
    method: 'POST',
    path: `${PERIODS}/:id/delete`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const id = idOf(ctx);
      const version = field(ctx.body, 'version');
      const audit = ctx.resolve(coreServices.audit);
      const outcome = await ctx.db.transaction(async (tdb) => {
        const row = await tdb.table('mobility_application_periods').where({ id }).forUpdate().first();
        if (!row) return 'missing' as const;
        if (String(row.version ?? 1) !== version) return 'stale' as const;
        await tdb.table('mobility_application_periods').where({ id }).del();
        await audit.record(ctx, { action: 'mobility.application-period.delete', targetType: 'mobility_application_period', targetId: id, before: toRow(row) }, { trx: tdb.knex as Knex.Transaction });
        return 'deleted' as const;
      });
      if (outcome === 'missing') throw missing(ctx);
      if (outcome === 'stale') ctx.flash('error', ctx.t('mobility:config.periods.conflict'));
      else ctx.flash('success', ctx.t('mobility:config.periods.deleted'));
      return seeOther(ctx, PERIODS);
    },
  });
}
