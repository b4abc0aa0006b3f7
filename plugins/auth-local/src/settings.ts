import { z } from '@smile/sdk';

/**
 * Instance settings of the plugin. Every field has a default: the plugin boots with no configuration.
 * Durations are in minutes unless the name says otherwise.
 */
export const settingsSchema = z.object({
  /** Days an invitation link stays valid. */
  invitationDays: z.number().int().min(1).max(60).default(7),
  /** Minutes a password-reset link stays valid. */
  resetMinutes: z.number().int().min(5).max(24 * 60).default(60),
  /** Failed attempts on one account before it is locked. */
  maxFailures: z.number().int().min(3).max(50).default(5),
  /** First lockout length; each further lockout within a day doubles it, up to `maxLockMinutes`. */
  lockMinutes: z.number().int().min(1).max(24 * 60).default(15),
  maxLockMinutes: z.number().int().min(1).max(7 * 24 * 60).default(24 * 60),
  /** Failed sign-ins from one IP address within `ipWindowMinutes` before that address is refused. */
  ipMaxFailures: z.number().int().min(5).max(10_000).default(50),
  ipWindowMinutes: z.number().int().min(1).max(24 * 60).default(15),
  /** Reset mails sent for one address per hour (more requests get the same answer, and no mail). */
  resetMailsPerHour: z.number().int().min(1).max(20).default(3),
  /** Role keys whose holders must use a second factor (TOTP): they set it up before anything else. */
  totpRequiredRoles: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,49}$/)).default(['admin', 'techadmin']),
  /** Issuer shown in authenticator apps; default: the institution's name. */
  totpIssuer: z.string().max(100).optional(),
  /**
   * scrypt cost for new hashes. Stored with each hash, so raising it later re-hashes each password at
   * its next sign-in. Defaults follow the OWASP cheat sheet (N=2^15, r=8, p=3: 32 MiB per hash).
   */
  scrypt: z
    .object({
      N: z.number().int().min(2 ** 10).max(2 ** 20).refine((n) => (n & (n - 1)) === 0, 'N must be a power of two').default(2 ** 15),
      r: z.number().int().min(1).max(32).default(8),
      p: z.number().int().min(1).max(16).default(3),
    })
    .default({ N: 2 ** 15, r: 8, p: 3 }),
});

/** Validated settings, as `r.settings` holds them. */
export type Settings = z.infer<typeof settingsSchema>;
