/**
 * The French national student identifier (INE, "identifiant national élève/étudiant"): eleven
 * characters in one of five formats, and the ESI built from it. Pure functions, no I/O.
 *
 * | format | pattern | check key |
 * |---|---|---|
 * | INE-RNIE (national register, since 2018) | 9 digits + 2 letters of A–H, J, K | none published: format only |
 * | INE-BEA (Base élèves académique) | 10 digits + 1 letter | the 10-digit number modulo 23, as a letter of A–Z without I, O, Q |
 * | INE-Base 36 (universities) | 10 characters 0–9/A–Z + 1 digit | last digit of 6 × (sum of the values of characters 1–9) + value of character 10 (A = 10 … Z = 35) |
 * | INE-SIFA (apprentices) | 4 digits + "A" + 5 digits + 1 letter | letter of the 23-letter alphabet; algorithm not published: format only |
 * | INE provisoire | 4 digits + "D" + 5 digits + 1 letter | as SIFA: format only |
 * @packageDocumentation
 */
import type { Issue, Result } from './esi.js';
import { ESI_PREFIX } from './esi.js';

/** The INE formats. */
export type IneFormat = 'rnie' | 'bea' | 'base36' | 'sifa' | 'provisional';

/** A valid INE. */
export interface ParsedIne {
  /** Upper-case, without spaces. */
  ine: string;
  format: IneFormat;
  /** `true` when the format has a check key and it was verified. */
  keyChecked: boolean;
}

/** The 23 letters of BEA keys: A–Z without I, O and Q. */
export const ALPHABET_23 = 'ABCDEFGHJKLMNPRSTUVWXYZ';

const PATTERNS: Array<[IneFormat, RegExp]> = [
  ['rnie', /^[0-9]{9}[A-HJK]{2}$/],
  ['bea', /^[0-9]{10}[A-HJ-NPR-Z]$/],
  ['base36', /^[0-9A-Z]{10}[0-9]$/],
  ['sifa', /^[0-9]{4}A[0-9]{5}[A-HJ-NPR-Z]$/],
  ['provisional', /^[0-9]{4}D[0-9]{5}[A-HJ-NPR-Z]$/],
];

/** Key letter of an INE-BEA: its 10-digit number modulo 23. */
export function beaKey(digits10: string): string {
  // 10 digits stay below 2^53: plain numbers are exact here
  return ALPHABET_23[Number(digits10) % 23]!;
}

/** Key digit of an INE-Base 36 from its first 10 characters. */
export function base36Key(chars10: string): string {
  const v = (c: string) => parseInt(c, 36);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += 6 * v(chars10[i]!);
  sum += v(chars10[9]!);
  return String(sum % 10);
}

const fail = (code: Issue['code'], vars?: Issue['vars']): { ok: false; issue: Issue } => ({ ok: false, issue: vars ? { code, vars } : { code } });

/**
 * Validate an INE: spaces are removed and letters upper-cased, then the value must match one of the
 * five formats, and its check key must be right when the format has one.
 */
export function validateIne(input: unknown): Result<{ ine: ParsedIne }> {
  if (typeof input !== 'string' || !input.trim()) return fail('ineEmpty');
  if (input.length > 64) return fail('ineLength', { length: input.length });
  const ine = input.replace(/\s+/g, '').toUpperCase();
  if (ine.length !== 11) return fail('ineLength', { length: ine.length });
  const format = PATTERNS.find(([, re]) => re.test(ine))?.[0];
  if (!format) return fail('ineFormat');
  if (format === 'bea') {
    const expected = beaKey(ine.slice(0, 10));
    if (ine[10] !== expected) return fail('ineKey', { expected, found: ine[10]! });
    return { ok: true, ine: { ine, format, keyChecked: true } };
  }
  if (format === 'base36') {
    const expected = base36Key(ine.slice(0, 10));
    if (ine[10] !== expected) return fail('ineKey', { expected, found: ine[10]! });
    return { ok: true, ine: { ine, format, keyChecked: true } };
  }
  return { ok: true, ine: { ine, format, keyChecked: false } };
}

/**
 * The ESI of a student of a French institution: `urn:schac:personalUniqueCode:int:esi:fr:<INE>`.
 * A provisional INE is refused unless `allowProvisional`: it is replaced by a definitive one later,
 * and an ESI must stay the same while the student is on mobility.
 */
export function esiFromIne(input: unknown, opts: { allowProvisional?: boolean } = {}): Result<{ esi: string; ine: ParsedIne }> {
  const r = validateIne(input);
  if (!r.ok) return r;
  if (r.ine.format === 'provisional' && !opts.allowProvisional) return fail('ineProvisional');
  return { ok: true, esi: `${ESI_PREFIX}fr:${r.ine.ine}`, ine: r.ine };
}
