import { createHash } from 'node:crypto';

/**
 * The Learning Agreement document: everything one version of an Erasmus+ Learning Agreement for
 * Studies holds, independent of storage. The PDF (`pdf.ts`) and the EWP XML (`ewp-xml.ts`) are both
 * rendered from it, and signatures bind to {@link laDocumentHash} of it.
 *
 * Conventions: dates are `YYYY-MM-DD` strings, instants are ISO 8601 strings with an offset
 * (`2025-06-03T10:15:00Z`), countries are ISO 3166-1 alpha-2 codes, languages BCP 47 codes.
 */

/** Parties that sign a Learning Agreement. */
export const LA_PARTIES = ['student', 'sending', 'receiving'] as const;
export type LaParty = (typeof LA_PARTIES)[number];

/** Erasmus+ reasons for deleting a component (EWP `reason-code`; `other` has no code, only a text). */
export const LA_DELETE_REASONS = ['not-available', 'language-mismatch', 'timetable-conflict', 'other'] as const;
export type LaDeleteReason = (typeof LA_DELETE_REASONS)[number];

/** Erasmus+ reasons for adding a component. */
export const LA_ADD_REASONS = ['substituting-deleted', 'extending-mobility', 'adding-virtual-component', 'other'] as const;
export type LaAddReason = (typeof LA_ADD_REASONS)[number];

/**
 * Kinds of mobility. `physical` and `blended` (long-term physical with a virtual part, Table C)
 * use Tables A/B/C; `blended-short-term` and `short-term-doctoral` have one list of components
 * (Table A) and no changes after the first version.
 */
export const LA_MOBILITY_TYPES = ['physical', 'blended', 'blended-short-term', 'short-term-doctoral'] as const;
export type LaMobilityType = (typeof LA_MOBILITY_TYPES)[number];

/** ISO/IEC 5218 sex codes, as EWP uses them (0 not known, 1 male, 2 female, 9 not applicable). */
export const LA_GENDERS = ['not-known', 'male', 'female', 'not-applicable'] as const;
export type LaGender = (typeof LA_GENDERS)[number];

/** CEFR levels; `NS` = native speaker. */
export type LaCefrLevel = 'A1' | 'A2' | 'B1' | 'B2' | 'C1' | 'C2' | 'NS';

/** A person of an institution (contact or responsible person). */
export interface LaPerson {
  givenNames: string;
  familyName: string;
  email: string;
  phone?: string;
  position?: string;
}

/** A sending or receiving institution. */
export interface LaInstitution {
  name: string;
  /** SCHAC code (EWP hei-id), e.g. `univ-demo.fr`. */
  schac: string;
  /** Erasmus code, e.g. `F  PARIS001`. */
  erasmusCode?: string;
  /** Faculty or department responsible for the student. */
  unit?: { name: string; id?: string };
  address?: string;
  country: string;
  /** Administrative contact (EWP contact-person). */
  contactPerson: LaPerson;
  /** Who signs for the institution (the "responsible person" of the template). */
  responsiblePerson: LaPerson;
}

/** The student. */
export interface LaStudent {
  givenNames: string;
  familyName: string;
  birthDate: string;
  nationality: string;
  gender: LaGender;
  /** European Student Identifier, `urn:schac:personalUniqueCode:int:esi:…`. */
  esi?: string;
  email: string;
}

/** A term as EWP counts them: term `number` of `total` in the academic year (1/2 = first semester). */
export interface LaTerm {
  number: number;
  total: number;
  /** Shown instead of the computed label when given (e.g. "Autumn"). */
  label?: string;
}

/** What all components share. */
interface LaComponentBase {
  code?: string;
  title: string;
  /** EWP Courses API identifiers, when the component comes from a catalogue that publishes them. */
  losId?: string;
  loiId?: string;
}

/** A chosen part of a Table A component (an EC of a UE), named with it. */
export interface LaComponentPart {
  code: string;
  title: string;
}

/** Table A: a component studied at the receiving institution. */
export interface LaStudiedComponent extends LaComponentBase {
  term: LaTerm;
  ects: number;
  learningOutcomesUrl?: string;
  /**
   * The parts the student chose whose credits `ects` already includes (the ECs of a UE counted as
   * the UE). Shown with the row in the PDF and the pages; not sent to EWP, whose component is the
   * unit itself (a studied component has no field for its parts).
   */
  includes?: LaComponentPart[];
}

/** Table B: a component recognised at the sending institution. */
export interface LaRecognisedComponent extends LaComponentBase {
  term: LaTerm;
  ects: number;
  automaticRecognition: boolean;
  /** Why recognition is not automatic (only when `automaticRecognition` is false). */
  recognitionConditions?: string;
}

/** Table C: a virtual component. */
export interface LaVirtualComponent extends LaComponentBase {
  description: string;
  term?: LaTerm;
  ects?: number;
}

/** A row of Table A2/B2/C2: a component deleted from or added to the first version, with the reason. */
export type LaChange<C> = C &
  ({ change: 'deleted'; reason: LaDeleteReason; reasonText?: string } | { change: 'added'; reason: LaAddReason; reasonText?: string });

