/**
 * `smile import nominations <file> [--dry-run] [--institution CODE] [--exchange-type CODE]`: the same
 * reading and checks as the upload page. Errors are printed `<file>:<line>: <column>: <message>` and
 * make the exit code 1; nothing is imported then.
 * @packageDocumentation
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RegisterApi } from '@smile/sdk';
import type { RowIssue } from './intake-csv.js';
import { importFile, type RowOutcome } from './intake-import.js';

const USAGE = 'usage: smile import nominations <file.csv> [--dry-run] [--institution CODE] [--exchange-type CODE]';

const issueLine = (file: string, e: RowIssue) => `${file}:${e.line ?? '-'}: ${e.field ? `${e.field}: ` : ''}${e.message.en}`;

/** One row's duplicates as printed. */
const duplicatesOf = (o: RowOutcome) =>
  o.duplicates
    .map((d) => `${d.certainty} duplicate of ${d.fileId !== null ? `file ${d.fileId}` : `line ${d.line}`} (${d.name}): same ${d.reason === 'name-birthdate' ? 'name and birth date' : d.reason === 'esi' ? 'ESI' : 'email only'}`)
    .join('; ');

export function registerIntakeCommand(r: RegisterApi<any>): void {
  r.command({
    name: 'import nominations',
    description: 'Import nominations (mobility files) from a CSV file, seed-system export or richer format; --dry-run checks only',
    options: {
      'dry-run': { type: 'boolean', description: 'check the file and show what would be created, write nothing' },
      institution: { type: 'string', description: 'code of the institution (needed when there are several)' },
      'exchange-type': { type: 'string', description: 'exchange type of the rows that name none (default: the first of the list)' },
    },
    async run({ positionals, options }, ctx) {
      if (positionals.length !== 1) {
        ctx.print(USAGE);
        return 2;
      }
      const file = positionals[0]!;
      let data: Uint8Array;
      try {
        if (!statSync(file).isFile()) throw new Error('not a file');
        data = readFileSync(file);
      } catch (e) {
        ctx.print(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
        return 2;
      }
      const institution = await ctx.institution(typeof options.institution === 'string' ? options.institution : undefined);
      const name = path.basename(file);
      const dryRun = options['dry-run'] === true;
      const actor = { institutionId: institution.id, label: 'smile import nominations (command line)' };
      const exchangeType = typeof options['exchange-type'] === 'string' ? options['exchange-type'] : undefined;
      const res = await importFile(ctx, actor, data, { dryRun, defaultExchangeType: exchangeType });
      ctx.print(`${name}: ${res.format ?? 'not recognised'} format, ${res.rowCount} rows`);
      for (const w of res.warnings) ctx.print(`warning: ${issueLine(name, w)}`);
      if (res.errors.length) {
        for (const e of res.errors) ctx.print(issueLine(name, e));
        ctx.print(`${res.errors.length} error${res.errors.length === 1 ? '' : 's'}: nothing was imported into ${institution.code}`);
        return 1;
      }
      for (const o of res.rows) {
        const what = o.action === 'skip' ? 'skipped' : dryRun ? 'would be created' : `created as file ${o.fileId}`;
        ctx.print(`${name}:${o.line}: ${o.name}: ${what}${o.duplicates.length ? ` — ${duplicatesOf(o)}` : ''}`);
      }
      const c = res.counts;
      ctx.print(`${dryRun ? 'dry run: nothing was written; ' : ''}${c.created} ${dryRun ? 'to create' : 'created'}, ${c.skipped} duplicates skipped, ${c.possible} possible duplicates (${institution.code})`);
      return 0;
    },
  });
}
