import type { Knex } from 'knex';
import type { ServiceRef } from './refs.js';
import { createServiceRef } from './refs.js';
import type { AuditLog, Identity, KeyValueStore, Roles } from './identity.js';

/** A structured logger (pino-compatible subset). Never pass secrets to it. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** A tenant: one institution served by this instance. */
export interface Institution {
  id: number;
  code: string;
  nameFr: string;
  nameEn: string;
  schacCode: string | null;
  erasmusCode: string | null;
  pic: string | null;
  country: string | null;
  hostNames: string[];
  defaultLanguage: 'fr' | 'en';
  theme: string;
  /** Plugin id → enabled. Absent ids follow the plugin's `defaultEnabled`. */
  plugins: Record<string, boolean>;
  /** Plugin id → settings overrides for this institution. */
  settings: Record<string, Record<string, unknown>>;
}

/**
 * Data access bound to one institution. Every read, update and delete is filtered on
 * `institution_id`; every insert sets it. This is the only handle route code receives,
 * so no route can forget the tenant filter.
 */
export interface TenantDb {
  readonly institutionId: number;
  /** A query builder on `table`, already filtered on this institution. */
  table<TRecord extends {} = any>(table: string): Knex.QueryBuilder<TRecord>;
  /** Insert rows, setting `institution_id` on each; returns the inserted rows. */
  insert<TRecord extends {} = any>(table: string, rows: object | object[]): Promise<TRecord[]>;
  /** Run `fn` in one transaction; the `TenantDb` it receives is bound to the transaction. */
  transaction<R>(fn: (tdb: TenantDb) => Promise<R>): Promise<R>;
  /** The underlying knex or transaction, for joins that the helpers cannot express. Filter by hand. */
  readonly knex: Knex | Knex.Transaction;
}

/** Gives tenant-scoped data access, plus the platform-level knex for plugin migrations and admin jobs. */
export interface Database {
  /** The platform-level knex instance. Tenant-owned tables must be filtered by hand here: prefer `forInstitution`. */
  readonly knex: Knex;
  /** `true` on the embedded PGlite database (one connection: never await a non-transaction query inside a transaction). */
  readonly embedded: boolean;
  forInstitution(institutionId: number, trx?: Knex.Transaction): TenantDb;
}

/** Options of a job run request. */
export interface EnqueueOptions {
  /** Delay in milliseconds. */
  delay?: number;
  /** Deduplicate: a second job with the same id is ignored while the first exists. */
  jobId?: string;
}

/** The job queue port. BullMQ on Redis when `REDIS_URL` is set, in-process otherwise. */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  enqueue(name: string, data?: Record<string, unknown>, opts?: EnqueueOptions): Promise<void>;
  /** Counts per job name, for the admin page and readiness checks. */
  stats(): Promise<Record<string, { waiting: number; active: number; failed: number; completed: number }>>;
}

/** Publishes events to subscribers, after the surrounding transaction commits. */
export interface EventBus {
  /**
   * Publish `<plugin-id>.<entity>.<past-tense>`. Inside a transaction pass it as `trx`: the event
   * is delivered only if that transaction commits. Delivery goes through the job queue.
   */
  emit(name: string, payload: Record<string, unknown>, opts?: { trx?: Knex.Transaction; institutionId?: number }): Promise<void>;
}

/** A message to put in the outbox. */
export interface OutgoingMail {
  institutionId: number;
  to: string;
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  /** Free tag for tracking (e.g. `mobility.file:42`). */
  tag?: string;
}

/** Mail through the outbox: nothing is lost when SMTP is down, nothing is sent twice. */
export interface Mailer {
  /** Store the message in the outbox (inside `trx` when given) and schedule sending. Returns the outbox id. */
  queue(mail: OutgoingMail, opts?: { trx?: Knex.Transaction }): Promise<number>;
}

/** Read-only view of the instance configuration (secrets redacted). */
export interface InstanceConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly demo: boolean;
  readonly production: boolean;
  readonly baseUrl: string;
}

/** An installed plugin as the admin pages see it. */
export interface PluginInfo {
  id: string;
  version: string;
  kind: 'feature' | 'connector' | 'auth' | 'theme';
  maturity: string;
  title: { fr?: string; en?: string } | undefined;
  parent: string | undefined;
  dependsOn: Record<string, string>;
  /** Enabled for this institution. */
  enabled: boolean;
  defaultEnabled: boolean;
}

