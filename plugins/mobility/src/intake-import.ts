/**
 * Import nominations: every row checked (references, duplicates), then all files created in ONE
 * transaction, or none. A certain duplicate of an existing file (or of an earlier row) is reported
 * and not created; a possible one is created and listed with its reason.
 * @packageDocumentation
 */
import { coreServices, type ServiceRef } from '@smile/sdk';
import type { Knex } from 'knex';
import { mobilityService, type MobilityStore } from './store.js';
import type { MobilityActor } from './types.js';
import { parseNominations, type NominationRow, type RowIssue } from './intake-csv.js';
import { findDuplicates, knownFiles, type DuplicateMatch } from './intake-duplicates.js';
import { bilingual } from './intake-strings.js';

/** Anything that resolves services: a request, a command, a test platform. */
export interface Resolver {
  resolve<T>(ref: ServiceRef<T>): T;
}

/** What happens to one row. */
export interface RowOutcome {
  line: number;
  name: string;
  email: string | null;
  academicYear: number;
  exchangeType: string;
  /** `create`: a new file (with `fileId` once written); `skip`: a certain duplicate. */
  action: 'create' | 'skip';
  duplicates: DuplicateMatch[];
  fileId: number | null;
}

export interface ImportResult {
  dryRun: boolean;
  /** `true` when the files were written (never on a dry run or with errors). */
  committed: boolean;
  rows: RowOutcome[];
  errors: RowIssue[];
  warnings: RowIssue[];
  counts: { created: number; skipped: number; possible: number };
}

/**
 * Check `rows` and, unless `dryRun` or on any error, create their files in one transaction.
 * `parseIssues` (the reader's errors and warnings) are carried into the result: any error stops the import.
 */
export async function importNominations(
  services: Resolver,
  actor: MobilityActor,
  rows: NominationRow[],
  opts: { dryRun?: boolean; errors?: RowIssue[]; warnings?: RowIssue[] } = {},
): Promise<ImportResult> {
  const inst = actor.institutionId;
  const store: MobilityStore = services.resolve(mobilityService);
  const knex: Knex = services.resolve(coreServices.database).knex;
  const errors = [...(opts.errors ?? [])];
  const warnings = [...(opts.warnings ?? [])];
  await store.ensureSeeded(inst);

  // references, read before the transaction (the embedded database has one connection)
  const componentCodes = [...new Set(rows.map((r) => r.componentCode).filter((c): c is string => !!c))];
  const components = new Map<string, number>(
    componentCodes.length
      ? (await knex('components').where({ institution_id: inst }).whereIn('code', componentCodes).select('id', 'code')).map((c: any) => [c.code, c.id])
      : [],
  );
  const emails = [...new Set(rows.map((r) => r.referentEmail?.toLowerCase()).filter((e): e is string => !!e))];
  const referents = new Map<string, number>(
    emails.length ? (await knex('persons').whereIn(knex.raw('lower(email)') as unknown as string, emails).orderBy('id', 'desc').select('id', 'email')).map((p: any) => [String(p.email).toLowerCase(), p.id]) : [],
  );
  const files = await knownFiles(knex, inst);

  const outcomes: RowOutcome[] = [];
  const earlier: Array<NominationRow['input'] & { line: number; firstName: string; lastName: string }> = [];
  for (const row of rows) {
    const input = { ...row.input };
    if (row.componentCode) {
      const id = components.get(row.componentCode);
      if (id === undefined) errors.push({ line: row.line, field: 'componentcode', message: bilingual('errors.unknownComponent', { value: row.componentCode }) });
      else input.componentId = id;
    }
    if (row.referentEmail) {
      const id = referents.get(row.referentEmail.toLowerCase());
      if (id === undefined) warnings.push({ line: row.line, field: 'referent email', message: bilingual('warnings.unknownReferent', { value: row.referentEmail }) });
      else input.referentPersonId = id;
    }
    const duplicates = findDuplicates(input, files, earlier);
    const certain = duplicates.some((d) => d.certainty === 'certain');
    if (!certain) earlier.push({ ...input, line: row.line });
    row.input = input;
    outcomes.push({
      line: row.line, name: `${input.firstName} ${input.lastName}`, email: input.email ?? null, academicYear: input.academicYear,
      exchangeType: input.exchangeType, action: certain ? 'skip' : 'create', duplicates, fileId: null,
    });
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const counts = {
    created: outcomes.filter((o) => o.action === 'create').length,
    skipped: outcomes.filter((o) => o.action === 'skip').length,
    possible: outcomes.filter((o) => o.action === 'create' && o.duplicates.length).length,
  };
  const result: ImportResult = { dryRun: !!opts.dryRun, committed: false, rows: outcomes, errors, warnings, counts };
  if (opts.dryRun || errors.length) {
    if (errors.length) result.counts.created = 0;
    return result;
  }

  await knex.transaction(async (trx) => {
    for (const [i, row] of rows.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.action === 'skip') continue;
      const file = await store.createFile(actor, { ...row.input, personId: null, specialNeeds: null }, { trx, detail: { source: 'import', line: row.line } });
      outcome.fileId = file.id;
    }
  });
  result.committed = true;
  return result;
}

/** A file read and checked (or imported): its format and row count with the result. */
export interface FileImport extends ImportResult {
  format: 'seed' | 'rich' | null;
  rowCount: number;
}

/**
 * Read a nomination file and import it (or, with `dryRun`, only check it). Rows that name no
 * exchange type get `defaultExchangeType` (else the institution's first one).
 */
export async function importFile(
  services: Resolver,
  actor: MobilityActor,
  bytes: Uint8Array,
  opts: { dryRun?: boolean; defaultExchangeType?: string } = {},
): Promise<FileImport> {
  const store: MobilityStore = services.resolve(mobilityService);
  await store.ensureSeeded(actor.institutionId);
  const types = (await store.exchangeTypes(actor.institutionId)).filter((t) => t.active).map((t) => t.code);
  const parsed = parseNominations(bytes, { exchangeTypes: types, defaultExchangeType: opts.defaultExchangeType || types[0] || '' });
  const result = await importNominations(services, actor, parsed.rows, { dryRun: opts.dryRun, errors: parsed.errors, warnings: parsed.warnings });
  return { ...result, format: parsed.format, rowCount: parsed.rows.length + new Set(parsed.errors.map((e) => e.line)).size };
}
