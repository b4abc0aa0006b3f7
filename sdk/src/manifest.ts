import { z } from 'zod';

/** Plugin id: kebab-case, starts with a letter, at most 50 characters. */
export const PLUGIN_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const semverRange = z.string().min(1);

/**
 * The static manifest: the `"smile"` field of a plugin's package.json. It is read and validated
 * without running any plugin code.
 */
export const manifestSchema = z
  .object({
    id: z.string().max(50).regex(PLUGIN_ID, 'must be kebab-case (e.g. "learning-agreement")'),
    kind: z.enum(['feature', 'connector', 'auth', 'theme']),
    engines: z.object({ smile: semverRange }).strict(),
    dependsOn: z.record(z.string().regex(PLUGIN_ID), semverRange).default({}),
    maturity: z.enum(['experimental', 'beta', 'stable', 'deprecated']).default('experimental'),
    /** Personal data held by the plugin: table name → columns. */
    privacy: z.record(z.string(), z.array(z.string())).optional(),
    /** Entry module relative to the package folder; defaults to `src/index.ts`, then `index.js`. */
    main: z.string().optional(),
    /** Theme only: the parent theme id. */
    parent: z.string().regex(PLUGIN_ID).optional(),
    /** Enabled for every institution unless turned off (default true for core features). */
    defaultEnabled: z.boolean().default(true),
    /** Title shown in admin lists. */
    title: z.object({ fr: z.string(), en: z.string() }).partial().optional(),
  })
  .strict();

/** A validated manifest. */
export type PluginManifest = z.infer<typeof manifestSchema>;
