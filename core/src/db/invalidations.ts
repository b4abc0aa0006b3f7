/**
 * Cross-process cache invalidation. A process that changes data other processes may hold in memory
 * (a session signed out, a role taken back) announces it; every process drops what it held. On a
 * PostgreSQL server the announcement is a `NOTIFY` on one channel, heard on a connection of each
 * process's own (`LISTEN`); inside a transaction it is delivered at commit, as the change is. On the
 * embedded database one process owns the data: announcements stay in the process.
 *
 * Caches trust announcements only while {@link Invalidations.live} is true: when the listening
 * connection breaks, the process cannot know what others changed, so every cache is reset and stays
 * off until the connection is back (and reset again then).
 * @packageDocumentation
 */
import pg from 'pg';
import type { Knex } from 'knex';
import type { Logger } from '@smile/sdk';

const CHANNEL = 'smile_invalidate';
const RETRY_MS = [200, 1000, 5000];

export class Invalidations {
  private readonly handlers = new Map<string, Set<(key: string) => void>>();
  private readonly resets = new Set<() => void>();
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Whether announcements from every process reach this one now (always, on the embedded database). */
  live: boolean;

  /** `url`: the PostgreSQL server shared with other processes; none for the embedded database. */
  constructor(private readonly url: string | undefined, private readonly log: Logger) {
    this.live = !url;
  }

  /** Start listening (a server only). Resolves once listening, or after the first failure (retried in the background). */
  async start(): Promise<void> {
    if (this.url) await this.connect();
  }

  /** Call `handler(key)` for each announcement on `topic` (this process's own included). */
  on(topic: string, handler: (key: string) => void): void {
    (this.handlers.get(topic) ?? this.handlers.set(topic, new Set()).get(topic)!).add(handler);
  }

  /** Call `handler` whenever announcements may have been missed: drop everything cached. */
  onReset(handler: () => void): void {
    this.resets.add(handler);
  }

  /**
   * Announce that `key` of `topic` changed: handlers of this process now, others' once `db`'s
   * transaction (if any) commits. `topic` and `key` must not contain `|`.
   */
  async announce(db: Knex | Knex.Transaction, topic: string, key: string): Promise<void> {
    this.deliver(topic, key);
    if (this.url) await db.raw('select pg_notify(?, ?)', [CHANNEL, `${topic}|${key}`]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.live = false;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }

  private deliver(topic: string, key: string) {
    for (const h of this.handlers.get(topic) ?? []) h(key);
  }

  private reset() {
    for (const r of this.resets) r();
  }

  private down(reason: string) {
    if (this.stopped) return;
    const was = this.live;
    this.live = false;
    this.reset();
    this.client = null;
    if (was) this.log.warn({ reason }, 'cache invalidation channel lost: caches off until it is back');
    const wait = RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)];
    this.retry = setTimeout(() => void this.connect(), wait);
    this.retry.unref();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const c = new pg.Client({ connectionString: this.url, application_name: 'smile-invalidations' });
    c.on('notification', (m) => {
      if (m.channel !== CHANNEL || !m.payload) return;
      const at = m.payload.indexOf('|');
      if (at > 0) this.deliver(m.payload.slice(0, at), m.payload.slice(at + 1));
    });
    let gone = false;
    const lost = (reason: string) => {
      if (gone) return;
      gone = true;
      if (this.client === c) this.down(reason);
    };
    c.on('error', (e) => lost(e.message));
    c.on('end', () => lost('connection ended'));
    try {
      await c.connect();
      await c.query(`listen ${CHANNEL}`);
    } catch (e) {
      gone = true;
      await c.end().catch(() => {});
      this.client = c;
      this.down((e as Error).message);
      return;
    }
    if (this.stopped) {
      await c.end().catch(() => {});
      return;
    }
    this.client = c;
    this.failures = 0;
    // what changed while nobody listened is unknown: start from nothing
    this.reset();
    this.live = true;
  }
}
