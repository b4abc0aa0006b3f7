import { definePlugin } from '@smile/sdk';
import type { Institution } from '@smile/sdk';
import { catalogueHooks } from '@smile/plugin-catalogue';
import { restConnector } from './connector.js';
import { settingsSchema, type RestSettings } from './settings.js';

export { settingsSchema, PEGASE_ENDPOINTS, pagingSchema } from './settings.js';
export type { RestSettings, Endpoint, Paging } from './settings.js';
export { readCatalogue, restConnector, nextFromLink } from './connector.js';
export { RestClient, RestError, RateLimiter, realClock, retryAfterMs, safeUrl } from './client.js';
export type { Clock, ClientOptions, Fetched } from './client.js';
export { compilePath, evaluate, itemsOf, PathError } from './path.js';
export type { CompiledPath, Match, Step } from './path.js';
export { mapItem, convert, TARGET_FIELDS, REQUIRED_FIELDS, ENTITIES } from './mapping.js';
export type { Entity, FieldSpec, Fields } from './mapping.js';

/**
 * Reads the course catalogue from a paged JSON REST API (Pégase-style): a field mapping written
 * as JSONPath-like paths, an auth header kept secret, retries with backoff, a rate limit, four
 * paging styles. It adds itself to the catalogue's connectors; the catalogue runs it on demand or
 * on its schedule and imports what it reads, all or nothing.
 */
export default definePlugin({
  settings: settingsSchema,
  register(r) {
    const settingsOf = (institution: Institution) => r.settingsFor(institution) as RestSettings;
    r.hooksOf(catalogueHooks).transformConnectors.tap((list) => [...list, restConnector(settingsOf)]);
  },
});
