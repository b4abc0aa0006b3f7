/**
 * Coded errors. Every failure that stops boot or refuses a request carries a stable
 * `SMILE_ERR_*` code, and when a plugin is at fault, the plugin id and the offending key,
 * so an operator can act on the message without reading a stack trace.
 */
export class SmileError extends Error {
  readonly code: string;
  readonly plugin?: string;
  readonly key?: string;
  readonly status: number;
  /** Safe to show to an end user (no internals). */
  readonly expose: boolean;

  constructor(
    code: string,
    message: string,
    opts: { plugin?: string; key?: string; status?: number; expose?: boolean; cause?: unknown } = {},
  ) {
    const where = [opts.plugin && `plugin "${opts.plugin}"`, opts.key && `key "${opts.key}"`].filter(Boolean).join(', ');
    super(`${code}: ${message}${where ? ` (${where})` : ''}`, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'SmileError';
    this.code = code;
    this.plugin = opts.plugin;
    this.key = opts.key;
    this.status = opts.status ?? 500;
    this.expose = opts.expose ?? this.status < 500;
  }
}

/** The catalogue of error codes; documented in docs/architecture.md. */
export const ErrorCodes = {
  CONFIG_INVALID: 'SMILE_ERR_CONFIG_INVALID',
  MANIFEST_INVALID: 'SMILE_ERR_MANIFEST_INVALID',
  PLUGIN_DUPLICATE: 'SMILE_ERR_PLUGIN_DUPLICATE',
  PLUGIN_UNKNOWN: 'SMILE_ERR_PLUGIN_UNKNOWN',
  PLUGIN_ENGINE: 'SMILE_ERR_PLUGIN_ENGINE',
  DEPENDENCY_MISSING: 'SMILE_ERR_DEPENDENCY_MISSING',
  DEPENDENCY_VERSION: 'SMILE_ERR_DEPENDENCY_VERSION',
  DEPENDENCY_CYCLE: 'SMILE_ERR_DEPENDENCY_CYCLE',
  PLUGIN_LOAD: 'SMILE_ERR_PLUGIN_LOAD',
  PLUGIN_REGISTER: 'SMILE_ERR_PLUGIN_REGISTER',
  PLUGIN_BOOTSTRAP: 'SMILE_ERR_PLUGIN_BOOTSTRAP',
  PLUGIN_DESTROY: 'SMILE_ERR_PLUGIN_DESTROY',
  SETTINGS_INVALID: 'SMILE_ERR_SETTINGS_INVALID',
  SERVICE_MISSING: 'SMILE_ERR_SERVICE_MISSING',
  SERVICE_DUPLICATE: 'SMILE_ERR_SERVICE_DUPLICATE',
  HOOK_UNKNOWN: 'SMILE_ERR_HOOK_UNKNOWN',
  ROUTE_INVALID: 'SMILE_ERR_ROUTE_INVALID',
  EVENT_NAME: 'SMILE_ERR_EVENT_NAME',
  JOB_INVALID: 'SMILE_ERR_JOB_INVALID',
  MIGRATION_FAILED: 'SMILE_ERR_MIGRATION_FAILED',
  MIGRATIONS_PENDING: 'SMILE_ERR_MIGRATIONS_PENDING',
  DATA_DIR_LOCKED: 'SMILE_ERR_DATA_DIR_LOCKED',
  DATABASE: 'SMILE_ERR_DATABASE',
  NOT_FOUND: 'SMILE_ERR_NOT_FOUND',
  UNAUTHENTICATED: 'SMILE_ERR_UNAUTHENTICATED',
  FORBIDDEN: 'SMILE_ERR_FORBIDDEN',
  VALIDATION: 'SMILE_ERR_VALIDATION',
  INSTITUTION_UNKNOWN: 'SMILE_ERR_INSTITUTION_UNKNOWN',
  CSRF: 'SMILE_ERR_CSRF',
  CONFLICT: 'SMILE_ERR_CONFLICT',
  INTERNAL: 'SMILE_ERR_INTERNAL',
} as const;
