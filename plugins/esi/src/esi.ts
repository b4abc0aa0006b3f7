/**
 * The European Student Identifier as a value: parse, validate, normalise, and pick it among the
 * values of a multi-valued `schacPersonalUniqueCode` attribute. Pure functions, no I/O.
 *
 * Format (ESI specification v1.0, GÉANT wiki "European Student Identifier"):
 *   urn:schac:personalUniqueCode:int:esi:<country-code>:<code>   (nation- or region-wide code)
 *   urn:schac:personalUniqueCode:int:esi:<sHO>:<code>            (code of one institution)
 * `<code>` uses the characters RFC 2141 allows in a URN (sections 2.2 to 2.4); the whole value is at
 * most 255 characters. The draft the specification superseded put the country first and "ESI" as a
 * national namespace: urn:schac:personalUniqueCode:<cc>:ESI[:<sHO>]:<code>; such values are accepted
 * and rewritten to the v1.0 form.
 * @packageDocumentation
 */

/** Canonical spelling of the ESI prefix; matched case-insensitively. */
export const ESI_PREFIX = 'urn:schac:personalUniqueCode:int:esi:';
/** What the whole value may not exceed (ESI v1.0). */
export const ESI_MAX_LENGTH = 255;

const PUC_PREFIX = 'urn:schac:personaluniquecode:';
/** Inputs longer than this are refused before any other work (the limit with generous room for spaces). */
const MAX_INPUT = 4 * ESI_MAX_LENGTH;

/** Why a value is not an ESI (or an INE); `esi:errors.<code>` is its bilingual message. */
export type IssueCode =
  | 'empty'
  | 'notUrn'
  | 'notEsi'
  | 'national'
  | 'missingQualifier'
  | 'missingCode'
  | 'badQualifier'
  | 'badCharacter'
  | 'badEscape'
  | 'tooLong'
  | 'ineEmpty'
  | 'ineLength'
  | 'ineFormat'
  | 'ineKey'
  | 'ineProvisional';

/** A refusal with its reason: a message key (`esi:errors.<code>`) and the values it shows. */
export interface Issue {
  code: IssueCode;
  vars?: Record<string, string | number>;
}

/** The parts of a valid ESI, normalised. */
export interface ParsedEsi {
  /** The normalised ESI: canonical prefix, lower-case qualifier, code as given. */
  value: string;
  /** Country code (ISO 3166-1 alpha-2, or ISO 3166-2 subdivision) or the institution's schacHomeOrganization. */
  qualifier: string;
  qualifierKind: 'country' | 'sho';
  /** The student code, case preserved. */
  code: string;
  /** `draft` when the input used the form the v1.0 specification superseded. */
  form: 'v1' | 'draft';
  /** Matching key: two ESIs are the same when their keys are equal (SCHAC compares this attribute ignoring case). */
  key: string;
}

/** A result that either holds a value or says why not. */
export type Result<T> = ({ ok: true } & T) | { ok: false; issue: Issue };

const COUNTRY = /^[a-z]{2}(-[a-z0-9]{1,3})?$/;
// a DNS name of at least two labels (schacHomeOrganization, possibly with an org unit in front)
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** RFC 2141 2.2: letters, digits, "()+,-.:=@;$_!*'" and %-escapes. "/", "?", "#" are reserved (2.3). */
const URN_CHAR = /[A-Za-z0-9()+,\-.:=@;$_!*']/;

const fail = (code: IssueCode, vars?: Issue['vars']): { ok: false; issue: Issue } => ({ ok: false, issue: vars ? { code, vars } : { code } });

/** How a character is shown in a message: itself when visible, else its code point. */
function showChar(c: string): string {
  const cp = c.codePointAt(0)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) ? hex : `${c} (${hex})`;
}

function qualifierKind(q: string): 'country' | 'sho' | null {
  if (COUNTRY.test(q)) return 'country';
  if (DOMAIN.test(q)) return 'sho';
  return null;
}

/** Check the student code against RFC 2141 sections 2.2–2.4. */
function checkCode(code: string): Issue | null {
  for (let i = 0; i < code.length; ) {
    const c = String.fromCodePoint(code.codePointAt(i)!);
    if (c === '%') {
      const hex = code.slice(i + 1, i + 3);
      // %00 may never be used, encoded or not (RFC 2141 2.4)
      if (!/^[0-9A-Fa-f]{2}$/.test(hex) || hex === '00') return { code: 'badEscape', vars: { escape: code.slice(i, i + 3) } };
      i += 3;
      continue;
    }
    if (!URN_CHAR.test(c)) return { code: 'badCharacter', vars: { char: showChar(c) } };
    i += c.length;
  }
  return null;
}