/** Tables A/B/C ("before the mobility"). */
export interface LaTables {
  studied: LaStudiedComponent[];
  recognised: LaRecognisedComponent[];
  virtual: LaVirtualComponent[];
}

/** Tables A2/B2/C2 ("during the mobility"): every change since the first version, cumulative. */
export interface LaChangeTables {
  studied: LaChange<LaStudiedComponent>[];
  recognised: LaChange<LaRecognisedComponent>[];
  virtual: LaChange<LaVirtualComponent>[];
}

/** A signature, bound to the document hash the signer saw. */
export interface LaSignature {
  party: LaParty;
  name: string;
  position?: string;
  email: string;
  /** When the signature was given (ISO 8601 with offset). */
  timestamp: string;
  ip?: string;
  /** {@link laDocumentHash} of the version signed. */
  hashSigned: string;
  /** Signed on a printed copy, recorded by the office. */
  onPaper?: boolean;
}

/** An earlier signed state of the same Learning Agreement, kept so that EWP can expose it. */
export interface LaPreviousVersion {
  version: number;
  hash: string;
  changes: LaChangeTables | null;
  signatures: LaSignature[];
}

/** How the PDF looks: the institution issuing it. */
export interface LaBranding {
  institutionName: string;
  /** PNG or JPEG. */
  logo?: Buffer;
  /** `#rrggbb`. */
  colour?: string;
}

/** One version of a Learning Agreement. */
export interface LaDocument {
  /** EWP omobility-id (printable ASCII, ≤ 64 characters). */
  omobilityId: string;
  /** Academic year at the receiving institution, `2025/2026`. */
  academicYear: string;
  /** 1 for the first version, then one more for each change proposal. */
  version: number;
  student: LaStudent;
  /** EQF level of the study cycle at departure (5 short cycle, 6 bachelor, 7 master, 8 doctorate); `null`: not known yet. */
  eqfLevel: number | null;
  fieldOfEducation: { iscedCode: string; label: string; clarification?: string };
  /** `cefrLevel` is `null` until the student declares it (the LA cannot be signed before). */
  languageOfInstruction: { language: string; cefrLevel: LaCefrLevel | null };
  sending: LaInstitution;
  receiving: LaInstitution;
  mobility: { start: string; end: string; type: LaMobilityType };
  tables: LaTables;
  /** Link to the receiving institution's course catalogue (learning outcomes). */
  learningOutcomesUrl?: string;
  /** Recognition policy: provisions if components are not completed. */
  provisionsUrl?: string;
  /** Null for the first version. */
  changes: LaChangeTables | null;
  /** Signatures of this version. */
  signatures: LaSignature[];
  /** Earlier signed versions, oldest first. Not part of the hash. */
  previousVersions?: LaPreviousVersion[];
  /** Not part of the hash: a new logo does not change what was agreed. */
  branding: LaBranding;
}

/** Identifies the canonical form; part of the hashed text so that a future form never collides. */
export const LA_HASH_SCHEME = 'smile-la-v1';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function canonical(value: unknown, path: string): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.normalize('NFC');
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`laDocumentHash: ${path} is not a finite number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => canonical(v, `${path}[${i}]`) ?? null);
  if (Buffer.isBuffer(value) || value instanceof Date) throw new TypeError(`laDocumentHash: ${path} must be a string, not an object`);
  if (typeof value === 'object') {
    const out: { [k: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[key], `${path}.${key}`);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  throw new TypeError(`laDocumentHash: ${path} has an unsupported type`);
}

/**
 * The canonical serialisation signatures bind to: JSON of the document without `signatures`,
 * `previousVersions` and `branding`, keys sorted at every level, absent and null values dropped
 * (a null and a missing optional field mean the same), strings in Unicode NFC (a name typed with
 * combining accents is the same name), arrays in their order (component order is part of the
 * agreement), with the scheme name {@link LA_HASH_SCHEME} as key `scheme`.
 */
export function canonicalLaJson(doc: LaDocument): string {
  const { signatures: _s, previousVersions: _p, branding: _b, ...content } = doc;
  return JSON.stringify(canonical({ ...content, scheme: LA_HASH_SCHEME }, 'doc'));
}

/** SHA-256 (lowercase hex) of {@link canonicalLaJson}: what every signature of this version must carry. */
export function laDocumentHash(doc: LaDocument): string {
  return createHash('sha256').update(canonicalLaJson(doc), 'utf8').digest('hex');
}

/** Sum of ECTS credits of a list of components, rounded to tenths (credits may be halves). */
export function ectsTotal(components: readonly { ects?: number }[]): number {
  return Math.round(components.reduce((s, c) => s + (c.ects ?? 0), 0) * 10) / 10;
}

/** The signature of a party, if any. */
export function signatureOf(signatures: readonly LaSignature[], party: LaParty): LaSignature | undefined {
  return signatures.find((s) => s.party === party);
}

/** True when the three parties signed. */
export function isFullySigned(signatures: readonly LaSignature[]): boolean {
  return LA_PARTIES.every((p) => signatureOf(signatures, p));
}
