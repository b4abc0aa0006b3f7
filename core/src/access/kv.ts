import type { Knex } from 'knex';
import type { KeyValueStore } from '@smile/sdk';

/** The key-value store in the `kv_store` table (embedded database, or PostgreSQL without Redis). */
export class DbKeyValueStore implements KeyValueStore {
  constructor(private knex: Knex) {}

  private live() {
    return this.knex.raw('expires_at > now()');
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    // an expired row counts as absent: take it over in the same statement
    const rows = await this.knex.raw(
      `insert into kv_store (key, value, expires_at) values (?, ?, now() + (? || ' milliseconds')::interval)
       on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at where kv_store.expires_at <= now()
       returning key`,
      [key, value, String(Math.max(1, Math.round(ttlMs)))],
    );
    return rows.rows.length === 1;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.knex.raw(
      `insert into kv_store (key, value, expires_at) values (?, ?, now() + (? || ' milliseconds')::interval)
       on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at`,
      [key, value, String(Math.max(1, Math.round(ttlMs)))],
    );
  }

  async get(key: string): Promise<string | null> {
    const row = await this.knex('kv_store').where({ key }).andWhere(this.live()).first('value');
    return row?.value ?? null;
  }

  async take(key: string): Promise<string | null> {
    const rows = await this.knex('kv_store').where({ key }).andWhere(this.live()).del().returning('value');
    return rows[0]?.value ?? null;
  }

  async delete(key: string): Promise<void> {
    await this.knex('kv_store').where({ key }).del();
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const rows = await this.knex.raw(
      `insert into kv_store (key, value, expires_at) values (?, '1', now() + (? || ' milliseconds')::interval)
       on conflict (key) do update set
         value = case when kv_store.expires_at <= now() then '1' else (kv_store.value::bigint + 1)::text end,
         expires_at = case when kv_store.expires_at <= now() then excluded.expires_at else kv_store.expires_at end
       returning value`,
      [key, String(Math.max(1, Math.round(ttlMs)))],
    );
    return Number(rows.rows[0].value);
  }

  /** Remove expired entries (scheduled job). */
  async purge(): Promise<number> {
    return this.knex('kv_store').where('expires_at', '<=', this.knex.fn.now()).del();
  }
}

/** The key-value store in Redis: shared by every process of the instance. */
export class RedisKeyValueStore implements KeyValueStore {
  constructor(private redis: import('ioredis').Redis, private prefix: string) {}

  private k(key: string) {
    return `${this.prefix}kv:${key}`;
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(this.k(key));
  }

  take(key: string): Promise<string | null> {
    return this.redis.getdel(this.k(key));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.k(key));
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const [[, n]] = (await this.redis.multi().incr(this.k(key)).pexpire(this.k(key), Math.max(1, Math.round(ttlMs)), 'NX').exec()) as [[unknown, number], unknown];
    return n;
  }
}
