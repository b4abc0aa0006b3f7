import { readFileSync } from 'node:fs';
import { definePlugin } from '@smile/sdk';
import type { PermissionDefinition } from '@smile/sdk';
import { registerDashboard } from './dashboard.js';
import { registerInstitution } from './institution.js';
import { registerTheme } from './theme.js';
import { registerPlugins } from './plugins.js';
import { registerOutbox } from './outbox.js';
import { registerJobs } from './jobs.js';

/** Versioned URL of the stylesheet, so browsers may cache it until the next release. */
const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/admin@${VERSION}/admin.css">`;

const perm = (fr: string, en: string): PermissionDefinition => ({ description: { fr, en }, defaultRoles: ['admin'] });

/**
 * The administration area of an institution: its record, its theme, which plugins it uses, its
 * mail outbox and the job queue. Everything goes through `coreServices.platformAdmin` and the
 * request's tenant-bound database handle.
 */
export default definePlugin({
  permissions: {
    'admin:area.view': perm('Accéder à l’administration', 'Open the administration area'),
    'admin:institution.edit': perm('Modifier la fiche de l’établissement', 'Edit the institution record'),
    'admin:theme.edit': perm('Choisir et régler le thème', 'Choose and configure the theme'),
    'admin:plugins.manage': perm('Activer ou désactiver les plugins', 'Enable or disable plugins'),
    'admin:outbox.read': perm('Consulter la file des courriels', 'Read the mail outbox'),
    'admin:jobs.read': perm('Voir l’état des tâches de fond', 'See background job status'),
  },
  register(r) {
    r.nav({ href: '/admin', label: { fr: 'Administration', en: 'Administration' }, area: 'main', permission: 'admin:area.view', weight: 90 });
    r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('admin/') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
    registerDashboard(r);
    registerInstitution(r);
    registerTheme(r);
    registerPlugins(r);
    registerOutbox(r);
    registerJobs(r);
  },
});
