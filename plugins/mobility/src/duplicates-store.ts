/**
 * Suspected duplicates among an institution's files, found with the import's rules (ESI, then
 * normalised name + birth date, then e-mail — an e-mail alone is only "possible"), and the
 * manager's decisions on them: keep both, or merge one file into the other.
 * @packageDocumentation
 */
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { AuditLog } from '@smile/sdk';
import type { Knex } from 'knex';
import { compare, normaliseEsi, normaliseName, type DuplicateReason } from './intake-duplicates.js';
import { inScope, type Scope } from './manager-common.js';
import { dups } from './duplicates-strings.js';
import type { MobilityStore } from './store.js';
import type { MobilityActor } from './types.js';

type Db = Knex | Knex.Transaction;
type Lang = 'fr' | 'en';

/** One side of a suspected pair, as the page shows it. */
export interface PairFile {
  id: number;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  email: string | null;
  esi: string | null;
  homeName: string | null;
  homeCountry: string | null;
  exchangeType: string;
  academicYear: number;
  status: string;
  currentStep: string | null;
  step: { fr: string; en: string } | null;
  componentCode: string | null;
  personId: number | null;
  version: number;
  createdAt: Date;
}

/** Two files that may be the same person; `a.id < b.id`. */
export interface SuspectedPair {
  a: PairFile;
  b: PairFile;
  reason: DuplicateReason;
  certainty: 'certain' | 'possible';
}

const day = (v: unknown): string | null => {
  if (v == null) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
};

const toPairFile = (r: any): PairFile => ({
  id: r.id, firstName: r.first_name, lastName: r.last_name, birthDate: day(r.birth_date), email: r.email ?? null, esi: r.esi ?? null,
  homeName: r.home_name ?? null, homeCountry: r.home_country ?? null, exchangeType: r.exchange_type, academicYear: r.academic_year,
  status: r.status, currentStep: r.current_step ?? null, step: r.step_fr ? { fr: r.step_fr, en: r.step_en } : null,
  componentCode: r.component_code ?? null, personId: r.person_id ?? null, version: r.version, createdAt: new Date(r.created_at),
});

const key = (a: PairFile) => ({ firstName: a.firstName, lastName: a.lastName, birthDate: a.birthDate, email: a.email, esi: a.esi, academicYear: a.academicYear });

/**
 * The undecided suspected pairs of files in `scope` (both files in it), abandoned files left out,
 * certain ones first, then by the first file's id. Files are grouped by ESI, name + birth date and
 * e-mail first, so only files sharing one of those are compared (not every file with every other).
 */
export async function suspectedPairs(db: Db, institutionId: number, scope: Scope): Promise<SuspectedPair[]> {
  const rows = await db('mobility_files as f')
    .leftJoin('components as c', 'c.id', 'f.component_id')
    .leftJoin('mobility_steps as s', function () {
      this.on('s.process_id', 'f.process_id').andOn('s.key', 'f.current_step');
    })
    .where('f.institution_id', institutionId)
    .whereNot('f.status', 'abandoned')
    .select('f.*', 'c.code as component_code', 's.label_fr as step_fr', 's.label_en as step_en')
    .orderBy('f.id');
  const files = (rows as any[]).map(toPairFile).filter((f) => inScope(scope, f.componentCode));
  const groups = new Map<string, number[]>();
  const add = (k: string, i: number) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  };
  files.forEach((f, i) => {
    const esi = normaliseEsi(f.esi);
    if (esi) add(`esi:${esi}`, i);
    if (f.birthDate) add(`nb:${normaliseName(f.firstName, f.lastName)}|${f.birthDate}`, i);
    const email = (f.email ?? '').trim().toLowerCase();
    if (email) add(`mail:${email}`, i);
  });
  const decided = new Set(
    (await db('mobility_duplicate_decisions').where({ institution_id: institutionId }).select('file_a', 'file_b')).map((d: any) => `${d.file_a}:${d.file_b}`),
  );
  const seen = new Set<string>();
  const out: SuspectedPair[] = [];
  for (const members of groups.values()) {
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const a = files[members[x]!]!;
        const b = files[members[y]!]!;
        const id = `${a.id}:${b.id}`;
        if (seen.has(id) || decided.has(id)) continue;
        seen.add(id);
        const m = compare(key(a), key(b));
        if (m) out.push({ a, b, ...m });
      }
    }
  }
  return out.sort((p, q) => (p.certainty === q.certainty ? p.a.id - q.a.id || p.b.id - q.b.id : p.certainty === 'certain' ? -1 : 1));
}

/** A merge already made into a file (shown on the file that stayed). */
export interface MergeRecord {
  mergedFileId: number;
  label: string;
  at: Date;
}

/** The files merged into `fileId`. */
export async function mergesInto(db: Db, institutionId: number, fileId: number): Promise<MergeRecord[]> {
  const rows = await db('mobility_duplicate_decisions').where({ institution_id: institutionId, decision: 'merge', kept_file_id: fileId }).orderBy('decided_at');
  return (rows as any[]).map((r) => ({ mergedFileId: r.file_a === fileId ? r.file_b : r.file_a, label: r.label, at: new Date(r.decided_at) }));
}

