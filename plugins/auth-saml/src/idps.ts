import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { escapeLike } from '@smile/sdk';
import type { Knex } from 'knex';
import type { Logger, TenantDb } from '@smile/sdk';
import { MetadataError, readIdps, verifyAggregate, type IdpEntry } from './federation.js';
import { sourceOf, type FederationSetting, type IdpSetting, type SamlSettings } from './settings.js';
import { fold } from './util.js';
import { certBody } from './x509.js';

/** An IdP users may sign in with. */
export interface Idp {
  entityId: string;
  name: { fr: string; en: string };
  ssoUrl: string;
  sloUrl: string | null;
  /** Base64 bodies of its signing certificates. */
  certificates: string[];
  source: 'settings' | 'federation';
}

const fromSetting = (s: IdpSetting): Idp => ({
  entityId: s.entityId,
  name: s.name,
  ssoUrl: s.ssoUrl,
  sloUrl: s.sloUrl ?? null,
  certificates: s.certificates.map(certBody),
  source: 'settings',
});

const fromRow = (r: any): Idp => ({
  entityId: r.entity_id,
  name: { fr: r.name_fr, en: r.name_en },
  ssoUrl: r.sso_url,
  sloUrl: r.slo_url ?? null,
  certificates: typeof r.certificates === 'string' ? JSON.parse(r.certificates) : r.certificates,
  source: 'federation',
});

const PAGE = 25;

/**
 * The IdPs of an institution: those configured in its settings (they win on the same entityID)
 * and those of its federation, stored in `auth_saml_idps`.
 */
export class IdpDirectory {
  async find(db: TenantDb, settings: SamlSettings, entityId: string): Promise<Idp | null> {
    const s = settings.idps.find((i) => i.entityId === entityId);
    if (s) return fromSetting(s);
    const row = await db.table('auth_saml_idps').where({ entity_id: entityId }).first();
    return row ? fromRow(row) : null;
  }

  async findMany(db: TenantDb, settings: SamlSettings, entityIds: string[]): Promise<Idp[]> {
    const out: Idp[] = [];
    for (const id of entityIds) {
      const idp = await this.find(db, settings, id);
      if (idp) out.push(idp);
    }
    return out;
  }

  /** How many IdPs the institution has (settings + federation). */
  async count(db: TenantDb, settings: SamlSettings): Promise<number> {
    const row = await db.table('auth_saml_idps').count('* as n').first();
    return settings.idps.length + Number((row as { n?: number | string } | undefined)?.n ?? 0);
  }

  /**
   * Search by name, entityID or scope, accent- and case-insensitively; every word must match.
   * Returns at most one page, and whether there were more.
   */
  async search(db: TenantDb, settings: SamlSettings, query: string, lang: 'fr' | 'en'): Promise<{ idps: Idp[]; more: boolean }> {
    const words = fold(query).split(' ').filter(Boolean).slice(0, 8);
    if (words.length === 0) return { idps: [], more: false };
    const own = settings.idps.filter((i) => {
      const hay = fold([i.name.fr, i.name.en, i.entityId].join(' '));
      return words.every((w) => hay.includes(w));
    });
    let q = db.table('auth_saml_idps');
    for (const w of words) q = q.where('search', 'like', `%${escapeLike(w)}%`);
    if (own.length) q = q.whereNotIn('entity_id', own.map((i) => i.entityId));
    const rows = await q.orderBy(lang === 'fr' ? 'name_fr' : 'name_en').limit(PAGE + 1);
    const all = [...own.map(fromSetting), ...rows.map(fromRow)];
    return { idps: all.slice(0, PAGE), more: all.length > PAGE };
  }
}

/** What the last refresh of one federation source did, for the admin page. */
export interface FederationStatus {
  source: string;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  idpCount: number;
  validUntil: Date | null;
}

export async function federationStatus(db: TenantDb): Promise<FederationStatus[]> {
  const rows = await db.table('auth_saml_federation').orderBy('source');
  return rows.map((r: any) => ({ source: r.source, lastAttemptAt: r.last_attempt_at, lastSuccessAt: r.last_success_at, lastError: r.last_error, idpCount: r.idp_count, validUntil: r.valid_until }));
}

