/**
 * The catalogue's back office (`/catalogue/admin`), for managers: the offer of a year (elements,
 * formations, components), imports and syncs with their run history, year copies and what the
 * last imports changed. Reading needs `catalogue:offer.read`, editing `catalogue:offer.edit`,
 * imports and year copies `catalogue:import.run`; people limited to some components see and
 * change only those.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import type { PartContext } from './context.js';
import { PERMISSIONS } from './permissions.js';
import { pageLocals, readScope, storeOf, yearChoices, yearOf } from './admin-common.js';
import { registerElements } from './admin-elements.js';
import { registerFormations } from './admin-formations.js';
import { registerComponents } from './admin-components.js';
import { registerSyncPages } from './admin-sync.js';
import { registerYears } from './admin-years.js';
import { overviewCounts } from './admin-queries.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
/** The back office's script (select all, year selector, return address of the bulk form). */
export const ADMIN_SCRIPT = `/assets/catalogue@${VERSION}/admin.js`;

export function registerAdmin(p: PartContext): void {
  const { r } = p;
  r.nav({ href: '/catalogue/admin', area: 'main', permission: PERMISSIONS.read, label: { fr: 'Gestion du catalogue', en: 'Catalogue management' }, weight: 40 });
  r.hooks.transformLayout.tap((parts, page) =>
    page.view.startsWith('catalogue/admin-') ? { ...parts, head: [...parts.head, `<script src="${ADMIN_SCRIPT}" defer></script>`] } : parts,
  );

  r.route({
    method: 'GET',
    path: '/catalogue/admin',
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const year = yearOf(ctx);
      const counts = await overviewCounts(ctx.db.knex, ctx.institution.id, year, readScope(ctx));
      const runs = await storeOf(ctx).runs(ctx.institution.id, { limit: 5 });
      await ctx.render('catalogue/admin-overview', {
        ...pageLocals(ctx, 'overview', ctx.t('catalogue:admin.overview.title')), year, years: await yearChoices(ctx, year), counts, runs,
      });
    },
  });

  registerElements(p);
  registerFormations(p);
  registerComponents(p);
  registerSyncPages(p);
  registerYears(p);
}
