import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { SmileError, ErrorCodes, PERMISSION_NAME } from '@smile/sdk';

/** Tokens look like `smile_<8 chars>_<43 chars>`; only a SHA-256 of the whole token is stored. */
const TOKEN = /^smile_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface ApiTokenRow {
  id: number;
  institution_id: number;
  name: string;
  prefix: string;
  permissions: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createToken(
  knex: Knex,
  opts: { institutionId: number; name: string; permissions: string[]; known: Set<string> },
): Promise<{ token: string; id: number }> {
  if (!opts.name.trim()) throw new SmileError(ErrorCodes.VALIDATION, 'a token needs a name', { key: 'name', status: 400 });
  for (const p of opts.permissions) {
    if (!PERMISSION_NAME.test(p) || !opts.known.has(p)) {
      throw new SmileError(ErrorCodes.VALIDATION, `unknown permission "${p}"`, { key: 'permissions', status: 400 });
    }
  }
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const token = `smile_${prefix}_${randomBytes(32).toString('base64url')}`;
  const [row] = await knex('api_tokens')
    .insert({ institution_id: opts.institutionId, name: opts.name.trim(), prefix, hash: hash(token), permissions: opts.permissions })
    .returning('id');
  return { token, id: Number(row.id) };
}

/** The live token for `token`, or null. Updates `last_used_at` at most once a minute. */
export async function verifyToken(knex: Knex, token: string): Promise<ApiTokenRow | null> {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const h = hash(token);
  const row: (ApiTokenRow & { hash: string }) | undefined = await knex('api_tokens').where({ hash: h }).whereNull('revoked_at').first();
  if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(h))) return null;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await knex('api_tokens').where({ id: row.id }).update({ last_used_at: knex.fn.now() });
  }
  return row;
}

export async function listTokens(knex: Knex, institutionId?: number): Promise<ApiTokenRow[]> {
  const q = knex('api_tokens').select('id', 'institution_id', 'name', 'prefix', 'permissions', 'created_at', 'last_used_at', 'revoked_at').orderBy('id');
  if (institutionId !== undefined) q.where({ institution_id: institutionId });
  return q;
}

export async function revokeToken(knex: Knex, id: number): Promise<boolean> {
  const n = await knex('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: knex.fn.now() });
  return n > 0;
}
