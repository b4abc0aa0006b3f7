/**
 * `smile import catalogue <file...> [--dry-run] [--institution CODE] [--year YYYY]`: the same reading
 * and checks as the upload page, for scripts and large files. Errors are printed one a line as
 * `<file>:<line>: <code> <column>: <message>` and make the exit code 1.
 * @packageDocumentation
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RegisterApi } from '@smile/sdk';
import { catalogueService, yearLabel } from '@smile/plugin-catalogue';
import { formatName } from './formats.js';
import { locateErrors, preview, type CsvInput, type FileError } from './read.js';

const USAGE = 'usage: smile import catalogue <file.csv> [more files] [--dry-run] [--institution CODE] [--year YYYY]';
/** Errors printed; the others are counted. */
const PRINTED_ERRORS = 1000;
const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** One error as the command prints it. */
export const errorLine = (e: FileError) =>
  `${e.file || '-'}:${e.line ?? '-'}: ${[e.code, e.field].filter(Boolean).join(' ')}${e.code || e.field ? ': ' : ''}${e.message.en}`;

export function registerCommand(r: RegisterApi): void {
  r.command({
    name: 'import catalogue',
    description: 'Import the course catalogue from CSV files (seed-system exports or the richer format); --dry-run checks only',
    options: {
      'dry-run': { type: 'boolean', description: 'check the files and show what would change, write nothing' },
      institution: { type: 'string', description: 'code of the institution (needed when there are several)' },
      year: { type: 'string', description: 'academic year, e.g. 2026 for 2026–2027 (default: the current one)' },
    },
    async run({ positionals, options }, ctx) {
      if (!positionals.length) {
        ctx.print(USAGE);
        return 2;
      }
      const inputs: CsvInput[] = [];
      for (const file of positionals) {
        try {
          if (!statSync(file).isFile()) throw new Error('not a file');
          inputs.push({ name: path.basename(file), data: readFileSync(file) });
        } catch (e) {
          ctx.print(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
          return 2;
        }
      }
      const institution = await ctx.institution(typeof options.institution === 'string' ? options.institution : undefined);
      const store = ctx.resolve(catalogueService);
      const rawYear = options.year;
      if (rawYear !== undefined && (typeof rawYear !== 'string' || !/^\d{4}$/.test(rawYear))) {
        ctx.print(`--year: a year such as ${store.currentYear()} (for ${yearLabel(store.currentYear())}), not "${String(rawYear)}"`);
        return 2;
      }
      const year = rawYear ? Number(rawYear) : store.currentYear();
      const actor = { institutionId: institution.id, label: 'smile import catalogue (command line)' };
      const dryRun = options['dry-run'] === true;

      const p = await preview(store, actor, year, inputs);
      for (const f of p.files) {
        const format = f.format ? formatName(f.format).en : 'not recognised';
        ctx.print(`${f.name}: ${format}; ${f.encoding}, ${DELIMITERS[f.delimiter]}-separated; ${f.rows} rows${f.ignored.length ? `; ignored columns: ${f.ignored.join(', ')}` : ''}`);
      }
      if (p.errors.length) {
        for (const e of p.errors.slice(0, PRINTED_ERRORS)) ctx.print(errorLine(e));
        if (p.errors.length > PRINTED_ERRORS) ctx.print(`… and ${p.errors.length - PRINTED_ERRORS} more errors`);
        ctx.print(`${p.errors.length} error${p.errors.length === 1 ? '' : 's'}: nothing was imported into ${institution.code} ${yearLabel(year)}`);
        return 1;
      }
      const c = p.report!.counts;
      const line = (what: string, n: { created: number; updated: number; unchanged: number }) => `${what}: ${n.created} new, ${n.updated} changed, ${n.unchanged} unchanged`;
      if (dryRun) {
        ctx.print(line('components', c.components));
        ctx.print(line('formations', c.formations));
        ctx.print(line('elements', c.elements));
        ctx.print(`places in formation trees: ${c.links.created} new`);
        ctx.print(`dry run: nothing was written (${institution.code} ${yearLabel(year)})`);
        return 0;
      }
      const run = await store.createRun(actor, { year, connector: 'sis-csv', trigger: 'cli', label: inputs.map((f) => f.name).join(', ').slice(0, 300) });
      const done = await store.execute(actor, run.id, async () => ({ batch: p.batch, errors: [] }));
      if (done.state !== 'succeeded') {
        for (const e of locateErrors(inputs, p.files, done.errors).slice(0, PRINTED_ERRORS)) ctx.print(errorLine(e));
        ctx.print(`import failed (run ${done.id}): ${done.failure ?? 'unknown reason'}; nothing was changed`);
        return 1;
      }
      ctx.print(line('components', c.components));
      ctx.print(line('formations', c.formations));
      ctx.print(line('elements', c.elements));
      ctx.print(`imported into ${institution.code} ${yearLabel(year)} (run ${done.id}): ${done.created} created, ${done.updated} updated`);
      return 0;
    },
  });
}
