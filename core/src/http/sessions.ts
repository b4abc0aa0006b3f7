import { createHash, randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type { Knex } from 'knex';
import type { Session } from '@smile/sdk';

export const SESSION_COOKIE = 'smile_sid';
const IDLE_MS = 2 * 60 * 60 * 1000;
const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
const TOUCH_MS = 60 * 1000;

const hash = (v: string) => createHash('sha256').update(v).digest('hex');

interface Row {
  id: string;
  institution_id: number;
  data: Record<string, unknown>;
  last_seen_at: Date;
  expires_at: Date;
}

/**
 * Sessions read recently, by id. Used on the embedded database only, where one process owns the
 * data (the data-dir lock), so the cache can never be stale; on a PostgreSQL server each request
 * reads the row, so a sign-out in one process takes effect in all of them at once.
 */
export class SessionCache {
  private map = new Map<string, { row: Row; at: number }>();
  get(id: string): Row | undefined {
    const e = this.map.get(id);
    if (!e || Date.now() - e.at > TOUCH_MS) return undefined;
    return e.row;
  }
  set(row: Row) {
    if (this.map.size > 10_000) this.map.clear();
    this.map.set(row.id, { row, at: Date.now() });
  }
  delete(id: string) {
    this.map.delete(id);
  }
}

/**
 * A request's session. Visitors without a session cookie cost no database query; a session row
 * is written only when something is stored in it. Idle and absolute timeouts apply; `signIn` always
 * issues a new id.
 */
export class RequestSession implements Session {
  private data: Record<string, unknown> = {};
  private row: Row | null = null;
  private dirty = false;
  private rotate = false;
  private destroyed = false;

  private constructor(private koa: Koa.Context, private knex: Knex, private institutionId: number, private cache?: SessionCache) {}

  static async load(koa: Koa.Context, knex: Knex, institutionId: number, cache?: SessionCache): Promise<RequestSession> {
    const s = new RequestSession(koa, knex, institutionId, cache);
    const cookie = koa.cookies.get(SESSION_COOKIE);
    if (cookie && /^[A-Za-z0-9_-]{43}$/.test(cookie)) {
      const id = hash(cookie);
      let row = cache?.get(id);
      if (!row) {
        row = (await knex('sessions').where({ id }).first()) as Row | undefined;
        if (row) cache?.set(row);
      }
      if (row && row.institution_id !== institutionId) row = undefined;
      const now = Date.now();
      if (row && new Date(row.expires_at).getTime() > now && new Date(row.last_seen_at).getTime() + IDLE_MS > now) {
        s.row = row;
        s.data = row.data ?? {};
      }
    }
    return s;
  }

  get exists() {
    return this.row !== null || this.dirty;
  }

  get<T = unknown>(key: string): T | undefined {
    return this.data[key] as T | undefined;
  }

  set(key: string, value: unknown) {
    this.data = { ...this.data, [key]: value };
    this.dirty = true;
  }

  signIn(data: Record<string, unknown>) {
    this.data = { ...data, signedInAt: new Date().toISOString() };
    this.dirty = true;
    this.rotate = true;
  }

  signOut() {
    this.destroyed = true;
    this.data = {};
  }

  /** Write changes and set the cookie. Called once, after the handler. */
  async commit(): Promise<void> {
    const opts = { httpOnly: true, sameSite: 'lax' as const, secure: this.koa.secure, overwrite: true };
    if (this.destroyed) {
      if (this.row) {
        this.cache?.delete(this.row.id);
        await this.knex('sessions').where({ id: this.row.id }).del();
      }
      this.koa.cookies.set(SESSION_COOKIE, null, opts);
      return;
    }
    if (this.dirty && (this.rotate || !this.row)) {
      if (this.row) {
        this.cache?.delete(this.row.id);
        await this.knex('sessions').where({ id: this.row.id }).del();
      }
      const token = randomBytes(32).toString('base64url');
      await this.knex('sessions').insert({
        id: hash(token), institution_id: this.institutionId, data: JSON.stringify(this.data),
        expires_at: new Date(Date.now() + ABSOLUTE_MS),
      });
      this.koa.cookies.set(SESSION_COOKIE, token, { ...opts, maxAge: ABSOLUTE_MS });
      return;
    }
    if (!this.row) return;
    const stale = Date.now() - new Date(this.row.last_seen_at).getTime() > TOUCH_MS;
    if (this.dirty || stale) {
      this.cache?.delete(this.row.id);
      await this.knex('sessions').where({ id: this.row.id }).update({ ...(this.dirty ? { data: JSON.stringify(this.data) } : {}), last_seen_at: this.knex.fn.now() });
    }
  }
}

/** Remove expired sessions (scheduled job). */
export async function purgeSessions(knex: Knex): Promise<number> {
  return knex('sessions').where('expires_at', '<', knex.fn.now()).orWhere('last_seen_at', '<', knex.raw(`now() - interval '${IDLE_MS / 1000} seconds'`)).del();
}
