import { readFileSync } from 'node:fs';
import { coreServices, definePlugin } from '@smile/sdk';
import { registerAdmin } from './admin.js';
import { catalogueHooks } from './connectors.js';
import type { PartContext } from './context.js';
import { registerDemo } from './demo.js';
import { registerEditor } from './editor.js';
import { PERMISSIONS } from './permissions.js';
import { registerPublic } from './public.js';
import { settingsSchema } from './settings.js';
import { CatalogueStore, catalogueService } from './store.js';
import { connectorsFor, registerSync } from './sync.js';

export { catalogueHooks } from './connectors.js';
export type { SisConnector, ConnectorRun, ConnectorResult, ConnectorQuery } from './connectors.js';
export { catalogueService, CatalogueStore, academicYear, yearLabel } from './store.js';
export type { SyncRun, TreeNode, ElementPatch, FormationPatch } from './store.js';
export { searchElements, queryWords, fold, matchWords, applyElementFilters } from './search.js';
export type { SearchQuery, SearchHit, SearchResult } from './search.js';
export { PERMISSIONS } from './permissions.js';
export * from './types.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
/** The plugin's stylesheet and script, for its own pages. */
export const ASSETS = {
  css: `/assets/catalogue@${VERSION}/catalogue.css`,
  js: `/assets/catalogue@${VERSION}/catalogue.js`,
};

/**
 * The course catalogue: components, formations and their trees of teaching elements per academic
 * year; imports through SIS-connector plugins (all or nothing, scheduled, with a run history);
 * the back office, the offer editor, and the public bilingual search at `/catalogue`.
 */
export default definePlugin({
  settings: settingsSchema,
  permissions: {
    [PERMISSIONS.read]: {
      description: { fr: 'Consulter l’offre de formation dans la gestion (éléments fermés, modifications locales, imports)', en: 'See the course offer in the back office (closed elements, local edits, imports)' },
      defaultRoles: ['referent', 'manager'],
    },
    [PERMISSIONS.edit]: {
      description: { fr: 'Modifier l’offre : formations, éléments, ouverture à la mobilité, éditeur d’offre', en: 'Edit the offer: formations, elements, opening to mobility, offer editor' },
      defaultRoles: ['manager'],
    },
    [PERMISSIONS.import]: {
      description: { fr: 'Importer et synchroniser le catalogue, reporter une année sur la suivante', en: 'Import and sync the catalogue, copy a year forward' },
      defaultRoles: ['manager'],
    },
  },
  register(r) {
    const hooks = r.provideHooks(catalogueHooks);
    r.provide(catalogueService, {
      deps: { db: coreServices.database, audit: coreServices.audit, events: coreServices.events, log: coreServices.logger },
      factory: (deps) => new CatalogueStore(deps, { yearStartMonth: r.settings.yearStartMonth }),
    });
    const { startSync } = registerSync(r, hooks);
    const part: PartContext = { r, connectors: (institution) => connectorsFor(hooks, institution), startSync };
    r.hooks.transformLayout.tap((parts, page) =>
      page.view.startsWith('catalogue/') ? { ...parts, head: [...parts.head, `<link rel="stylesheet" href="${ASSETS.css}">`] } : parts,
    );
    // the first matching route wins: /catalogue/admin/… before the public /catalogue/:year/…
    registerAdmin(part);
    registerEditor(part);
    registerPublic(part);
    registerDemo(part);
  },
});
