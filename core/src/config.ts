import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SmileError, ErrorCodes } from '@smile/sdk';

/** The instance configuration file (`smile.config.json`), before env overrides. */
export const configSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(3000),
    host: z.string().default('0.0.0.0'),
    baseUrl: z.string().url().optional(),
    dataDir: z.string().default('./var'),
    databaseUrl: z.string().optional(),
    redisUrl: z.string().optional(),
    /** Behind a reverse proxy: trust X-Forwarded-Host/Proto/For. */
    trustProxy: z.boolean().default(false),
    /** Demo mode: seeds demo data on an empty database. Refused in production for sign-in personas. */
    demo: z.boolean().default(false),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    plugins: z
      .object({
        /** Extra folders holding plugin packages (each subfolder with a package.json), or plugin folders themselves. */
        paths: z.array(z.string()).default([]),
        /** Plugin ids never loaded on this instance. */
        disabled: z.array(z.string()).default([]),
        /** Instance-level settings per plugin id. */
        settings: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
      })
      .strict()
      .default({ paths: [], disabled: [], settings: {} }),
    sessions: z
      .object({
        /** A session unused for this long ends. */
        idleMinutes: z.number().int().min(1).max(24 * 60).default(120),
        /** A session ends this long after sign-in, however active. */
        absoluteHours: z.number().int().min(1).max(24 * 30).default(12),
      })
      .strict()
      .default({ idleMinutes: 120, absoluteHours: 12 }),
    smtp: z
      .object({
        host: z.string(),
        port: z.number().int().default(587),
        secure: z.boolean().default(false),
        user: z.string().optional(),
        password: z.string().optional(),
        from: z.string().default('SMILE <no-reply@localhost>'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type SmileConfig = z.infer<typeof configSchema> & {
  production: boolean;
  configFile: string | null;
  /** Root of the SMILE checkout/installation (where plugins/ and themes/ live). */
  rootDir: string;
};


function formatIssues(err: z.ZodError): { key: string; message: string } {
  const first = err.issues[0]!;
  // an unknown key is reported on its parent object: name the key itself
  const where = first.code === 'unrecognized_keys' ? [...first.path, first.keys[0]!] : first.path;
  return { key: where.join('.') || '(root)', message: first.message };
}

/**
 * Load the configuration: file (`SMILE_CONFIG`, else `smile.config.json` in the working
 * directory if present) then environment overrides.
 */
export function loadConfig(opts: { env?: NodeJS.ProcessEnv; cwd?: string; overrides?: Partial<z.input<typeof configSchema>> } = {}): SmileConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  let file: string | null = env.SMILE_CONFIG ? path.resolve(cwd, env.SMILE_CONFIG) : path.join(cwd, 'smile.config.json');
  let raw: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new SmileError(ErrorCodes.CONFIG_INVALID, `cannot parse ${file}: ${(e as Error).message}`, { key: file });
    }
  } else if (env.SMILE_CONFIG) {
    throw new SmileError(ErrorCodes.CONFIG_INVALID, `config file ${file} does not exist`, { key: 'SMILE_CONFIG' });
  } else {
    file = null;
  }
  const merged: Record<string, unknown> = { ...raw, ...opts.overrides };
  if (env.DATABASE_URL) merged.databaseUrl = env.DATABASE_URL;
  if (env.REDIS_URL) merged.redisUrl = env.REDIS_URL;
  if (env.SMILE_DATA_DIR) merged.dataDir = env.SMILE_DATA_DIR;
  if (env.HOST) merged.host = env.HOST;
  if (env.SMILE_LOG_LEVEL) merged.logLevel = env.SMILE_LOG_LEVEL;
  if (env.PORT) {
    const port = Number(env.PORT);
    if (!Number.isInteger(port)) throw new SmileError(ErrorCodes.CONFIG_INVALID, `PORT must be a whole number, got "${env.PORT}"`, { key: 'PORT' });
    merged.port = port;
  }
  if (env.SMILE_PLUGIN_PATHS) {
    const plugins = { ...((merged.plugins as object) ?? {}) } as { paths?: string[] };
    plugins.paths = [...(plugins.paths ?? []), ...env.SMILE_PLUGIN_PATHS.split(':').filter(Boolean)];
    merged.plugins = plugins;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const { key, message } = formatIssues(parsed.error);
    throw new SmileError(ErrorCodes.CONFIG_INVALID, `${file ?? 'configuration'}: ${message}`, { key });
  }
  const c = parsed.data;
  const base = path.dirname(file ?? path.join(cwd, 'x'));
  return {
    ...c,
    dataDir: path.resolve(base, c.dataDir),
    plugins: { ...c.plugins, paths: c.plugins.paths.map((p) => path.resolve(base, p)) },
    production: env.NODE_ENV === 'production',
    configFile: file,
    rootDir: findRoot(),
  };
}

/** The folder holding the workspace package.json (plugins/, themes/ are found there). */
export function findRoot(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  return path.resolve(here, '..', '..');
}