function build(qualifier: string, code: string, form: ParsedEsi['form']): Result<{ esi: ParsedEsi }> {
  if (!qualifier) return fail('missingQualifier');
  if (!code) return fail('missingCode');
  const q = qualifier.toLowerCase();
  const kind = qualifierKind(q);
  if (!kind) return fail('badQualifier', { qualifier: qualifier.slice(0, 80) });
  const bad = checkCode(code);
  if (bad) return { ok: false, issue: bad };
  const value = `${ESI_PREFIX}${q}:${code}`;
  if (value.length > ESI_MAX_LENGTH) return fail('tooLong', { max: ESI_MAX_LENGTH, length: value.length });
  return { ok: true, esi: { value, qualifier: q, qualifierKind: kind, code, form, key: value.toLowerCase() } };
}

/**
 * Parse an ESI. Leading and trailing white space is dropped; the `urn:schac:personalUniqueCode:int:esi:`
 * prefix is matched in any case and rewritten canonically; the qualifier (country code or domain name,
 * both case-insensitive by nature) is lower-cased; the code keeps its case. A value in the superseded
 * draft form (`urn:schac:personalUniqueCode:<cc>:ESI[:<sHO>]:<code>`) is accepted with `form: 'draft'`.
 * @example parseEsi('URN:SCHAC:personalUniqueCode:INT:ESI:FR:123456789AB')
 *   // → { ok: true, esi: { value: 'urn:schac:personalUniqueCode:int:esi:fr:123456789AB', … } }
 */
export function parseEsi(input: unknown): Result<{ esi: ParsedEsi }> {
  if (typeof input !== 'string') return fail('empty');
  if (input.length > MAX_INPUT) return fail('tooLong', { max: ESI_MAX_LENGTH, length: input.length });
  const raw = input.trim();
  if (!raw) return fail('empty');
  if (!/^urn:/i.test(raw)) return fail('notUrn');
  if (!raw.toLowerCase().startsWith(PUC_PREFIX)) return fail('notEsi');
  const rest = raw.slice(PUC_PREFIX.length);
  const parts = rest.split(':');
  const scope = (parts[0] ?? '').toLowerCase();
  const ns = (parts[1] ?? '').toLowerCase();
  if (ns !== 'esi') return fail(/^[a-z]{2}$/.test(scope) ? 'national' : 'notEsi');
  if (scope === 'int') {
    // v1.0: int:esi:<qualifier>:<code>, where the code may itself contain colons
    return build(parts[2] ?? '', parts.slice(3).join(':'), 'v1');
  }
  if (!/^[a-z]{2}$/.test(scope)) return fail('notEsi');
  // Draft: <cc>:ESI:<sHO>:<code> when the segment after ESI is a domain name and a code follows,
  // otherwise <cc>:ESI:<code> (nation-wide code, the country becomes the qualifier).
  const next = (parts[2] ?? '').toLowerCase();
  if (parts.length > 3 && DOMAIN.test(next)) return build(next, parts.slice(3).join(':'), 'draft');
  return build(scope, parts.slice(2).join(':'), 'draft');
}

/** The normalised ESI, or `null` when `input` is not one. */
export function normaliseEsi(input: unknown): string | null {
  const r = parseEsi(input);
  return r.ok ? r.esi.value : null;
}

/** Does this value claim to be an ESI (whatever its validity)? National codes and other URNs do not. */
function looksLikeEsi(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (!v.startsWith(PUC_PREFIX)) return false;
  return v.split(':')[4] === 'esi';
}

/** What {@link chooseEsi} found among the values of `schacPersonalUniqueCode`. */
export interface EsiChoice {
  /** The chosen ESI, or null when there is none. */
  esi: ParsedEsi | null;
  /** Other valid, different ESIs that were not chosen. */
  others: ParsedEsi[];
  /** Values that claimed to be ESIs but are malformed, with the reason (by position, values left out). */
  rejected: Array<{ index: number; issue: Issue }>;
  /** How many values were not ESIs at all (national codes, other identifiers): ignored. */
  ignored: number;
}

/**
 * Pick the ESI among the values of a (multi-valued) `schacPersonalUniqueCode` attribute. Values that
 * are not ESIs (national codes such as `urn:schac:personalUniqueCode:fr:…`) are ignored; malformed
 * ESIs are reported with their reason. When several different ESIs remain, a nation-wide one is
 * preferred (it follows the student from one institution to the next), then a v1.0 value over a
 * draft one, then the first given.
 */
export function chooseEsi(values: readonly unknown[] | undefined | null): EsiChoice {
  const valid: ParsedEsi[] = [];
  const rejected: EsiChoice['rejected'] = [];
  let ignored = 0;
  (values ?? []).forEach((v, index) => {
    if (typeof v !== 'string' || !looksLikeEsi(v)) {
      ignored++;
      return;
    }
    const r = parseEsi(v);
    if (r.ok) {
      if (!valid.some((e) => e.key === r.esi.key)) valid.push(r.esi);
    } else rejected.push({ index, issue: r.issue });
  });
  const rank = (e: ParsedEsi) => (e.qualifierKind === 'country' ? 0 : 2) + (e.form === 'v1' ? 0 : 1);
  const sorted = valid.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i).map((x) => x.e);
  return { esi: sorted[0] ?? null, others: sorted.slice(1), rejected, ignored };
}
