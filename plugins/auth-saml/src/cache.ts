import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { KeyValueStore } from '@smile/sdk';

/**
 * node-saml's request-ID cache on the platform's key-value store, so that the AuthnRequest IDs
 * it remembers (to check `InResponseTo`) are shared by every process (Redis when configured) and
 * expire on their own. `removeAsync` uses `take`: of two processes consuming the same ID, one wins.
 */
export class KvCacheProvider implements CacheProvider {
  constructor(
    private kv: KeyValueStore,
    private prefix: string,
    private ttlMs: number,
  ) {}

  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    const stored = await this.kv.setIfAbsent(this.prefix + key, value, this.ttlMs);
    return stored ? { value, createdAt: Date.now() } : null;
  }

  getAsync(key: string): Promise<string | null> {
    return this.kv.get(this.prefix + key);
  }

  async removeAsync(key: string | null): Promise<string | null> {
    return key ? this.kv.take(this.prefix + key) : null;
  }
}
