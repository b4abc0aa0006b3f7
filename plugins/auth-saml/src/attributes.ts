/**
 * SAML attributes → SMILE's friendly names. IdPs in RENATER and eduGAIN send attributes named by
 * OID (`urn:oid:…`, the SAML2 URI name format), older ones by `urn:mace:dir:attribute-def:<name>`,
 * some by their bare LDAP name; most add a FriendlyName. We recognise all three.
 */
import { DOMParser } from '@xmldom/xmldom';

/** One attribute SMILE knows: its friendly name, OID and whether SMILE asks for it in its metadata. */
export interface KnownAttribute {
  friendly: string;
  oid: string;
  /** LDAP / FriendlyName spellings IdPs use for it besides `friendly`. */
  aliases?: string[];
  /** Requested in the SP metadata (AttributeConsumingService). */
  requested: boolean;
}

export const KNOWN_ATTRIBUTES: readonly KnownAttribute[] = [
  { friendly: 'eppn', oid: '1.3.6.1.4.1.5923.1.1.1.6', aliases: ['eduPersonPrincipalName'], requested: true },
  { friendly: 'mail', oid: '0.9.2342.19200300.100.1.3', aliases: ['email'], requested: true },
  { friendly: 'givenName', oid: '2.5.4.42', requested: true },
  { friendly: 'sn', oid: '2.5.4.4', aliases: ['surname'], requested: true },
  { friendly: 'displayName', oid: '2.16.840.1.113730.3.1.241', requested: true },
  { friendly: 'schacDateOfBirth', oid: '1.3.6.1.4.1.25178.1.2.3', requested: true },
  { friendly: 'schacHomeOrganization', oid: '1.3.6.1.4.1.25178.1.2.9', requested: true },
  // The European Student Identifier travels here (urn:schac:personalUniqueCode:int:esi:…); multi-valued.
  { friendly: 'schacPersonalUniqueCode', oid: '1.3.6.1.4.1.25178.1.2.14', requested: true },
  { friendly: 'supannEtuId', oid: '1.3.6.1.4.1.7135.1.2.1.10', requested: true },
  { friendly: 'eduPersonAffiliation', oid: '1.3.6.1.4.1.5923.1.1.1.1', requested: true },
  { friendly: 'eduPersonScopedAffiliation', oid: '1.3.6.1.4.1.5923.1.1.1.9', requested: false },
  { friendly: 'supannEntiteAffectation', oid: '1.3.6.1.4.1.7135.1.2.1.8', requested: true },
];

/** The built-in map: every spelling of a known attribute → its friendly name. */
export function defaultAttributeMap(): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of KNOWN_ATTRIBUTES) {
    for (const name of [a.friendly, ...(a.aliases ?? [])]) {
      m.set(name, a.friendly);
      m.set(`urn:mace:dir:attribute-def:${name}`, a.friendly);
    }
    m.set(`urn:oid:${a.oid}`, a.friendly);
  }
  return m;
}

/** The built-in map with an institution's additions or overrides (`Name` or `FriendlyName` → friendly name). */
export function attributeMap(extra: Record<string, string>): Map<string, string> {
  const m = defaultAttributeMap();
  for (const [name, friendly] of Object.entries(extra)) m.set(name, friendly);
  return m;
}

/** An attribute as the assertion carries it. */
export interface RawAttribute {
  name: string;
  friendlyName: string | null;
  values: string[];
}

const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';

/**
 * The attributes of an assertion. `assertionXml` must be the VERIFIED assertion (what the
 * signature covers, as node-saml returns it), never a part of the raw response.
 */
export function readAttributes(assertionXml: string): RawAttribute[] {
  const doc = new DOMParser().parseFromString(assertionXml, 'text/xml');
  const out: RawAttribute[] = [];
  const attributes = doc.getElementsByTagNameNS(SAML_NS, 'Attribute');
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes.item(i)!;
    // only attributes of the assertion's own AttributeStatement
    if (a.parentNode?.localName !== 'AttributeStatement') continue;
    const values: string[] = [];
    const vs = a.getElementsByTagNameNS(SAML_NS, 'AttributeValue');
    for (let j = 0; j < vs.length; j++) {
      const v = vs.item(j)!;
      if (v.parentNode !== a) continue;
      // eduPersonTargetedID-style values hold a NameID element: keep its text
      const text = (v.textContent ?? '').trim();
      if (text) values.push(text.slice(0, 2000));
    }
    out.push({ name: a.getAttribute('Name') ?? '', friendlyName: a.getAttribute('FriendlyName'), values });
  }
  return out;
}

/**
 * Map raw attributes to friendly names (arrays, values de-duplicated). Attributes the map does not
 * know are left out: SMILE keeps only what it asked for or was told to keep.
 */
export function mapAttributes(raw: RawAttribute[], map: Map<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const a of raw) {
    const friendly = map.get(a.name) ?? (a.friendlyName ? map.get(a.friendlyName) : undefined);
    if (!friendly || a.values.length === 0) continue;
    const list = (out[friendly] ??= []);
    for (const v of a.values) if (!list.includes(v)) list.push(v);
  }
  return out;
}

export const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';

/**
 * The subject SMILE links the person by: the eppn, else a persistent NameID (per the `subject`
 * setting). `null` when the assertion has neither; `missing` names what was expected.
 */
export function pickSubject(
  attributes: Record<string, string[]>,
  nameId: { value: string | null; format: string | null },
  mode: 'eppn-or-persistent' | 'eppn' | 'persistent',
): { subject: string | null; missing: string } {
  const eppn = attributes.eppn?.[0];
  const persistent = nameId.value && nameId.format === PERSISTENT ? nameId.value : null;
  if (mode === 'eppn') return { subject: eppn ?? null, missing: 'eppn' };
  if (mode === 'persistent') return { subject: persistent, missing: 'persistent NameID' };
  return { subject: eppn ?? persistent, missing: 'eppn' };
}

/** Which of `required` (friendly names) are absent. */
export function missingAttributes(attributes: Record<string, string[]>, required: string[]): string[] {
  return required.filter((r) => !attributes[r]?.length);
}
