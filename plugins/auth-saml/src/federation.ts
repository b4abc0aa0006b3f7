/**
 * Federation metadata aggregates (RENATER, eduGAIN): verify the signature, then read the IdPs
 * from what the signature covers, never from the document as received.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { certBody, certPem } from './x509.js';
import { fold } from './util.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const MDUI = 'urn:oasis:names:tc:SAML:metadata:ui';
const SHIBMD = 'urn:mace:shibboleth:metadata:1.0';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const WEAK = /#(rsa-)?sha1$|#dsa-sha1$|xmldsig#sha1$/;

/** Why an aggregate was refused; the message is shown to administrators. */
export class MetadataError extends Error {
  override name = 'MetadataError';
}

/** An IdP as read from metadata. */
export interface IdpEntry {
  entityId: string;
  nameFr: string;
  nameEn: string;
  ssoUrl: string;
  sloUrl: string | null;
  /** Base64 bodies of the signing certificates. */
  certificates: string[];
  /** Folded names, entityID and scopes: what the discovery search matches. */
  search: string;
}

function parse(xml: string): Document {
  // metadata never needs a DTD; refusing one rules out entity-expansion tricks
  if (/<!DOCTYPE/i.test(xml.slice(0, 4096)) || /<!ENTITY/i.test(xml)) throw new MetadataError('the metadata contains a DTD');
  try {
    return new DOMParser({
      onError: (level: string, msg: string) => {
        if (level !== 'warning') throw new MetadataError(`the metadata is not well-formed XML: ${String(msg).slice(0, 200)}`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (e) {
    throw e instanceof MetadataError ? e : new MetadataError(`the metadata is not well-formed XML: ${(e as Error).message.slice(0, 200)}`);
  }
}

const children = (el: Element, ns: string, local: string): Element[] => {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local) out.push(n as Element);
  return out;
};

/**
 * Verify the aggregate's signature with the federation's certificate and return the signed XML
 * (canonical form of the root element, as the signature covers it).
 *
 * Refused: no signature, more than one signature on the root, a signature that does not cover
 * the root element (signature wrapping: a valid signature over some other element, with the
 * entities outside it), a duplicated ID, SHA-1, a bad signature, an expired `validUntil`.
 */
export function verifyAggregate(xml: string, certificate: string, now = new Date()): { signedXml: string; validUntil: Date | null } {
  const doc = parse(xml);
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== MD || (root.localName !== 'EntitiesDescriptor' && root.localName !== 'EntityDescriptor')) {
    throw new MetadataError('the document is not SAML metadata (no md:EntitiesDescriptor root)');
  }
  const signatures = children(root, DS, 'Signature');
  if (signatures.length === 0) throw new MetadataError('the metadata is not signed');
  if (signatures.length > 1) throw new MetadataError('the metadata root carries more than one signature');
  const sig = new SignedXml({ publicCert: certPem(certificate), getCertFromKeyInfo: () => null });
  sig.loadSignature(signatures[0]! as unknown as Node);
  const refs = sig.getReferences();
  if (refs.length !== 1) throw new MetadataError('the metadata signature must have exactly one reference');
  const id = root.getAttribute('ID');
  const uri = refs[0]!.uri ?? '';
  if (!(uri === '' || (id && uri === `#${id}`))) throw new MetadataError('the metadata signature does not cover the root element');
  if (id) {
    let same = 0;
    const all = doc.getElementsByTagName('*');
    for (let i = 0; i < all.length; i++) if (all.item(i)!.getAttribute('ID') === id) same++;
    if (same !== 1) throw new MetadataError('the root element ID appears more than once');
  }
  const info = children(signatures[0]!, DS, 'SignedInfo')[0];
  const algorithms = [info && children(info, DS, 'SignatureMethod')[0]?.getAttribute('Algorithm'), refs[0]!.digestAlgorithm];
  if (algorithms.some((a) => !a || WEAK.test(a))) throw new MetadataError('the metadata is signed with SHA-1, which is refused');
  let ok = false;
  try {
    ok = sig.checkSignature(xml);
  } catch (e) {
    throw new MetadataError(`the metadata signature is invalid: ${(e as Error).message.slice(0, 200)}`);
  }
  const signed = sig.getSignedReferences();
  if (!ok || signed.length !== 1) throw new MetadataError('the metadata signature is invalid (wrong certificate, or the content was changed)');
  const signedXml = signed[0]!;
  // the signed bytes must be the root element itself
  const signedRoot = parse(signedXml).documentElement;
  if (!signedRoot || signedRoot.localName !== root.localName || signedRoot.namespaceURI !== MD || signedRoot.getAttribute('ID') !== root.getAttribute('ID')) {
    throw new MetadataError('the metadata signature does not cover the root element');
  }
  const vu = signedRoot.getAttribute('validUntil');
  const validUntil = vu ? new Date(vu) : null;
  if (validUntil && !Number.isNaN(validUntil.getTime()) && validUntil < now) throw new MetadataError(`the metadata expired on ${validUntil.toISOString()}`);
  return { signedXml, validUntil: validUntil && !Number.isNaN(validUntil.getTime()) ? validUntil : null };
}

function langTexts(els: Element[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of els) {
    const lang = (e.getAttribute('xml:lang') ?? e.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang') ?? '').toLowerCase().slice(0, 2);
    const text = (e.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text && !m.has(lang)) m.set(lang, text.slice(0, 300));
  }
  return m;
}

const descendants = (el: Element | Document, ns: string, local: string): Element[] => {
  const list = el.getElementsByTagNameNS(ns, local);
  const out: Element[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.item(i)!);
  return out;
};

/** Read one IdP from its EntityDescriptor; `null` when it has no SAML 2 IdP role with an HTTP-Redirect SSO. */
export function readIdp(entity: Element): IdpEntry | null {
  const entityId = entity.getAttribute('entityID');
  if (!entityId || entityId.length > 500) return null;
  const idp = children(entity, MD, 'IDPSSODescriptor').find((d) => (d.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL));
  if (!idp) return null;
  const sso = children(idp, MD, 'SingleSignOnService').find((s) => s.getAttribute('Binding') === REDIRECT)?.getAttribute('Location');
  if (!sso || !/^https?:\/\//.test(sso) || sso.length > 1000) return null;
  const slo = children(idp, MD, 'SingleLogoutService').find((s) => s.getAttribute('Binding') === REDIRECT)?.getAttribute('Location') ?? null;
  const certificates = children(idp, MD, 'KeyDescriptor')
    .filter((k) => (k.getAttribute('use') || 'signing') === 'signing')
    .flatMap((k) => descendants(k, DS, 'X509Certificate').map((c) => certBody(c.textContent ?? '')))
    .filter((c) => c.length > 100);
  if (certificates.length === 0) return null;
  const ext = children(idp, MD, 'Extensions')[0];
  const ui = ext ? descendants(ext, MDUI, 'DisplayName') : [];
  let names = langTexts(ui);
  if (names.size === 0) {
    const org = children(entity, MD, 'Organization')[0];
    names = langTexts(org ? children(org, MD, 'OrganizationDisplayName') : []);
  }
  const any = names.values().next().value as string | undefined;
  const nameFr = names.get('fr') ?? names.get('en') ?? any ?? entityId;
  const nameEn = names.get('en') ?? names.get('fr') ?? any ?? entityId;
  const scopes = ext ? descendants(ext, SHIBMD, 'Scope').map((s) => (s.textContent ?? '').trim()).filter(Boolean) : [];
  const search = [...new Set([nameFr, nameEn, ...names.values(), entityId, ...scopes].map(fold))].join(' ').slice(0, 4000);
  return { entityId, nameFr, nameEn, ssoUrl: sso, sloUrl: slo && /^https?:\/\//.test(slo) ? slo : null, certificates: [...new Set(certificates)], search };
}

/** Every SAML 2 IdP of a (verified) metadata document, nested groups included. */
export function readIdps(signedXml: string): IdpEntry[] {
  const doc = parse(signedXml);
  const root = doc.documentElement!;
  const entities = root.localName === 'EntityDescriptor' ? [root] : descendants(doc, MD, 'EntityDescriptor');
  const seen = new Set<string>();
  const out: IdpEntry[] = [];
  for (const e of entities) {
    const idp = readIdp(e);
    if (idp && !seen.has(idp.entityId)) {
      seen.add(idp.entityId);
      out.push(idp);
    }
  }
  return out;
}
