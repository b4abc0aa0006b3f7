import type { Institution, TenantDb } from '@smile/sdk';
import type { SamlSettings } from './settings.js';
import { certPem, generateKeyAndCertificate } from './x509.js';

/** A key pair of the SP. The private key never leaves the server: not logged, not rendered. */
export interface KeyPair {
  privateKey: string;
  certificate: string;
}

export interface SpKeys {
  signing: KeyPair;
  encryption: KeyPair;
  /** `settings` when configured, `generated` when made by the plugin and stored. */
  origin: 'settings' | 'generated';
}

const USES = ['signing', 'encryption'] as const;

/**
 * The SP key pairs of each institution: from the settings when both key and certificate are set,
 * otherwise generated once (RSA 3072, self-signed for 10 years, as federations expect) and stored
 * in `auth_saml_sp_keys`. Concurrent first uses (two processes) agree: the first insert wins and
 * everyone reads it back.
 */
export class SpKeyStore {
  private cache = new Map<number, Promise<SpKeys>>();

  constructor(private bits = 3072) {}

  get(db: TenantDb, institution: Institution, settings: SamlSettings, host: string): Promise<SpKeys> {
    if (settings.signingKey && settings.signingCertificate) {
      const signing = { privateKey: settings.signingKey, certificate: certPem(settings.signingCertificate) };
      const encryption =
        settings.encryptionKey && settings.encryptionCertificate
          ? { privateKey: settings.encryptionKey, certificate: certPem(settings.encryptionCertificate) }
          : signing;
      return Promise.resolve({ signing, encryption, origin: 'settings' });
    }
    let keys = this.cache.get(institution.id);
    if (!keys) {
      keys = this.loadOrCreate(db, host);
      this.cache.set(institution.id, keys);
      keys.catch(() => this.cache.delete(institution.id));
    }
    return keys;
  }

  private async loadOrCreate(db: TenantDb, host: string): Promise<SpKeys> {
    const read = async () => {
      const rows: Array<{ use: string; private_key: string; certificate: string }> = await db.table('auth_saml_sp_keys').select('use', 'private_key', 'certificate');
      const by = new Map(rows.map((r) => [r.use, { privateKey: r.private_key, certificate: r.certificate }]));
      return USES.every((u) => by.has(u)) ? { signing: by.get('signing')!, encryption: by.get('encryption')!, origin: 'generated' as const } : null;
    };
    const existing = await read();
    if (existing) return existing;
    const made = await Promise.all(USES.map((use) => generateKeyAndCertificate(host, { bits: this.bits, dnsName: /^[a-z0-9.-]+$/i.test(host) ? host : undefined }).then((k) => ({ use, ...k }))));
    for (const k of made) {
      await db.knex
        .insert({ institution_id: db.institutionId, use: k.use, private_key: k.privateKey, certificate: k.certificate })
        .into('auth_saml_sp_keys')
        .onConflict(['institution_id', 'use'])
        .ignore();
    }
    const stored = await read();
    if (!stored) throw new Error('SP keys could not be stored');
    return stored;
  }
}