/** What the decisions need. */
export interface DecisionDeps {
  knex: Knex;
  audit: AuditLog;
  store: MobilityStore;
}

/** A decision on a pair, from a manager's form: the versions are those the page showed. */
export interface PairInput {
  a: number;
  b: number;
  versionA: number;
  versionB: number;
}

const refuse = (code: string, status: number, message: string, key?: string) => new SmileError(code, message, { status, key });

/** Lock both files (in id order, so two decisions on one pair queue rather than deadlock) and check them. */
async function lockPair(trx: Knex.Transaction, actor: MobilityActor, scope: Scope, input: PairInput, lang: Lang) {
  if (input.a === input.b) throw refuse(ErrorCodes.VALIDATION, 400, dups(lang, 'errors.self'), 'self');
  const rows = await trx('mobility_files as f')
    .leftJoin('components as c', 'c.id', 'f.component_id')
    .where('f.institution_id', actor.institutionId).whereIn('f.id', [input.a, input.b])
    .orderBy('f.id').forUpdate('f')
    .select('f.*', 'c.code as component_code');
  const byId = new Map((rows as any[]).map((r) => [r.id as number, r]));
  const a = byId.get(input.a);
  const b = byId.get(input.b);
  // a file of another institution, or outside the manager's components, does not exist for them
  for (const [id, r] of [[input.a, a], [input.b, b]] as const) {
    if (!r || !inScope(scope, r.component_code)) throw refuse(ErrorCodes.NOT_FOUND, 404, dups(lang, 'errors.notFound', { id }), 'notFound');
  }
  for (const [r, v] of [[a, input.versionA], [b, input.versionB]] as const) {
    if (r.version !== v) {
      throw refuse(ErrorCodes.CONFLICT, 409, dups(lang, 'errors.conflict', { id: r.id, name: `${r.first_name} ${r.last_name}` }), 'conflict');
    }
    if (r.status === 'abandoned') throw refuse(ErrorCodes.CONFLICT, 409, dups(lang, 'errors.closed', { id: r.id }), 'closed');
  }
  const [lo, hi] = input.a < input.b ? [input.a, input.b] : [input.b, input.a];
  const decided = await trx('mobility_duplicate_decisions').where({ institution_id: actor.institutionId, file_a: lo, file_b: hi }).first();
  if (decided) throw refuse(ErrorCodes.CONFLICT, 409, dups(lang, 'errors.decided', { who: decided.label }), 'decided');
  return { a, b, lo, hi };
}

/** Record that the two files are different people: the pair is not suggested again. Audited. */
export async function keepBoth(deps: DecisionDeps, actor: MobilityActor, scope: Scope, input: PairInput): Promise<void> {
  const lang = actor.language ?? 'en';
  await deps.knex.transaction(async (trx) => {
    const { lo, hi } = await lockPair(trx, actor, scope, input, lang);
    await trx('mobility_duplicate_decisions').insert({ institution_id: actor.institutionId, file_a: lo, file_b: hi, decision: 'keep', person_id: actor.personId ?? null, label: actor.label });
    await deps.audit.record(actor, { action: 'mobility.duplicates.keep', targetType: 'mobility_file', targetId: lo, detail: { files: [lo, hi] } }, { trx });
  });
}

/**
 * Columns filled on the kept file when empty there (never overwritten), with the name the page
 * lists them by. The component comes with its approval components.
 */
const COPYABLE: ReadonlyArray<[column: string, field: string, kind?: 'date' | 'json']> = [
  ['birth_date', 'birthDate', 'date'], ['nationality', 'nationality'], ['gender', 'gender'], ['email', 'email'], ['esi', 'esi'],
  ['home_address', 'homeAddress', 'json'], ['home_name', 'homeName'], ['home_country', 'homeCountry'], ['home_schac', 'homeSchac'],
  ['home_erasmus_code', 'homeErasmusCode'], ['home_pic', 'homePic'], ['planned_start', 'plannedStart', 'date'], ['planned_end', 'plannedEnd', 'date'],
  ['component_id', 'component'], ['referent_person_id', 'referent'], ['eqf_level', 'eqfLevel'], ['isced', 'isced'], ['special_needs', 'specialNeeds'],
  ['language', 'language'],
];

const empty = (v: unknown, kind?: 'date' | 'json') => {
  if (v == null) return true;
  if (kind === 'json') return Object.keys(typeof v === 'string' ? JSON.parse(v) : (v as object)).length === 0;
  return typeof v === 'string' && v.trim() === '';
};

/** What a merge did. `copied` are field names (see the `duplicates.fields` strings). */
export interface MergeResult {
  copied: string[];
  documents: number;
  messages: number;
  personMoved: boolean;
}

