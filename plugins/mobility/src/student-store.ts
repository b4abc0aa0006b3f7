/**
 * The student's profile: the form's values, which required fields are still missing, validation,
 * and the write (one transaction: row lock, version check, update, version + 1, audit).
 * @packageDocumentation
 */
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { AuditActor, AuditLog } from '@smile/sdk';
import type { Knex } from 'knex';
import { DEFAULT_REQUIRED_FIELDS, isProfileField, type ProfileField } from './profile-fields.js';
import { COUNTRY_CODES } from './student-common.js';
import type { MobilityFile } from './types.js';

/** The inputs of the profile form, by name. */
export const PROFILE_INPUTS = [
  'birthDate', 'nationality', 'gender', 'email', 'street', 'number', 'postalCode', 'city', 'country',
  'plannedStart', 'plannedEnd', 'eqfLevel', 'isced', 'specialNeeds', 'language',
] as const;
export type ProfileInput = (typeof PROFILE_INPUTS)[number];
/** What the form shows and sends: text per input. */
export type ProfileValues = Record<ProfileInput, string>;
/** Errors per input: a key under `mobility:student.profile.errors.`. */
export type ProfileErrors = Partial<Record<ProfileInput, string>>;

/** The inputs that make up each profile field; the first one is where a "required" error goes. */
export const FIELD_INPUTS: Record<ProfileField, readonly ProfileInput[]> = {
  birthDate: ['birthDate'],
  nationality: ['nationality'],
  gender: ['gender'],
  email: ['email'],
  // the number and postal code are optional: not every address has them
  homeAddress: ['street', 'city', 'country'],
  plannedDates: ['plannedStart', 'plannedEnd'],
  eqfLevel: ['eqfLevel'],
  isced: ['isced'],
  specialNeeds: ['specialNeeds'],
};

