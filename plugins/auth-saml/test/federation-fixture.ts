/**
 * A federation for the tests: an aggregate (md:EntitiesDescriptor) of many generated IdPs, signed
 * like RENATER's and eduGAIN's (enveloped RSA-SHA256 signature on the root, exclusive C14N).
 */
import { SignedXml } from 'xml-crypto';
import { certBody } from '../src/x509.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Institutions with accents and several languages, found by the discovery tests. */
export const NAMED = [
  { slug: 'unibo', fr: 'Università di Bologna', en: 'University of Bologna', scope: 'unibo.it' },
  { slug: 'lyon2', fr: 'Université Lumière Lyon 2', en: 'Lumière University Lyon 2', scope: 'univ-lyon2.fr' },
  { slug: 'uco', fr: 'Universidad de Córdoba', en: 'University of Córdoba', scope: 'uco.es' },
  { slug: 'tum', fr: 'Université technique de Munich', en: 'Technische Universität München', scope: 'tum.de' },
];

/** One IdP's EntityDescriptor. */
export function idpEntity(e: { entityId: string; fr: string; en: string; scope?: string; sso: string; slo?: string; cert: string }): string {
  return `<md:EntityDescriptor entityID="${esc(e.entityId)}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:Extensions>${e.scope ? `<shibmd:Scope regexp="false">${esc(e.scope)}</shibmd:Scope>` : ''}
      <mdui:UIInfo><mdui:DisplayName xml:lang="fr">${esc(e.fr)}</mdui:DisplayName><mdui:DisplayName xml:lang="en">${esc(e.en)}</mdui:DisplayName></mdui:UIInfo>
    </md:Extensions>
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(e.cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    ${e.slo ? `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(e.slo)}"/>` : ''}
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(e.sso)}/post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(e.sso)}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

/** An unsigned aggregate of `count` IdPs (the named ones unless `named: false`, then generated ones) and `extra` entities. */
export function aggregate(count: number, cert: string, extra: string[] = [], opts: { id?: string; validUntil?: Date; named?: boolean } = {}): string {
  const entities: string[] = [];
  for (const n of opts.named === false ? [] : NAMED) entities.push(idpEntity({ entityId: `https://idp.${n.scope}/idp/shibboleth`, fr: n.fr, en: n.en, scope: n.scope, sso: `https://idp.${n.scope}/idp/profile/SAML2/Redirect/SSO`, cert }));
  for (let i = 1; i <= count - NAMED.length; i++) {
    const k = String(i).padStart(4, '0');
    entities.push(idpEntity({ entityId: `https://idp${k}.example.org/idp`, fr: `Établissement de test ${k}`, en: `Test institution ${k}`, scope: `inst${k}.example.org`, sso: `https://idp${k}.example.org/sso`, cert }));
  }
  const validUntil = (opts.validUntil ?? new Date(Date.now() + 10 * 24 * 3600_000)).toISOString();
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" xmlns:shibmd="urn:mace:shibboleth:metadata:1.0" ID="${opts.id ?? '_federation'}" Name="https://federation.test/metadata" validUntil="${validUntil}">
${[...entities, ...extra].join('\n')}
</md:EntitiesDescriptor>
`;
}

/** Sign `xml`'s element `ID="<id>"` (the root by default), the signature first in the root. */
export function sign(xml: string, key: { privateKey: string; certificate: string }, id = '_federation', hash: 'sha256' | 'sha1' = 'sha256'): string {
  const sig = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.certificate,
    signatureAlgorithm: hash === 'sha1' ? 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: `//*[@ID='${id}']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: hash === 'sha1' ? 'http://www.w3.org/2000/09/xmldsig#sha1' : 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[@ID='${id}']/*[1]`, action: 'before' } });
  return sig.getSignedXml();
}

/** An IdP's samlify metadata as an EntityDescriptor to put in an aggregate. */
export function entityOf(metadata: string): string {
  return metadata.replace(/^<\?xml[^>]*>\s*/, '');
}
