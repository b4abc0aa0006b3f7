/**
 * Duplicate detection for nominations: ESI first, then the normalised name (accents, case, spaces and
 * hyphens folded, first and last names in any order) with the birth date, then the email — an email
 * alone only makes a POSSIBLE duplicate, never a certain one.
 * @packageDocumentation
 */
import type { Knex } from 'knex';

/** What is compared. */
export interface PersonKey {
  firstName: string;
  lastName: string;
  birthDate?: string | null;
  email?: string | null;
  esi?: string | null;
  academicYear?: number | null;
}

export type DuplicateReason = 'esi' | 'name-birthdate' | 'email';

/** A file (or a row of the same batch) the candidate may be. */
export interface DuplicateMatch {
  /** The existing file, or `null` for an earlier row of the batch. */
  fileId: number | null;
  /** The earlier row's file line, for a match within the batch. */
  line: number | null;
  name: string;
  academicYear: number | null;
  reason: DuplicateReason;
  /** `certain`: the same person for the same academic year (ESI or name + birth date). */
  certainty: 'certain' | 'possible';
}

/** An ESI compared case-insensitively, spaces removed. */
export const normaliseEsi = (esi: string | null | undefined) => (esi ?? '').replace(/\s+/g, '').toLowerCase();

/** Names folded: accents, case, hyphens, apostrophes and spaces; the words sorted (any order). */
export function normaliseName(first: string, last: string): string {
  return `${first} ${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[-‐‑’'`.,_]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .sort()
    .join(' ');
}

const normaliseEmail = (e: string | null | undefined) => (e ?? '').trim().toLowerCase();

/**
 * How `b` matches `a`, if it does. Same ESI → certain; different ESIs on both sides mean different
 * people, so a name + birth date match is then only possible; an email alone is only possible. A match
 * with a file of another academic year is only possible (a person may come back).
 */
export function compare(a: PersonKey, b: PersonKey): { reason: DuplicateReason; certainty: 'certain' | 'possible' } | null {
  const sameYear = a.academicYear == null || b.academicYear == null || a.academicYear === b.academicYear;
  const esiA = normaliseEsi(a.esi);
  const esiB = normaliseEsi(b.esi);
  if (esiA && esiA === esiB) return { reason: 'esi', certainty: sameYear ? 'certain' : 'possible' };
  const differentEsi = !!esiA && !!esiB;
  if (a.birthDate && a.birthDate === b.birthDate && normaliseName(a.firstName, a.lastName) === normaliseName(b.firstName, b.lastName)) {
    return { reason: 'name-birthdate', certainty: sameYear && !differentEsi ? 'certain' : 'possible' };
  }
  const email = normaliseEmail(a.email);
  if (email && email === normaliseEmail(b.email)) return { reason: 'email', certainty: 'possible' };
  return null;
}

/** The institution's files as compared (read once per import). */
export interface KnownFile extends PersonKey {
  id: number;
}

const day = (v: unknown): string | null => {
  if (v == null) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
};

/** The institution's files, not abandoned ones. */
export async function knownFiles(db: Knex | Knex.Transaction, institutionId: number): Promise<KnownFile[]> {
  const rows = await db('mobility_files')
    .where({ institution_id: institutionId })
    .whereNot('status', 'abandoned')
    .select('id', 'first_name', 'last_name', 'birth_date', 'email', 'esi', 'academic_year');
  return rows.map((r: any) => ({ id: r.id, firstName: r.first_name, lastName: r.last_name, birthDate: day(r.birth_date), email: r.email, esi: r.esi, academicYear: r.academic_year }));
}

/**
 * The matches of `candidate` among `files` and the earlier rows of its batch, certain ones first.
 */
export function findDuplicates(candidate: PersonKey, files: KnownFile[], earlier: Array<PersonKey & { line: number }> = []): DuplicateMatch[] {
  const out: DuplicateMatch[] = [];
  for (const f of files) {
    const m = compare(candidate, f);
    if (m) out.push({ fileId: f.id, line: null, name: `${f.firstName} ${f.lastName}`, academicYear: f.academicYear ?? null, ...m });
  }
  for (const r of earlier) {
    const m = compare(candidate, r);
    if (m) out.push({ fileId: null, line: r.line, name: `${r.firstName} ${r.lastName}`, academicYear: r.academicYear ?? null, ...m });
  }
  return out.sort((a, b) => (a.certainty === b.certainty ? 0 : a.certainty === 'certain' ? -1 : 1));
}
