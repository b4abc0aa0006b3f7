import type { z } from 'zod';

const secrets = new WeakSet<z.ZodType>();

/**
 * Mark a settings field as secret: it is validated like any other, but redacted in logs,
 * in `smile plugins list`, and never rendered in admin pages.
 */
export function secret<T extends z.ZodType>(schema: T): T {
  secrets.add(schema);
  return schema;
}

/** Was `schema` marked with {@link secret}? Looks through optional/default wrappers. */
export function isSecret(schema: z.ZodType): boolean {
  let s: any = schema;
  for (let i = 0; i < 5 && s; i++) {
    if (secrets.has(s)) return true;
    s = s.def?.innerType ?? s._def?.innerType;
  }
  return false;
}

/** Names of the secret fields of an object settings schema. */
export function secretKeys(schema: z.ZodType | undefined): string[] {
  const shape = (schema as any)?.shape as Record<string, z.ZodType> | undefined;
  if (!shape) return [];
  return Object.entries(shape).filter(([, v]) => isSecret(v)).map(([k]) => k);
}

/** Copy of `settings` with secret fields replaced by `"[redacted]"`. */
export function redactSettings(schema: z.ZodType | undefined, settings: Record<string, unknown>): Record<string, unknown> {
  const out = { ...settings };
  for (const k of secretKeys(schema)) if (out[k] !== undefined) out[k] = '[redacted]';
  return out;
}