export const GENDERS = ['female', 'male', 'other', 'undisclosed'] as const;
export const EQF_LEVELS = ['1', '2', '3', '4', '5', '6', '7', '8'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LIMITS: Partial<Record<ProfileInput, number>> = { email: 320, street: 200, number: 20, postalCode: 20, city: 120, isced: 10, specialNeeds: 2000 };

const day = (v: unknown): string => {
  if (v == null || v === '') return '';
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
};
const text = (v: unknown): string => (v == null ? '' : String(v));

/** The form's values from a file (special needs included: the caller loaded them for their owner). */
export function valuesOfFile(f: MobilityFile): ProfileValues {
  const a = f.homeAddress ?? {};
  return {
    birthDate: text(f.birthDate), nationality: text(f.nationality), gender: text(f.gender), email: text(f.email),
    street: text(a.street), number: text(a.number), postalCode: text(a.postalCode), city: text(a.city), country: text(a.country),
    plannedStart: text(f.plannedStart), plannedEnd: text(f.plannedEnd), eqfLevel: f.eqfLevel == null ? '' : String(f.eqfLevel),
    isced: text(f.isced), specialNeeds: text(f.specialNeeds), language: text(f.language),
  };
}

/** The form's values from a `mobility_files` row (hook taps read the row in their transaction). */
export function valuesOfRow(r: Record<string, any>): ProfileValues {
  const a = (typeof r.home_address === 'string' ? JSON.parse(r.home_address) : r.home_address) ?? {};
  return {
    birthDate: day(r.birth_date), nationality: text(r.nationality), gender: text(r.gender), email: text(r.email),
    street: text(a.street), number: text(a.number), postalCode: text(a.postalCode), city: text(a.city), country: text(a.country),
    plannedStart: day(r.planned_start), plannedEnd: day(r.planned_end), eqfLevel: r.eqf_level == null ? '' : String(r.eqf_level),
    isced: text(r.isced), specialNeeds: text(r.special_needs), language: text(r.language),
  };
}

/** The profile fields the file's exchange type requires (the default list when the type is unknown). */
export async function requiredFields(db: Knex | Knex.Transaction, institutionId: number, exchangeType: string): Promise<ProfileField[]> {
  const row = await db('mobility_exchange_types').where({ institution_id: institutionId, code: exchangeType }).first('required_fields');
  const list: unknown[] = row?.required_fields ?? DEFAULT_REQUIRED_FIELDS;
  return list.filter(isProfileField);
}

/** The required fields not filled in yet, in the order of `required`. */
export const missingFields = (v: ProfileValues, required: readonly ProfileField[]): ProfileField[] =>
  required.filter((f) => FIELD_INPUTS[f].some((i) => !v[i].trim()));

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `dd/mm/yyyy` (as typed where the browser has no date picker) to ISO; anything else unchanged. */
export const isoDate = (s: string): string => {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : s;
};

/**
 * Check the formats of what was sent. Returns error keys per input (under
 * `mobility:student.profile.errors.`); an empty object when all is well. Empty required fields
 * are not errors here: a profile may be saved in several goes, and sending the step is what
 * needs them (the `beforeTransition` condition).
 */
export function validateProfile(v: ProfileValues, today = new Date()): ProfileErrors {
  const e: ProfileErrors = {};
  for (const [k, max] of Object.entries(LIMITS) as Array<[ProfileInput, number]>) if (v[k].length > max) e[k] = 'tooLong';
  for (const k of ['birthDate', 'plannedStart', 'plannedEnd'] as const) if (v[k] && !e[k] && !validDate(v[k])) e[k] = 'date';
  if (v.birthDate && !e.birthDate && (v.birthDate >= today.toISOString().slice(0, 10) || v.birthDate < '1900-01-01')) e.birthDate = 'birthDateRange';
  if (v.plannedStart && v.plannedEnd && !e.plannedStart && !e.plannedEnd && v.plannedEnd < v.plannedStart) e.plannedEnd = 'endBeforeStart';
  if (v.nationality && !COUNTRY_CODES.includes(v.nationality)) e.nationality = 'choose';
  if (v.country && !COUNTRY_CODES.includes(v.country)) e.country = 'choose';
  if (v.gender && !(GENDERS as readonly string[]).includes(v.gender)) e.gender = 'choose';
  if (v.eqfLevel && !(EQF_LEVELS as readonly string[]).includes(v.eqfLevel)) e.eqfLevel = 'choose';
  if (v.email && !e.email && !EMAIL.test(v.email)) e.email = 'email';
  if (v.isced && !e.isced && !/^\d{2,4}$/.test(v.isced)) e.isced = 'isced';
  if (v.language !== 'fr' && v.language !== 'en') e.language = 'choose';
  return e;
}

/** Why a profile write was refused: the file moved on (`version`) or is closed (`closed`). */
export class ProfileConflict extends SmileError {
  constructor(readonly reason: 'version' | 'closed') {
    super(ErrorCodes.CONFLICT, reason === 'closed' ? 'this file is closed: its profile can no longer change' : 'this file changed meanwhile', { status: 409 });
  }
}

const COLUMNS: Record<Exclude<ProfileInput, 'street' | 'number' | 'postalCode' | 'city' | 'country'>, string> = {
  birthDate: 'birth_date', nationality: 'nationality', gender: 'gender', email: 'email', plannedStart: 'planned_start',
  plannedEnd: 'planned_end', eqfLevel: 'eqf_level', isced: 'isced', specialNeeds: 'special_needs', language: 'language',
};
const ADDRESS = ['street', 'number', 'postalCode', 'city', 'country'] as const;

/**
 * Save the profile of the person's own file, validated beforehand. In one transaction: the row is
 * locked, it must still be the person's, open and at `expectedVersion` (else {@link ProfileConflict});
 * the fields are written, the version moves on, and the audit log records which fields changed (not
 * their values: special needs are health data). Returns the new version.
 */
export async function saveProfile(
  deps: { knex: Knex; audit: AuditLog },
  actor: AuditActor & { institutionId: number; personId: number },
  fileId: number,
  v: ProfileValues,
  expectedVersion: number,
): Promise<number> {
  return deps.knex.transaction(async (trx) => {
    const row = await trx('mobility_files').where({ institution_id: actor.institutionId, id: fileId, person_id: actor.personId }).forUpdate().first();
    if (!row) throw new SmileError(ErrorCodes.NOT_FOUND, `no mobility file ${fileId}`, { status: 404 });
    if (row.status !== 'nominated' && row.status !== 'in_progress') throw new ProfileConflict('closed');
    if (row.version !== expectedVersion) throw new ProfileConflict('version');
    const before = valuesOfRow(row);
    const changed = PROFILE_INPUTS.filter((k) => before[k] !== v[k]);
    const patch: Record<string, unknown> = {};
    for (const [k, col] of Object.entries(COLUMNS) as Array<[keyof typeof COLUMNS, string]>) {
      patch[col] = k === 'eqfLevel' ? (v.eqfLevel ? Number(v.eqfLevel) : null) : v[k].trim() || null;
    }
    const address = { ...((typeof row.home_address === 'string' ? JSON.parse(row.home_address) : row.home_address) ?? {}) };
    for (const k of ADDRESS) {
      if (v[k].trim()) address[k] = v[k].trim();
      else delete address[k];
    }
    patch.home_address = JSON.stringify(address);
    const version = row.version + 1;
    await trx('mobility_files').where({ id: fileId }).update({ ...patch, version, updated_at: new Date() });
    await deps.audit.record(actor, { action: 'mobility.file.profile-update', targetType: 'mobility_file', targetId: fileId, detail: { fields: changed } }, { trx });
    return version;
  });
}
