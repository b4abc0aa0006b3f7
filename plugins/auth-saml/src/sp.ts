import { randomBytes } from 'node:crypto';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { coreServices } from '@smile/sdk';
import type { RequestContext } from '@smile/sdk';
import { KvCacheProvider } from './cache.js';
import type { Idp } from './idps.js';
import type { SpKeyStore, SpKeys } from './keys.js';
import { settingsFor, type SamlSettings } from './settings.js';
import { certPem } from './x509.js';

/** Everything about the SP for one request's institution. */
export interface Sp {
  settings: SamlSettings;
  baseUrl: string;
  entityId: string;
  acsUrl: string;
  sloUrl: string;
  metadataUrl: string;
}

/** The SP of the request's institution (settings merged with the institution's overrides). */
export function spOf(ctx: RequestContext, base: SamlSettings): Sp {
  const settings = settingsFor(base, ctx.institution);
  const baseUrl = (settings.baseUrl ?? `${ctx.koa.protocol}://${ctx.koa.host}`).replace(/\/+$/, '');
  const metadataUrl = `${baseUrl}/saml/metadata`;
  return { settings, baseUrl, entityId: settings.entityId ?? metadataUrl, acsUrl: `${baseUrl}/saml/acs`, sloUrl: `${baseUrl}/saml/slo`, metadataUrl };
}

export function hostOf(sp: Sp): string {
  return new URL(sp.baseUrl).hostname;
}

export function keysOf(ctx: RequestContext, store: SpKeyStore, sp: Sp): Promise<SpKeys> {
  return store.get(ctx.db, ctx.institution, sp.settings, hostOf(sp));
}

/** KV key prefixes; every key carries the institution id so tenants never see each other's entries. */
export const kvKey = {
  /** node-saml's request-ID cache (InResponseTo). */
  requestIds: (institutionId: number) => `auth-saml:rid:${institutionId}:`,
  /** Our record of a sign-in we started: which IdP, where to return. */
  authn: (institutionId: number, id: string) => `auth-saml:authn:${institutionId}:${id}`,
  /** Marks a request ID whose response was already consumed (tells a replay from an unknown ID). */
  used: (institutionId: number, id: string) => `auth-saml:used:${institutionId}:${id}`,
  /** Assertion IDs already consumed (replay cache). */
  assertion: (institutionId: number, digest: string) => `auth-saml:assertion:${institutionId}:${digest}`,
  /** IdP + NameID → person, for IdP-initiated logout that arrives without the session cookie. */
  nameId: (institutionId: number, digest: string) => `auth-saml:nameid:${institutionId}:${digest}`,
};

/** A fresh SAML message ID: an NCName (starts with a letter or `_`), 168 random bits. */
export const newMessageId = () => `_${randomBytes(21).toString('hex')}`;

/**
 * node-saml's `SAML` configured for this SP talking to `idp`: signed AuthnRequests (HTTP-Redirect,
 * RSA-SHA256), signed assertions required, InResponseTo always checked against the shared cache,
 * audience = our entityID, clock skew from the settings.
 */
export function samlFor(ctx: RequestContext, sp: Sp, keys: SpKeys, idp: Idp, opts: { id?: string } = {}): SAML {
  const ttlMs = sp.settings.requestTtlMinutes * 60_000;
  return new SAML({
    callbackUrl: sp.acsUrl,
    issuer: sp.entityId,
    audience: sp.entityId,
    entryPoint: idp.ssoUrl,
    logoutUrl: idp.sloUrl ?? idp.ssoUrl,
    idpIssuer: idp.entityId,
    idpCert: idp.certificates.map((c) => certPem(c)),
    privateKey: keys.signing.privateKey,
    publicCert: keys.signing.certificate,
    decryptionPvk: keys.encryption.privateKey,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    wantAssertionsSigned: true,
    // most IdPs (Shibboleth included) sign the assertion, not the whole response
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: ttlMs,
    cacheProvider: new KvCacheProvider(ctx.resolve(coreServices.kv), kvKey.requestIds(ctx.institution.id), ttlMs),
    acceptedClockSkewMs: sp.settings.clockSkewSeconds * 1000,
    // let the IdP choose the NameID format and the authentication method (MFA included)
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    ...(opts.id ? { generateUniqueId: () => opts.id! } : {}),
  });
}
