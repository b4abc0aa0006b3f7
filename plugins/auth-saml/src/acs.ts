/**
 * The assertion consumer: turns a posted SAMLResponse into a SMILE identity, or a refusal with a
 * reason. node-saml verifies the signature (on the assertion; only the signed bytes are used),
 * InResponseTo, audience and validity times; this module adds what node-saml leaves to its
 * callers: which IdP the response must come from, Recipient/Destination, the consumed-assertion
 * replay cache, the attribute mapping and the required attributes.
 */
import { createHash } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { SamlStatusError, type Profile } from '@node-saml/node-saml';
import { coreServices } from '@smile/sdk';
import type { RequestContext, SignInIdentity } from '@smile/sdk';
import { attributeMap, mapAttributes, missingAttributes, pickSubject, readAttributes } from './attributes.js';
import type { IdpDirectory } from './idps.js';
import type { SpKeyStore } from './keys.js';
import { keysOf, kvKey, samlFor, type Sp } from './sp.js';
import { safeReturnPath } from './util.js';

/** A refused response: `reason` is a stable code (audit, tests), `attribute` names a missing one. */
export class Refusal {
  constructor(
    readonly reason: string,
    readonly status: 400 | 401 | 403,
    readonly detail: Record<string, unknown> = {},
    readonly attribute?: string,
    readonly subject?: string,
  ) {}
}

/** What a started sign-in remembers until the response comes back. */
export interface AuthnRecord {
  idp: string;
  returnTo: string;
}

export interface Accepted {
  identity: SignInIdentity;
  session: { nameId: string; nameIdFormat: string | null; nameQualifier: string | null; spNameQualifier: string | null; sessionIndex: string | null; idp: string };
  returnTo: string;
}

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const MAX_RESPONSE = 2_000_000;

/** Map node-saml's error messages to stable reasons. */
export function classify(e: unknown): Refusal {
  const message = (e as Error)?.message ?? String(e);
  const detail = { error: message.slice(0, 300) };
  if (e instanceof SamlStatusError) return new Refusal('idp-status', 401, detail);
  if (/not yet valid/i.test(message)) return new Refusal('not-yet-valid', 401, detail);
  if (/expired|No valid subject confirmation/i.test(message)) return new Refusal('expired', 401, detail);
  if (/audience/i.test(message)) return new Refusal('audience', 401, detail);
  if (/InResponseTo/i.test(message)) return new Refusal('in-response-to', 401, detail);
  if (/multiple assertions/i.test(message)) return new Refusal('signature-wrapping', 401, detail);
  if (/signature|signed|Cannot obtain assertion/i.test(message)) return new Refusal('signature', 401, detail);
  return new Refusal('invalid-response', 401, detail);
}

