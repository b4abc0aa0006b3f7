/**
 * Academic years: what each year holds, and copying a year's offer forward (formations, elements
 * with their local edits, trees) so that the next import only brings what changed.
 * @packageDocumentation
 */
import { formField as field, seeOther } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import { pageLocals, renderWithStatus, statusOf, storeOf, type Ctx, type PartContext } from './admin-common.js';
import type { Errors } from './admin-forms.js';

const YEARS = '/catalogue/admin/years';

interface YearRow {
  year: number;
  elements: number;
  open: number;
  formations: number;
  copiedFrom: number | null;
}

async function yearRows(ctx: Ctx): Promise<YearRow[]> {
  const inst = ctx.institution.id;
  const knex = ctx.db.knex;
  const years = await storeOf(ctx).years(inst);
  const el = await knex('catalogue_elements').where({ institution_id: inst }).groupBy('year')
    .select('year', knex.raw('count(*)::int as n'), knex.raw('count(*) filter (where open_to_mobility)::int as open'));
  const fo = await knex('catalogue_formations').where({ institution_id: inst }).groupBy('year').select('year', knex.raw('count(*)::int as n'));
  const copied = await knex('catalogue_years').where({ institution_id: inst }).select('year', 'copied_from');
  return years.map((year) => ({
    year,
    elements: el.find((r: { year: number }) => r.year === year)?.n ?? 0,
    open: el.find((r: { year: number }) => r.year === year)?.open ?? 0,
    formations: fo.find((r: { year: number }) => r.year === year)?.n ?? 0,
    copiedFrom: copied.find((r: { year: number }) => r.year === year)?.copied_from ?? null,
  }));
}

async function show(ctx: Ctx, status: number, values: { from: string; to: string }, errors: Errors) {
  const rows = await yearRows(ctx);
  await renderWithStatus(ctx, status, 'catalogue/admin-years', {
    ...pageLocals(ctx, 'years', ctx.t('catalogue:admin.years.title')), rows, values, errors,
    sources: rows.filter((r) => r.elements > 0).map((r) => r.year),
    canCopy: ctx.scopeOf(PERMISSIONS.import) === 'all',
  });
}

export function registerYears(p: PartContext): void {
  const { r } = p;

  r.route({
    method: 'GET',
    path: YEARS,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const rows = await yearRows(ctx);
      const withData = rows.filter((x) => x.elements > 0).map((x) => x.year);
      const from = withData.length ? Math.max(...withData) : storeOf(ctx).currentYear();
      await show(ctx, 200, { from: String(from), to: String(from + 1) }, {});
    },
  });

  r.route({
    method: 'POST',
    path: `${YEARS}/copy`,
    permission: PERMISSIONS.import,
    async handler(ctx) {
      const values = { from: field(ctx.body, 'from'), to: field(ctx.body, 'to') };
      const errors: Errors = {};
      const year = (s: string) => (/^\d{4}$/.test(s) && Number(s) >= 1990 && Number(s) <= 2200 ? Number(s) : null);
      const from = year(values.from);
      const to = year(values.to);
      if (ctx.scopeOf(PERMISSIONS.import) !== 'all') errors.to = ctx.t('catalogue:admin.sync.wholeInstitution');
      if (from === null) errors.from = ctx.t('catalogue:admin.errors.year');
      if (to === null) errors.to = ctx.t('catalogue:admin.errors.year');
      else if (from !== null && from === to) errors.to = ctx.t('catalogue:admin.years.sameYear');
      if (Object.keys(errors).length) return show(ctx, 422, values, errors);
      try {
        const counts = await storeOf(ctx).copyYear(ctx, from!, to!);
        ctx.flash('success', ctx.t('catalogue:admin.years.copied', { from: `${from}–${from! + 1}`, to: `${to}–${to! + 1}`, elements: counts.elements, formations: counts.formations }));
        seeOther(ctx, `/catalogue/admin/elements?year=${to}`);
      } catch (e) {
        const status = statusOf(e);
        if (status === 409) return show(ctx, 409, values, { to: ctx.t('catalogue:admin.years.notEmpty', { year: `${to}–${to! + 1}` }) });
        if (status === 400) return show(ctx, 422, values, { to: ctx.t('catalogue:admin.years.sameYear') });
        throw e;
      }
    },
  });
}