/** Read an aggregate from a URL or a file, refusing more than `maxBytes`. */
export async function fetchAggregate(fed: FederationSetting): Promise<string> {
  if (fed.metadataFile) {
    const s = await stat(fed.metadataFile).catch(() => null);
    if (!s) throw new MetadataError(`the metadata file ${fed.metadataFile} does not exist`);
    if (s.size > fed.maxBytes) throw new MetadataError(`the metadata file is larger than ${fed.maxBytes} bytes`);
    return readFile(fed.metadataFile, 'utf8');
  }
  const url = fed.metadataUrl!;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(120_000), headers: { accept: 'application/samlmetadata+xml, application/xml;q=0.9, */*;q=0.1' } });
  } catch (e) {
    throw new MetadataError(`the metadata could not be downloaded from ${url}: ${(e as Error).message}`);
  }
  if (!res.ok || !res.body) throw new MetadataError(`the metadata could not be downloaded from ${url}: HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > fed.maxBytes) throw new MetadataError(`the metadata at ${url} is larger than ${fed.maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A verified aggregate, ready to store. */
export type LoadedAggregate = { idps: IdpEntry[]; validUntil: Date | null; digest: string };

/** Download, verify and read an aggregate. */
export async function loadAggregate(fed: FederationSetting): Promise<LoadedAggregate> {
  if (!fed.signingCertificate) throw new MetadataError('no signing certificate is configured for this federation metadata: unverified metadata is refused');
  const xml = await fetchAggregate(fed);
  const digest = createHash('sha256').update(xml).digest('hex');
  const { signedXml, validUntil } = verifyAggregate(xml, fed.signingCertificate);
  return { idps: readIdps(signedXml), validUntil, digest };
}

type Outcome = { source: string; loaded: LoadedAggregate } | { source: string; error: string };

/**
 * Refresh one institution's federation IdPs from every configured source. Each aggregate is
 * verified before anything changes; a source that fails keeps its last good copy (its previous
 * rows) and records the error for the admin page. An IdP listed by several sources keeps the
 * first source's entry. `load` lets a job share one download and verification between
 * institutions. Returns the number of IdPs and the errors, or null when no source is configured.
 */
export async function refreshFederation(
  knex: Knex,
  institutionId: number,
  settings: SamlSettings,
  log: Logger,
  load: (fed: FederationSetting) => Promise<LoadedAggregate> = loadAggregate,
): Promise<{ count: number; errors: Array<{ source: string; error: string }> } | null> {
  const sources = settings.federations.filter((f) => sourceOf(f));
  if (sources.length === 0) return null;
  const now = new Date();
  const outcomes: Outcome[] = [];
  for (const fed of sources) {
    try {
      outcomes.push({ source: sourceOf(fed), loaded: await load(fed) });
    } catch (e) {
      const error = e instanceof MetadataError ? e.message : `unexpected error: ${(e as Error).message}`;
      log.warn({ institution: institutionId, source: sourceOf(fed), err: error }, 'federation metadata refused: the last good copy is kept');
      outcomes.push({ source: sourceOf(fed), error: error.slice(0, 2000) });
    }
  }
  const failed = outcomes.filter((o) => 'error' in o).map((o) => o.source);
  let count = 0;
  await knex.transaction(async (trx) => {
    const kept = failed.length ? await trx('auth_saml_idps').where({ institution_id: institutionId }).whereIn('source', failed) : [];
    await trx('auth_saml_idps').where({ institution_id: institutionId }).delete();
    const seen = new Set<string>();
    const rows: object[] = [];
    for (const o of outcomes) {
      const entries =
        'loaded' in o
          ? o.loaded.idps.map((i) => ({ entity_id: i.entityId, name_fr: i.nameFr, name_en: i.nameEn, search: i.search, sso_url: i.ssoUrl, slo_url: i.sloUrl, certificates: JSON.stringify(i.certificates), updated_at: now }))
          : kept.filter((r: any) => r.source === o.source).map(({ id: _id, ...r }: any) => ({ ...r, certificates: typeof r.certificates === 'string' ? r.certificates : JSON.stringify(r.certificates) }));
      for (const e of entries) {
        if (seen.has(e.entity_id)) continue;
        seen.add(e.entity_id);
        rows.push({ ...e, institution_id: institutionId, source: o.source });
      }
    }
    for (let i = 0; i < rows.length; i += 500) await trx('auth_saml_idps').insert(rows.slice(i, i + 500));
    count = rows.length;
    for (const o of outcomes) {
      const status =
        'loaded' in o
          ? { last_attempt_at: now, last_success_at: now, last_error: null, idp_count: o.loaded.idps.length, valid_until: o.loaded.validUntil, digest: o.loaded.digest }
          : { last_attempt_at: now, last_error: o.error };
      await trx('auth_saml_federation').insert({ institution_id: institutionId, source: o.source, ...status }).onConflict(['institution_id', 'source']).merge(Object.keys(status));
    }
    // sources no longer configured
    await trx('auth_saml_federation').where({ institution_id: institutionId }).whereNotIn('source', outcomes.map((o) => o.source)).delete();
  });
  const errors = outcomes.flatMap((o) => ('error' in o ? [{ source: o.source, error: o.error }] : []));
  if (errors.length < outcomes.length) log.info({ institution: institutionId, idps: count }, 'federation metadata loaded');
  return { count, errors };
}
