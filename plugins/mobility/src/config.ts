/**
 * The configuration part: `/mobility/config` and its pages (processes, exchange types, application
 * periods; document types are another part's), self-registration `/mobility/register` and the
 * bulk entry grid `/mobility/import/grid`.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import type { RegisterApi } from '@smile/sdk';
import type { MobilityHooks } from './hooks.js';
import { PERMISSIONS } from './permissions.js';
import { CONFIG } from './config-common.js';
import { registerExchangeTypes } from './config-exchange-types.js';
import { registerPeriods } from './config-periods.js';
import { registerProcesses } from './config-processes.js';
import { registerSelfRegistration } from './register-routes.js';
import { registerIntakeGrid } from './intake-grid.js';

export { GRID, REGISTER } from './config-common.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/mobility@${VERSION}/config.css">`;
const STYLED = ['mobility/config-', 'mobility/register-', 'mobility/intake-grid'];

/** Registers the configuration pages, self-registration and the bulk entry grid. */
export function registerConfig(r: RegisterApi<any>, _hooks: MobilityHooks): void {
  r.nav({ href: CONFIG, area: 'main', permission: PERMISSIONS.configure, label: { fr: 'Configuration de la mobilité', en: 'Mobility settings' }, weight: 35 });
  r.hooks.transformLayout.tap((parts, page) => (STYLED.some((p) => page.view.startsWith(p)) ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));

  r.route({
    method: 'GET',
    path: CONFIG,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      await ctx.render('mobility/config-index', { title: ctx.t('mobility:config.index.title') });
    },
  });
  registerProcesses(r);
  registerExchangeTypes(r);
  registerPeriods(r);
  registerSelfRegistration(r);
  registerIntakeGrid(r);
}
