import { definePlugin } from '@smile/sdk';
import type { Institution } from '@smile/sdk';
import { catalogueHooks, type SisConnector } from '@smile/plugin-catalogue';
import { registerCheck } from './check.js';
import { readCatalogue, type ConfiguredSettings } from './reader.js';
import { settingsSchema } from './settings.js';
import { bilingual } from './strings.js';

export { settingsSchema, type SisSqlSettings } from './settings.js';
export { readCatalogue, describeSource } from './reader.js';
export { VIEWS } from './views.js';

/**
 * The `sis-sql` connector: reads the course catalogue from documented SQL views in another
 * database (the way institutions expose Apogée today), on demand or on its schedule.
 */
export default definePlugin({
  settings: settingsSchema,
  register(r) {
    const settingsOf = (institution: Institution) => r.settingsFor(institution);
    const connector: SisConnector = {
      id: 'sis-sql',
      mode: 'pull',
      href: '/admin/plugins/sis-sql/settings',
      label: bilingual('label'),
      configured: (inst) => !!settingsOf(inst).connection,
      schedule: (inst) => settingsOf(inst).schedule,
      async fetch(run) {
        // read at run time: an institution's settings may have changed since the list was built
        const settings = settingsOf(run.institution);
        if (!settings.connection) throw new Error('the sis-sql connector has no connection for this institution');
        return readCatalogue(settings as ConfiguredSettings, { year: run.year, log: run.log, signal: run.signal, progress: run.progress });
      },
    };
    r.hooksOf(catalogueHooks).transformConnectors.tap((list) => [...list.filter((c) => c.id !== 'sis-sql'), connector]);
    registerCheck(r);
  },
});
