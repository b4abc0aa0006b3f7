import { createHash, randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type { Knex } from 'knex';
import type { Session } from '@smile/sdk';
import type { Invalidations } from '../db/invalidations.js';

export const SESSION_COOKIE = 'smile_sid';
/** How often `last_seen_at` is written back for a session that is only read. */
const TOUCH_MS = 60 * 1000;

const hash = (v: string) => createHash('sha256').update(v).digest('hex');

/** Idle and absolute lifetimes of a session. */
export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

export interface SessionRow {
  id: string;
  institution_id: number;
  person_id: number | null;
  data: Record<string, unknown>;
  created_at: Date | string;
  last_seen_at: Date | string;
  expires_at: Date | string;
}

/** Where sessions live: the database (embedded default) or Redis when configured. */
export interface SessionStore {
  load(id: string): Promise<SessionRow | undefined>;
  create(row: { id: string; institution_id: number; person_id: number | null; data: Record<string, unknown>; expires_at: Date }): Promise<void>;
  /** Mark the session seen now, and store `data` when given. */
  touch(row: SessionRow, data?: Record<string, unknown>): Promise<void>;
  delete(id: string): Promise<void>;
  /** End every session of a person (sign-out everywhere). */
  deleteByPerson(personId: number): Promise<number>;
  /** Remove expired sessions (scheduled job). */
  purge(): Promise<number>;
}

/**
 * Sessions read recently, kept in the process for at most a minute (when a session is also marked
 * seen): only while the invalidation channel is live, so that a sign-out or a change of a session's
 * data in any process reaches this one at once (announced on topics `session` and `session-person`).
 */
class SessionCache {
  private entries = new Map<string, { row: SessionRow; at: number }>();

  constructor(private bus: Invalidations) {
    bus.on('session', (id) => this.entries.delete(id));
    bus.on('session-person', (person) => {
      for (const [id, e] of this.entries) if (String(e.row.person_id) === person) this.entries.delete(id);
    });
    bus.onReset(() => this.entries.clear());
  }

  get(id: string): SessionRow | undefined {
    const e = this.bus.live ? this.entries.get(id) : undefined;
    return e && Date.now() - e.at <= TOUCH_MS ? e.row : undefined;
  }

  set(row: SessionRow) {
    if (!this.bus.live) return;
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(row.id, { row, at: Date.now() });
  }

  drop(id: string) {
    this.entries.delete(id);
  }
}

/**
 * Sessions in the `sessions` table, recently read rows cached (see {@link SessionCache}): a
 * sign-out in one process takes effect in all of them at once.
 */
export class DbSessionStore implements SessionStore {
  private cache: SessionCache;

  constructor(private knex: Knex, private timeouts: SessionTimeouts, private bus: Invalidations) {
    this.cache = new SessionCache(bus);
  }

  async load(id: string): Promise<SessionRow | undefined> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const row = (await this.knex('sessions').where({ id }).first()) as SessionRow | undefined;
    if (row) this.cache.set(row);
    return row;
  }

  async create(row: { id: string; institution_id: number; person_id: number | null; data: Record<string, unknown>; expires_at: Date }) {
    await this.knex('sessions').insert({ ...row, data: JSON.stringify(row.data) });
  }

  async touch(row: SessionRow, data?: Record<string, unknown>) {
    this.cache.drop(row.id);
    await this.knex('sessions').where({ id: row.id }).update({ ...(data ? { data: JSON.stringify(data) } : {}), last_seen_at: this.knex.fn.now() });
    // other processes may hold the old data; a new "last seen" alone they may ignore for a minute
    if (data) await this.bus.announce(this.knex, 'session', row.id);
  }

  async delete(id: string) {
    await this.knex('sessions').where({ id }).del();
    await this.bus.announce(this.knex, 'session', id);
  }

  async deleteByPerson(personId: number): Promise<number> {
    const n = await this.knex('sessions').where({ person_id: personId }).del();
    await this.bus.announce(this.knex, 'session-person', String(personId));
    return n;
  }

  async purge(): Promise<number> {
    return this.knex('sessions')
      .where('expires_at', '<', this.knex.fn.now())
      .orWhere('last_seen_at', '<', this.knex.raw(`now() - (? || ' milliseconds')::interval`, [String(this.timeouts.idleMs)]))
      .del();
  }
}

/**
 * Sessions in Redis: one key per session expiring with it (idle timeout, capped by the absolute
 * one), and one set per person listing their sessions, for sign-out everywhere.
 */
export class RedisSessionStore implements SessionStore {
  private cache: SessionCache;

  /** `db`: where announcements go (the platform database; see {@link Invalidations}). */
  constructor(private redis: import('ioredis').Redis, private prefix: string, private timeouts: SessionTimeouts, private bus: Invalidations, private db: Knex) {
    this.cache = new SessionCache(bus);
  }

