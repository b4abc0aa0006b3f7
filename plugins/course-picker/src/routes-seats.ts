/**
 * The seats page, `/course-picker/seats`: the capacity of elements for incoming students per
 * academic year (empty: the catalogue's number, or unlimited), with the seats already taken.
 * @packageDocumentation
 */
import { coreServices, formField, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { catalogueService } from '@smile/plugin-catalogue';
import { actorOf, domId, PickerRefusal, refusalText, type Ctx, type PickerSettings } from './common.js';
import { listSeats, setCapacity } from './store-seats.js';

/** Managing seats (managers by default). */
export const SEATS = 'course-picker:seats.manage';
const PATH = '/course-picker/seats';

/** Register the seats page. */
export function registerSeatsPage(r: RegisterApi<PickerSettings>): void {
  r.nav({ href: PATH, area: 'main', permission: SEATS, label: { fr: 'Places en cours', en: 'Course seats' }, weight: 36 });

  async function render(ctx: Ctx, query: Record<string, unknown>, error: { code: string; text: string; typed: string } | null, status = 200) {
    const catalogue = ctx.resolve(catalogueService);
    const years = await catalogue.years(ctx.institution.id);
    const asked = Number(formField(query, 'year'));
    const year = years.includes(asked) ? asked : catalogue.currentYear();
    const q = formField(query, 'q').slice(0, 100);
    const rows = await listSeats(ctx.db.knex, ctx.institution.id, year, q);
    await ctx.render('course-picker/seats', { title: ctx.t('course-picker:picker.seats.title'), years, year, q, rows, error, path: PATH, domId });
    ctx.koa.status = status;
  }

  r.route({ method: 'GET', path: PATH, permission: SEATS, handler: (ctx) => render(ctx, ctx.query, null) });

  r.route({
    method: 'POST',
    path: PATH,
    permission: SEATS,
    async handler(ctx) {
      const year = Number(formField(ctx.body, 'year'));
      const code = formField(ctx.body, 'code').slice(0, 64);
      const raw = formField(ctx.body, 'capacity');
      const version = Number(formField(ctx.body, 'version'));
      const back = { year: String(year), q: formField(ctx.body, 'q') };
      const capacity = raw === '' ? null : /^\d{1,5}$/.test(raw) ? Number(raw) : undefined;
      if (capacity === undefined || !Number.isInteger(year) || !Number.isInteger(version)) {
        return render(ctx, back, { code, text: ctx.t('course-picker:picker.seats.invalid'), typed: raw }, 400);
      }
      try {
        await setCapacity(ctx.db.knex, ctx.resolve(coreServices.audit), { ...actorOf(ctx), ip: ctx.koa.ip }, year, code, capacity, version);
      } catch (e) {
        if (!(e instanceof PickerRefusal)) throw e;
        return render(ctx, back, { code, text: refusalText(ctx.language, e), typed: raw }, e.status);
      }
      ctx.flash('success', ctx.t('course-picker:picker.seats.saved', { code }));
      return seeOther(ctx, `${PATH}?${new URLSearchParams(back).toString()}`);
    },
  });
}
