import type { RegisterApi } from '@smile/sdk';
import type { SyncRun } from './store.js';
import type { SisConnector } from './connectors.js';
import type { Institution } from '@smile/sdk';
import type { CatalogueSettings } from './settings.js';

/** What the parts of the plugin (back office, editor, public pages) get at register time. */
export interface PartContext {
  r: RegisterApi<CatalogueSettings>;
  /** The connectors of an institution. */
  connectors(institution: Institution): SisConnector[];
  /** Queue a sync run of a pull connector. */
  startSync(
    institution: Institution,
    connectorId: string,
    trigger: SyncRun['trigger'],
    actor: { institutionId: number; personId?: number | null; label: string },
    opts?: { year?: number; dryRun?: boolean },
  ): Promise<SyncRun>;
}
