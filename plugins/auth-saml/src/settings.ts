import { secret, z } from '@smile/sdk';
import type { Institution } from '@smile/sdk';

const bilingual = z.object({ fr: z.string().min(1).max(300), en: z.string().min(1).max(300) });
const pem = z.string().min(100).max(20_000);

/** An IdP configured by hand (outside any federation), e.g. the institution's own Shibboleth IdP. */
export const idpSettingSchema = z.object({
  entityId: z.string().min(1).max(500),
  name: bilingual,
  /** SingleSignOnService, HTTP-Redirect binding. */
  ssoUrl: z.url(),
  /** SingleLogoutService, HTTP-Redirect binding (optional: without it, sign-out stays local). */
  sloUrl: z.url().optional(),
  /** The IdP's signing certificates (PEM or the base64 body from its metadata). */
  certificates: z.array(pem).min(1).max(5),
});
export type IdpSetting = z.infer<typeof idpSettingSchema>;

/** One federation metadata source. */
export const federationSchema = z.object({
  metadataUrl: z.url().max(500).optional(),
  metadataFile: z.string().min(1).max(500).optional(),
  /** PEM certificate the aggregate must be signed with; without it the source is refused. */
  signingCertificate: pem.optional(),
  /** Refuse an aggregate larger than this (eduGAIN's is far larger than RENATER's). */
  maxBytes: z.number().int().min(1_000).max(500_000_000).default(200_000_000),
});
export type FederationSetting = z.infer<typeof federationSchema>;

/** Where a source is read from (its key in the status table). */
export const sourceOf = (f: FederationSetting): string => f.metadataFile ?? f.metadataUrl ?? '';

/**
 * Settings of the plugin. Every field has a default: the plugin boots with nothing configured
 * (it then has no IdP and says so on the discovery page). Institutions may override any of them.
 */
export const settingsSchema = z.object({
  /** The SP entityID. Default: `<origin>/saml/metadata`, the URL the metadata is served at. */
  entityId: z.string().min(1).max(500).optional(),
  /** Public origin of the SP (`https://mobility.univ-example.fr`). Default: the request's origin. */
  baseUrl: z.url().optional(),
  /**
   * SP key pairs. When absent, a key pair per use is generated once per institution and stored in
   * the database (`auth_saml_sp_keys`); set these to use keys managed elsewhere.
   */
  signingKey: secret(pem.optional()),
  signingCertificate: pem.optional(),
  encryptionKey: secret(pem.optional()),
  encryptionCertificate: pem.optional(),
  /** Names shown to users by IdPs and in federation registries (mdui:DisplayName). Default: the institution's names. */
  displayName: bilingual.optional(),
  /** Contacts published in the SP metadata (federations require a technical one). */
  contacts: z
    .object({ technical: z.email().optional(), support: z.email().optional(), security: z.email().optional() })
    .default({}),
  /** Publish the European Student Identifier entity category (https://myacademicid.org/entity-categories/esi). */
  esiEntityCategory: z.boolean().default(true),
  /**
   * Federation metadata aggregates (RENATER's Éducation-Recherche IdPs, the eduGAIN IdPs RENATER republishes):
   * each a URL or a local file, and the certificate that signs it. An IdP listed by several keeps the first.
   */
  federations: z.array(federationSchema).max(10).default([]),
  /** Cron of the federation metadata refresh (instance-wide; read at boot). */
  refreshCron: z.string().min(9).max(100).default('17 */6 * * *'),
  /** IdPs configured one by one, in addition to (and taking precedence over) the federation's. */
  idps: z.array(idpSettingSchema).max(200).default([]),
  /** EntityIDs listed first on the discovery page (e.g. the institution's own IdP). */
  featuredIdps: z.array(z.string().max(500)).max(20).default([]),
  /**
   * Extra attribute mapping: SAML attribute Name (`urn:oid:…`) or FriendlyName → the friendly name
   * SMILE stores. Merged over the built-in map (eppn, mail, givenName, sn, …).
   */
  attributeMap: z.record(z.string().min(1).max(300), z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/)).default({}),
  /** Attributes (friendly names) without which sign-in is refused, besides the subject. */
  requiredAttributes: z.array(z.string().max(64)).max(30).default([]),
  /** Subject of the identity: eppn, else a persistent NameID (default); or only one of them. */
  subject: z.enum(['eppn-or-persistent', 'eppn', 'persistent']).default('eppn-or-persistent'),
  /** Accepted clock difference with IdPs, for NotBefore/NotOnOrAfter. */
  clockSkewSeconds: z.number().int().min(0).max(600).default(180),
  /** How long a sign-in started here may take at the IdP before its response is refused. */
  requestTtlMinutes: z.number().int().min(1).max(120).default(30),
});

export type SamlSettings = z.infer<typeof settingsSchema>;

/**
 * The settings that apply to `institution`: instance values with the institution's overrides.
 * An override that does not validate is ignored (the core logs it the same way for themes).
 */
export function settingsFor(base: SamlSettings, institution: Pick<Institution, 'settings'>): SamlSettings {
  const over = institution.settings?.['auth-saml'];
  if (!over || Object.keys(over).length === 0) return base;
  const r = settingsSchema.safeParse({ ...base, ...over });
  return r.success ? r.data : base;
}