const first = (el: Element | null | undefined, ns: string, local: string): Element | null => {
  if (!el) return null;
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local) return n as Element;
  return null;
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Consume a posted response for the request's institution. Throws a {@link Refusal}. */
export async function consume(ctx: RequestContext, sp: Sp, store: SpKeyStore, directory: IdpDirectory, body: Record<string, unknown>): Promise<Accepted> {
  const kv = ctx.resolve(coreServices.kv);
  const encoded = typeof body.SAMLResponse === 'string' ? body.SAMLResponse : '';
  if (!encoded || encoded.length > MAX_RESPONSE) throw new Refusal('malformed', 400, { error: 'no SAMLResponse' });
  const xml = Buffer.from(encoded, 'base64').toString('utf8');

  // Unverified look at the envelope: only to find the sign-in we started (and to name a refusal).
  let root: Element | null = null;
  try {
    root = new DOMParser({ onError: (level: string) => { if (level !== 'warning') throw new Error('not XML'); } }).parseFromString(xml, 'text/xml').documentElement;
  } catch {
    root = null;
  }
  if (!root || root.namespaceURI !== SAMLP || root.localName !== 'Response') throw new Refusal('malformed', 400, { error: 'not a SAML Response' });
  const requestId = root.getAttribute('InResponseTo') ?? '';
  if (!requestId) throw new Refusal('unsolicited', 401, { error: 'no InResponseTo: responses not asked for (IdP-initiated) are refused' });
  if (requestId.length > 200) throw new Refusal('malformed', 400, { error: 'InResponseTo too long' });

  const recordJson = await kv.take(kvKey.authn(ctx.institution.id, requestId));
  if (!recordJson) {
    const used = await kv.get(kvKey.used(ctx.institution.id, requestId));
    throw used ? new Refusal('replay', 401, { error: 'this response was already used' }) : new Refusal('unsolicited', 401, { error: 'InResponseTo names no sign-in started here (or it expired)' });
  }
  const ttlMs = sp.settings.requestTtlMinutes * 60_000;
  await kv.set(kvKey.used(ctx.institution.id, requestId), '1', Math.max(ttlMs, 8 * 3600_000));
  const record = JSON.parse(recordJson) as AuthnRecord;
  const idp = await directory.find(ctx.db, sp.settings, record.idp);
  if (!idp) throw new Refusal('unknown-idp', 401, { idp: record.idp });

  // no signature anywhere: say so plainly (node-saml would refuse it too, less clearly)
  if (first(root, SAML, 'Assertion') && root.getElementsByTagNameNS(DS, 'Signature').length === 0) {
    throw new Refusal('unsigned', 401, { idp: idp.entityId, error: 'the assertion is not signed' });
  }
  const destination = root.getAttribute('Destination');
  if (destination && destination !== sp.acsUrl) throw new Refusal('recipient', 401, { idp: idp.entityId, error: 'Destination is not this SP' });

  const keys = await keysOf(ctx, store, sp);
  let profile: Profile | null;
  try {
    ({ profile } = await samlFor(ctx, sp, keys, idp).validatePostResponseAsync({ SAMLResponse: encoded }));
  } catch (e) {
    const r = classify(e);
    throw new Refusal(r.reason, r.status, { ...r.detail, idp: idp.entityId });
  }
  if (!profile) throw new Refusal('invalid-response', 401, { idp: idp.entityId, error: 'no assertion' });
  if (profile.issuer !== idp.entityId) throw new Refusal('issuer', 401, { idp: idp.entityId, error: 'the assertion comes from another IdP than the one asked' });

  // From here on, only the verified assertion is read.
  const assertionXml = profile.getAssertionXml!();
  const assertion = new DOMParser().parseFromString(assertionXml, 'text/xml').documentElement!;
  const confirmations = assertion.getElementsByTagNameNS(SAML, 'SubjectConfirmationData');
  const recipients: string[] = [];
  for (let i = 0; i < confirmations.length; i++) recipients.push(confirmations.item(i)!.getAttribute('Recipient') ?? '');
  if (!recipients.includes(sp.acsUrl)) throw new Refusal('recipient', 401, { idp: idp.entityId, error: 'the assertion is not addressed to this SP (Recipient)' });

  const assertionId = assertion.getAttribute('ID') ?? '';
  const conditions = first(assertion, SAML, 'Conditions');
  const notOnOrAfter = Date.parse(conditions?.getAttribute('NotOnOrAfter') ?? '');
  const keepMs = Math.min(Math.max((Number.isNaN(notOnOrAfter) ? 0 : notOnOrAfter - Date.now()) + sp.settings.clockSkewSeconds * 1000, 10 * 60_000), 24 * 3600_000);
  if (!assertionId || !(await kv.setIfAbsent(kvKey.assertion(ctx.institution.id, sha256(`${idp.entityId}\n${assertionId}`)), '1', keepMs))) {
    throw new Refusal('replay', 401, { idp: idp.entityId, error: 'this assertion was already used' });
  }

  const attributes = mapAttributes(readAttributes(assertionXml), attributeMap(sp.settings.attributeMap));
  const nameId = { value: profile.nameID ?? null, format: profile.nameIDFormat ?? null };
  const { subject, missing } = pickSubject(attributes, nameId, sp.settings.subject);
  if (!subject) throw new Refusal('missing-attribute', 403, { idp: idp.entityId, attribute: missing }, missing);
  const absent = missingAttributes(attributes, sp.settings.requiredAttributes);
  if (absent.length) throw new Refusal('missing-attribute', 403, { idp: idp.entityId, attribute: absent.join(', ') }, absent.join(', '), subject);

  const one = (k: string) => attributes[k]?.[0];
  const givenName = one('givenName');
  const familyName = one('sn');
  const displayName = one('displayName') ?? ([givenName, familyName].filter(Boolean).join(' ') || subject);
  return {
    identity: { provider: 'auth-saml', issuer: idp.entityId, subject, attributes, displayName, givenName, familyName, email: one('mail') },
    session: {
      nameId: profile.nameID, nameIdFormat: profile.nameIDFormat ?? null, nameQualifier: profile.nameQualifier ?? null,
      spNameQualifier: profile.spNameQualifier ?? null, sessionIndex: profile.sessionIndex ?? null, idp: idp.entityId,
    },
    returnTo: safeReturnPath(record.returnTo),
  };
}