/** Changes an admin may make to an institution record. */
export interface InstitutionPatch {
  nameFr?: string;
  nameEn?: string;
  schacCode?: string | null;
  erasmusCode?: string | null;
  pic?: string | null;
  country?: string | null;
  hostNames?: string[];
  defaultLanguage?: 'fr' | 'en';
  theme?: string;
}

/** Platform administration for one institution: the admin area's back end. */
export interface PlatformAdmin {
  plugins(institution: Institution): PluginInfo[];
  /** Enable or disable a plugin; refuses to disable one that an enabled plugin depends on. */
  setPluginEnabled(institution: Institution, pluginId: string, enabled: boolean): Promise<void>;
  /** Update the record; `updatedAt` must be the value the form was built from (concurrent edits are refused). */
  updateInstitution(institution: Institution, patch: InstitutionPatch, updatedAt: string): Promise<Institution>;
  /** When the institution record last changed (ISO string), for optimistic locking. */
  institutionVersion(institution: Institution): Promise<string>;
  /**
   * Settings of a theme (or plugin) for this institution, and the JSON schema of its settings (secrets left out
   * of both), with the names of the secret settings and whether each one has a value.
   */
  settings(institution: Institution, pluginId: string): { values: Record<string, unknown>; schema: Record<string, unknown> | null; secrets: { key: string; set: boolean }[] };
  /** Validate and store settings overrides; returns field errors (path → message) or null when saved. */
  saveSettings(institution: Institution, pluginId: string, values: Record<string, unknown>): Promise<Record<string, string> | null>;
  /** Theme render failures since start (theme id → message). */
  themeErrors(): Record<string, { message: string; at: string }>;
  jobStats(): Promise<{ kind: string; jobs: Record<string, { waiting: number; active: number; failed: number; completed: number }> }>;
  /** Whether an SMTP server is configured (otherwise mail stays in the outbox). */
  smtpConfigured(): boolean;
}

/** The institutions this instance serves (for jobs and commands, which have no request institution). */
export interface InstitutionDirectory {
  all(): Promise<Institution[]>;
  byId(id: number): Promise<Institution | undefined>;
  byCode(code: string): Promise<Institution | undefined>;
}

/** A declared permission. */
export interface PermissionInfo {
  name: string;
  plugin: string;
  description: { fr: string; en: string };
  defaultRoles: string[];
}

/** The permissions every plugin declared. */
export interface Permissions {
  all(): PermissionInfo[];
}

/** Refs to the services the core provides. */
export const coreServices = {
  logger: createServiceRef<Logger>({ id: 'core.logger' }),
  database: createServiceRef<Database>({ id: 'core.database' }),
  jobs: createServiceRef<JobQueue>({ id: 'core.jobs' }),
  events: createServiceRef<EventBus>({ id: 'core.events' }),
  mailer: createServiceRef<Mailer>({ id: 'core.mailer' }),
  config: createServiceRef<InstanceConfig>({ id: 'core.config' }),
  permissions: createServiceRef<Permissions>({ id: 'core.permissions' }),
  /** Administration of the request's institution: plugins, settings, themes, jobs. */
  platformAdmin: createServiceRef<PlatformAdmin>({ id: 'core.platformAdmin' }),
  /** People, identities, sign-in and sign-out everywhere. */
  identity: createServiceRef<Identity>({ id: 'core.identity' }),
  /** Roles, privileges, scoped assignments, components and automatic role rules. */
  roles: createServiceRef<Roles>({ id: 'core.roles' }),
  /** Shared key-value store with expiry (Redis when configured, the database otherwise). */
  kv: createServiceRef<KeyValueStore>({ id: 'core.kv' }),
  /** Every institution of the instance (jobs and commands use it to find theirs). */
  institutions: createServiceRef<InstitutionDirectory>({ id: 'core.institutions' }),
  /** The append-only audit log. */
  audit: createServiceRef<AuditLog>({ id: 'core.audit' }),
  /** Request scope only: the institution the request resolved to. */
  institution: createServiceRef<Institution>({ id: 'core.institution', scope: 'request' }),
  /** Request scope only: data access bound to the request's institution. */
  tenantDb: createServiceRef<TenantDb>({ id: 'core.tenantDb', scope: 'request' }),
} as const satisfies Record<string, ServiceRef<unknown>>;