/**
 * Merge file `drop` into file `keep`, in one transaction: fields empty on `keep` are filled from
 * `drop`; `drop`'s documents and messages move to `keep`; its person moves when `keep` has none; it
 * is closed as abandoned (through the engine when its step allows abandoning, else directly with
 * a history row). Refused — nothing changed — for the same file twice, a file outside the
 * institution or the manager's components, two different persons, a pair already decided, or a
 * file changed since the manager's page was built (409).
 */
export async function mergeFiles(deps: DecisionDeps, actor: MobilityActor, scope: Scope, input: PairInput & { keep: number }): Promise<MergeResult> {
  const lang = actor.language ?? 'en';
  if (input.keep !== input.a && input.keep !== input.b) throw refuse(ErrorCodes.VALIDATION, 400, dups(lang, 'errors.chooseKeep'), 'keep');
  return deps.knex.transaction(async (trx) => {
    const { a, b, lo, hi } = await lockPair(trx, actor, scope, input, lang);
    const [keep, drop] = input.keep === input.a ? [a, b] : [b, a];
    if (keep.person_id != null && drop.person_id != null && keep.person_id !== drop.person_id) {
      throw refuse(ErrorCodes.VALIDATION, 422, dups(lang, 'errors.person', { a: keep.id, b: drop.id }), 'person');
    }
    const now = new Date();
    const comment = dups(lang, 'history.mergedInto', { id: keep.id });

    // close the dropped file first: the engine checks the version the manager saw
    const process = await deps.store.process(actor.institutionId, drop.process_id, trx);
    const step = process.steps.find((s) => s.key === drop.current_step);
    const open = drop.status === 'nominated' || drop.status === 'in_progress';
    if (open && step?.transitions.some((t) => t.action === 'abandon')) {
      await deps.store.transition(actor, drop.id, { stepKey: step.key, action: 'abandon', comment }, drop.version, { system: true, trx });
    } else {
      await trx('mobility_file_steps').where({ file_id: drop.id, state: 'active' }).update({ state: 'abandoned', left_at: now });
      await trx('mobility_files').where({ id: drop.id }).update({ status: 'abandoned', current_step: null, version: drop.version + 1, updated_at: now });
      await trx('mobility_transitions').insert({
        institution_id: actor.institutionId, file_id: drop.id, from_step: drop.current_step ?? null, to_step: null, action: 'abandon',
        person_id: actor.personId ?? null, label: actor.label, comment, at: now,
      });
    }

    // the kept file's own history says what joined it
    await trx('mobility_transitions').insert({
      institution_id: actor.institutionId, file_id: keep.id, from_step: keep.current_step ?? null, to_step: keep.current_step ?? null, action: 'merge',
      person_id: actor.personId ?? null, label: actor.label, comment: dups(lang, 'history.merged', { id: drop.id }), at: now,
    });
    const patch: Record<string, unknown> = {};
    const copied: string[] = [];
    for (const [column, field, kind] of COPYABLE) {
      if (!empty(keep[column], kind) || empty(drop[column], kind)) continue;
      patch[column] = kind === 'date' ? day(drop[column]) : kind === 'json' ? JSON.stringify(typeof drop[column] === 'string' ? JSON.parse(drop[column]) : drop[column]) : drop[column];
      copied.push(field);
      if (column === 'component_id' && !(keep.approval_components ?? []).length) patch.approval_components = drop.approval_components ?? [];
    }
    const personMoved = keep.person_id == null && drop.person_id != null;
    if (personMoved) {
      patch.person_id = drop.person_id;
      await trx('mobility_files').where({ id: drop.id }).update({ person_id: null, version: trx.raw('version + 1'), updated_at: now });
    }

    // the plugin's own migrations create both tables: only one current document per type, so where
    // the kept file has its own, the moved one becomes a former version
    const keptTypes = await trx('mobility_documents').where({ file_id: keep.id }).whereNull('superseded_at').pluck('type_code');
    if (keptTypes.length) await trx('mobility_documents').where({ file_id: drop.id }).whereNull('superseded_at').whereIn('type_code', keptTypes).update({ superseded_at: now });
    const documents = Number(await trx('mobility_documents').where({ file_id: drop.id }).update({ file_id: keep.id }));
    const messages = Number(await trx('mobility_messages').where({ file_id: drop.id }).update({ file_id: keep.id }));

    await trx('mobility_files').where({ id: keep.id }).update({ ...patch, version: keep.version + 1, updated_at: now });
    await trx('mobility_duplicate_decisions').insert({
      institution_id: actor.institutionId, file_a: lo, file_b: hi, decision: 'merge', kept_file_id: keep.id, person_id: actor.personId ?? null, label: actor.label,
    });
    const detail = { kept: keep.id, merged: drop.id, copied, documents, messages, personMoved };
    await deps.audit.record(actor, { action: 'mobility.file.merge', targetType: 'mobility_file', targetId: keep.id, detail }, { trx });
    await deps.audit.record(actor, { action: 'mobility.file.merged-into', targetType: 'mobility_file', targetId: drop.id, detail }, { trx });
    return { copied, documents, messages, personMoved };
  });
}
