/**
 * The SP metadata document. node-saml can generate a minimal one, but federations ask for more:
 * mdui display names, an AttributeConsumingService listing the attributes, entity categories
 * (ESI), contacts, an HTTP-Redirect SingleLogoutService. So it is written here, element order
 * following the SAML metadata schema (saml-schema-metadata-2.0.xsd).
 */
import { KNOWN_ATTRIBUTES } from './attributes.js';
import { xmlEscape as x } from './util.js';
import { certBody } from './x509.js';

export const ESI_CATEGORY = 'https://myacademicid.org/entity-categories/esi';
const ENTITY_CATEGORY = 'http://macedir.org/entity-category';
const URI_FORMAT = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

export interface SpMetadataInput {
  entityId: string;
  acsUrl: string;
  sloUrl: string;
  baseUrl: string;
  signingCertificate: string;
  encryptionCertificate: string;
  displayName: { fr: string; en: string };
  contacts: { technical?: string; support?: string; security?: string };
  esi: boolean;
  /** Friendly names that sign-in requires (marked isRequired), the subject's (eppn) included. */
  required: string[];
}

const keyDescriptor = (use: 'signing' | 'encryption', cert: string) =>
  `    <md:KeyDescriptor use="${use}">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>${
        use === 'encryption'
          ? `
      <md:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"/>
      <md:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes128-gcm"/>
      <md:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/>
      <md:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>`
          : ''
      }
    </md:KeyDescriptor>`;

function contact(type: 'technical' | 'support' | 'other', email: string, security = false): string {
  // REFEDS security contact: contactType="other" with remd:contactType (https://refeds.org/metadata/contactType/security)
  const attr = security ? ` xmlns:remd="http://refeds.org/metadata" remd:contactType="http://refeds.org/metadata/contactType/security"` : '';
  return `  <md:ContactPerson contactType="${type}"${attr}>
    <md:EmailAddress>mailto:${x(email)}</md:EmailAddress>
  </md:ContactPerson>`;
}

/** The SP's metadata (`application/samlmetadata+xml`). */
export function buildSpMetadata(m: SpMetadataInput): string {
  const requested = KNOWN_ATTRIBUTES.filter((a) => a.requested || m.required.includes(a.friendly));
  const extensions = m.esi
    ? `  <md:Extensions>
    <mdattr:EntityAttributes>
      <saml:Attribute Name="${ENTITY_CATEGORY}" NameFormat="${URI_FORMAT}">
        <saml:AttributeValue>${ESI_CATEGORY}</saml:AttributeValue>
      </saml:Attribute>
    </mdattr:EntityAttributes>
  </md:Extensions>
`
    : '';
  const contacts = [
    m.contacts.technical ? contact('technical', m.contacts.technical) : '',
    m.contacts.support ? contact('support', m.contacts.support) : '',
    m.contacts.security ? contact('other', m.contacts.security, true) : '',
  ].filter(Boolean);
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:mdattr="urn:oasis:names:tc:SAML:metadata:attribute" xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" entityID="${x(m.entityId)}">
${extensions}  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
    <md:Extensions>
      <mdui:UIInfo>
        <mdui:DisplayName xml:lang="fr">${x(m.displayName.fr)}</mdui:DisplayName>
        <mdui:DisplayName xml:lang="en">${x(m.displayName.en)}</mdui:DisplayName>
      </mdui:UIInfo>
    </md:Extensions>
${keyDescriptor('signing', m.signingCertificate)}
${keyDescriptor('encryption', m.encryptionCertificate)}
    <md:SingleLogoutService Binding="${REDIRECT}" Location="${x(m.sloUrl)}"/>
    <md:SingleLogoutService Binding="${POST}" Location="${x(m.sloUrl)}"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:AssertionConsumerService Binding="${POST}" Location="${x(m.acsUrl)}" index="1" isDefault="true"/>
    <md:AttributeConsumingService index="1" isDefault="true">
      <md:ServiceName xml:lang="fr">${x(m.displayName.fr)}</md:ServiceName>
      <md:ServiceName xml:lang="en">${x(m.displayName.en)}</md:ServiceName>
${requested
  .map(
    (a) =>
      `      <md:RequestedAttribute FriendlyName="${a.friendly === 'eppn' ? 'eduPersonPrincipalName' : a.friendly}" Name="urn:oid:${a.oid}" NameFormat="${URI_FORMAT}" isRequired="${m.required.includes(a.friendly) ? 'true' : 'false'}"/>`,
  )
  .join('\n')}
    </md:AttributeConsumingService>
  </md:SPSSODescriptor>
  <md:Organization>
    <md:OrganizationName xml:lang="fr">${x(m.displayName.fr)}</md:OrganizationName>
    <md:OrganizationName xml:lang="en">${x(m.displayName.en)}</md:OrganizationName>
    <md:OrganizationDisplayName xml:lang="fr">${x(m.displayName.fr)}</md:OrganizationDisplayName>
    <md:OrganizationDisplayName xml:lang="en">${x(m.displayName.en)}</md:OrganizationDisplayName>
    <md:OrganizationURL xml:lang="fr">${x(m.baseUrl)}</md:OrganizationURL>
    <md:OrganizationURL xml:lang="en">${x(m.baseUrl)}</md:OrganizationURL>
  </md:Organization>
${contacts.join('\n')}${contacts.length ? '\n' : ''}</md:EntityDescriptor>
`;
}