  private key(id: string) {
    return `${this.prefix}sess:${id}`;
  }
  private personKey(id: number) {
    return `${this.prefix}person-sess:${id}`;
  }
  private ttl(row: { expires_at: Date | string }) {
    return Math.max(1, Math.min(this.timeouts.idleMs, new Date(row.expires_at).getTime() - Date.now()));
  }

  async load(id: string): Promise<SessionRow | undefined> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const raw = await this.redis.get(this.key(id));
    const row = raw ? (JSON.parse(raw) as SessionRow) : undefined;
    if (row) this.cache.set(row);
    return row;
  }

  async create(row: { id: string; institution_id: number; person_id: number | null; data: Record<string, unknown>; expires_at: Date }) {
    const now = new Date().toISOString();
    const full: SessionRow = { ...row, created_at: now, last_seen_at: now };
    const m = this.redis.multi().set(this.key(row.id), JSON.stringify(full), 'PX', this.ttl(row));
    if (row.person_id) m.sadd(this.personKey(row.person_id), row.id).pexpire(this.personKey(row.person_id), this.timeouts.absoluteMs);
    await m.exec();
  }

  async touch(row: SessionRow, data?: Record<string, unknown>) {
    const next: SessionRow = { ...row, data: data ?? row.data, last_seen_at: new Date().toISOString() };
    this.cache.drop(row.id);
    await this.redis.set(this.key(row.id), JSON.stringify(next), 'PX', this.ttl(row), 'XX');
    if (data) await this.bus.announce(this.db, 'session', row.id);
  }

  async delete(id: string) {
    await this.redis.del(this.key(id));
    await this.bus.announce(this.db, 'session', id);
  }

  async deleteByPerson(personId: number): Promise<number> {
    const ids = await this.redis.smembers(this.personKey(personId));
    if (ids.length === 0) return 0;
    const n = await this.redis.del(...ids.map((i) => this.key(i)));
    await this.redis.del(this.personKey(personId));
    await this.bus.announce(this.db, 'session-person', String(personId));
    return n;
  }

  async purge(): Promise<number> {
    return 0; // keys expire by themselves
  }
}

/**
 * A request's session. Visitors without a session cookie cost no store access; a session is
 * written only when something is stored in it. Idle and absolute timeouts apply; `signIn` always
 * issues a new id.
 */
export class RequestSession implements Session {
  private data: Record<string, unknown> = {};
  private row: SessionRow | null = null;
  private dirty = false;
  private rotate = false;
  private destroyed = false;

  private constructor(private koa: Koa.Context, private store: SessionStore, private institutionId: number, private timeouts: SessionTimeouts) {}

  static async load(koa: Koa.Context, store: SessionStore, institutionId: number, timeouts: SessionTimeouts): Promise<RequestSession> {
    const s = new RequestSession(koa, store, institutionId, timeouts);
    const cookie = koa.cookies.get(SESSION_COOKIE);
    if (cookie && /^[A-Za-z0-9_-]{43}$/.test(cookie)) {
      const row = await store.load(hash(cookie));
      const now = Date.now();
      if (row && row.institution_id === institutionId && new Date(row.expires_at).getTime() > now && new Date(row.last_seen_at).getTime() + timeouts.idleMs > now) {
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
    this.destroyed = false;
  }

  signOut() {
    this.destroyed = true;
    this.data = {};
  }

  /** Write changes and set the cookie. Called once, after the handler. */
  async commit(): Promise<void> {
    const opts = { httpOnly: true, sameSite: 'lax' as const, secure: this.koa.secure, overwrite: true };
    if (this.destroyed) {
      if (this.row) await this.store.delete(this.row.id);
      this.koa.cookies.set(SESSION_COOKIE, null, opts);
      return;
    }
    if (this.dirty && (this.rotate || !this.row)) {
      if (this.row) await this.store.delete(this.row.id);
      const token = randomBytes(32).toString('base64url');
      const personId = typeof this.data.personId === 'number' ? this.data.personId : null;
      await this.store.create({ id: hash(token), institution_id: this.institutionId, person_id: personId, data: this.data, expires_at: new Date(Date.now() + this.timeouts.absoluteMs) });
      // a browser-session cookie: closing the browser ends it; the server enforces both timeouts
      this.koa.cookies.set(SESSION_COOKIE, token, opts);
      return;
    }
    if (!this.row) return;
    const stale = Date.now() - new Date(this.row.last_seen_at).getTime() > TOUCH_MS;
    if (this.dirty || stale) await this.store.touch(this.row, this.dirty ? this.data : undefined);
  }
}

/** The session id stored for a cookie value (tests create sessions directly). */
export const sessionIdOf = hash;
