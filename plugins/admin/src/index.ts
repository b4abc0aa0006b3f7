import { readFileSync } from 'node:fs';
import { definePlugin } from '@smile/sdk';
import type { PermissionDefinition } from '@smile/sdk';
import { registerDashboard } from './dashboard.js';
import { registerInstitution } from './institution.js';
import { registerTheme } from './theme.js';
import { registerPlugins } from './plugins.js';
import { registerPluginSettings } from './plugin-settings.js';
import { registerOutbox } from './outbox.js';
import { registerJobs } from './jobs.js';
import { registerRoles } from './roles.js';
import { registerMatrix } from './matrix.js';
import { registerComponents } from './components.js';
import { registerRules } from './rules.js';
import { registerPeople } from './people.js';
import { registerAudit } from './audit.js';

/** Versioned URL of the stylesheet, so browsers may cache it until the next release. */
const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/admin@${VERSION}/admin.css">`;

/** Functional administration: the institution's own business (people, roles, record). */
const functional = (fr: string, en: string): PermissionDefinition => ({ description: { fr, en }, defaultRoles: ['admin'] });
/**
 * Technical administration: the platform's machinery. `techadmin` does not descend from `admin`
 * (nor the reverse), so both are named.
 */
const technical = (fr: string, en: string): PermissionDefinition => ({ description: { fr, en }, defaultRoles: ['techadmin', 'admin'] });

/**
 * The administration area of an institution: its record, its theme, which plugins it uses, its
 * mail outbox and the job queue; roles and their privileges, automatic role rules, components,
 * people and their roles, and the audit log. Everything goes through the core services
 * (`platformAdmin`, `roles`, `identity`, `permissions`) and the request's tenant-bound database handle.
 */
export default definePlugin({
  permissions: {
    'admin:area.view': technical('Accéder à l’administration', 'Open the administration area'),
    'admin:institution.edit': functional('Modifier la fiche de l’établissement', 'Edit the institution record'),
    'admin:theme.edit': technical('Choisir et régler le thème', 'Choose and configure the theme'),
    'admin:plugins.manage': technical('Activer ou désactiver les plugins', 'Enable or disable plugins'),
    'admin:outbox.read': technical('Consulter la file des courriels', 'Read the mail outbox'),
    'admin:jobs.read': technical('Voir l’état des tâches de fond', 'See background job status'),
    'admin:roles.manage': functional('Gérer les rôles, leurs privilèges et les composantes', 'Manage roles, their privileges and components'),
    'admin:rules.manage': functional('Gérer les règles d’attribution automatique des rôles', 'Manage automatic role rules'),
    'admin:people.manage': functional('Gérer les personnes de l’établissement et leurs rôles', 'Manage the institution’s people and their roles'),
    'admin:audit.read': functional('Consulter le journal d’audit', 'Read the audit log'),
  },
  register(r) {
    r.nav({ href: '/admin', label: { fr: 'Administration', en: 'Administration' }, area: 'main', permission: 'admin:area.view', weight: 90 });
    r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('admin/') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
    registerDashboard(r);
    registerInstitution(r);
    registerTheme(r);
    registerPlugins(r);
    registerPluginSettings(r);
    registerOutbox(r);
    registerJobs(r);
    // before the roles, whose `/admin/roles/:key` would otherwise answer `/admin/roles/matrix`
    registerMatrix(r);
    registerRoles(r);
    registerComponents(r);
    registerRules(r);
    registerPeople(r);
    registerAudit(r);
  },
});
