/**
 * Single-use, expiring signing links for a party without an account (the sending institution's
 * coordinator when the partner is not on EWP). Only the SHA-256 of the token is stored: the token
 * exists only in the mail, so a leaked table opens nothing. Also: where the institution is reached
 * from outside, for the addresses written in mail.
 * @packageDocumentation
 */
import { createHash, randomBytes } from 'node:crypto';
export { publicOrigin } from '@smile/sdk';
import type { Knex } from 'knex';
import type { LaParty } from './model.js';
import { LaError } from './store-types.js';

/** SHA-256 (hex) of a token, as stored. */
export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** A token of 256 random bits, URL-safe. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Tokens look like this; anything else is unknown without asking the database. */
export const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A stored link. */
export interface SigningLink {
  id: number;
  institutionId: number;
  versionId: number;
  party: LaParty;
  email: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

const toLink = (r: any): SigningLink => ({
  id: r.id, institutionId: r.institution_id, versionId: r.version_id, party: r.party, email: r.email,
  expiresAt: new Date(r.expires_at), usedAt: r.used_at ? new Date(r.used_at) : null, revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
});

/**
 * Create a link for `party` to sign version `versionId`, revoking the live links of the same
 * agreement and party first (at most one works at a time). Returns the token, to be mailed.
 */
export async function createLink(
  trx: Knex.Transaction,
  x: { institutionId: number; agreementId: number; versionId: number; party: LaParty; email: string; validityDays: number; now?: Date },
): Promise<{ token: string; link: SigningLink }> {
  const now = x.now ?? new Date();
  const versions = trx('la_versions').where({ institution_id: x.institutionId, agreement_id: x.agreementId }).select('id');
  await trx('la_signing_links')
    .where({ institution_id: x.institutionId, party: x.party })
    .whereIn('version_id', versions)
    .whereNull('used_at').whereNull('revoked_at')
    .update({ revoked_at: now });
  const token = newToken();
  const [row] = await trx('la_signing_links')
    .insert({
      institution_id: x.institutionId, version_id: x.versionId, party: x.party, token_hash: tokenHash(token), email: x.email,
      created_at: now, expires_at: new Date(now.getTime() + x.validityDays * 86_400_000),
    })
    .returning('*');
  return { token, link: toLink(row) };
}

/**
 * The link a token opens in `institutionId`, if it may still be used; otherwise a refusal saying
 * why (unknown, revoked, already used, expired). `forUpdate` locks the row (inside a transaction).
 */
export async function usableLink(db: Knex | Knex.Transaction, institutionId: number, token: string, opts: { forUpdate?: boolean; now?: Date } = {}): Promise<SigningLink> {
  if (!TOKEN.test(token)) throw new LaError('linkUnknown', 'this signing link is not valid');
  const q = db('la_signing_links').where({ institution_id: institutionId, token_hash: tokenHash(token) });
  const row = await (opts.forUpdate ? q.forUpdate() : q).first();
  if (!row) throw new LaError('linkUnknown', 'this signing link is not valid');
  const link = toLink(row);
  if (link.usedAt) throw new LaError('linkUsed', 'this signing link has already been used');
  if (link.revokedAt) throw new LaError('linkRevoked', 'this signing link was replaced by a newer one');
  if (link.expiresAt.getTime() <= (opts.now ?? new Date()).getTime()) throw new LaError('linkExpired', 'this signing link has expired');
  return link;
}


/** Page addresses, in one place: mail, views and redirects use them. */
export const paths = {
  student: (fileId: number) => `/mobility/me/${fileId}/learning-agreement`,
  staff: (agreementId: number) => `/learning-agreements/${agreementId}`,
  link: (token: string) => `/la/sign/${token}`,
};
