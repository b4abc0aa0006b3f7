/**
 * @smile/core — the kernel. Plugins never import it: they use @smile/sdk.
 * @packageDocumentation
 */
export { Platform } from './platform.js';
export type { PlatformOptions } from './platform.js';
export { loadConfig, configSchema } from './config.js';
export type { SmileConfig } from './config.js';
export { createLogger } from './logger.js';
export { discoverPlugins, orderPlugins, readPlugin, CORE_VERSION } from './plugins/discovery.js';
export { migrateUp, migrateDown, migrationStatus } from './db/migrator.js';
export { readOwnerStrings } from './http/i18n.js';
export { createToken, listTokens, revokeToken, verifyToken } from './api/tokens.js';
export { Institutions } from './institutions.js';
export { InProcessQueue } from './jobs/in-process.js';
export { main as cli } from './cli/index.js';
