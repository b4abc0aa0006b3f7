/**
 * Demo data: the demo university's catalogue at first start (`smile start --demo`, `smile seed demo`)
 * for this academic year and the previous one, and `smile seed catalogue --size N` for benchmarks.
 * Both go through the import engine, in one transaction.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { PartContext } from './context.js';
import { generateCatalogue, previousYearCatalogue } from './demo-generate.js';
import { errorSummary, importBatch } from './import.js';
import { catalogueService, yearLabel } from './store.js';
import type { CatalogueBatch, ImportReport } from './types.js';

export { DEMO_SIZE, demoCatalogue, generateCatalogue, previousYearCatalogue } from './demo-generate.js';

/** Source recorded on demo rows (a later import from a real connector leaves them alone). */
export const DEMO_SOURCE = 'demo';

/** Import `batch` inside `trx`; a batch with errors is a bug of the generator, so it throws. */
async function load(trx: Knex.Transaction, institutionId: number, year: number, batch: CatalogueBatch): Promise<ImportReport> {
  const report = await importBatch(trx, institutionId, year, batch, { source: DEMO_SOURCE });
  if (!report.ok) throw new Error(`the demo catalogue does not import: ${errorSummary(report.errors)}`);
  return report;
}

/** Run `fn` in the caller's transaction, or in a new one. */
function inTransaction<T>(knex: Knex | Knex.Transaction, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return (knex as Knex.Transaction).isTransaction ? fn(knex as Knex.Transaction) : knex.transaction(fn);
}

export function registerDemo(p: PartContext): void {
  const { r } = p;
  const store = r.deferred(catalogueService);

  r.hooks.seedDemo.tap(async (ctx) => {
    const year = store().currentYear();
    await inTransaction(ctx.db.knex, async (trx) => {
      if (ctx.size === 'demo') {
        const batch = generateCatalogue({ institution: ctx.institution.code });
        // last year first, as an institution that has used SMILE for a year would have it
        await load(trx, ctx.institution.id, year - 1, previousYearCatalogue(batch));
        await load(trx, ctx.institution.id, year, batch);
      } else {
        await load(trx, ctx.institution.id, year, generateCatalogue({ size: ctx.size, institution: ctx.institution.code }));
      }
    });
  });

  r.command({
    name: 'seed catalogue',
    description: 'Generate a realistic catalogue of N teaching elements (benchmarks) and import it',
    options: {
      size: { type: 'string', description: 'Number of teaching elements (default 50000)' },
      institution: { type: 'string', description: 'Institution code (default: the only one)' },
      year: { type: 'string', description: 'Academic year (2026 for 2026–2027; default: the current one)' },
    },
    async run({ options }, ctx) {
      const size = options.size === undefined ? 50_000 : Number(options.size);
      if (!Number.isInteger(size) || size < 1 || size > 1_000_000) {
        ctx.print(`--size: a number of teaching elements between 1 and 1000000, not "${options.size}"`);
        return 2;
      }
      const catalogue = ctx.resolve(catalogueService);
      const year = typeof options.year === 'string' ? Number(options.year) : catalogue.currentYear();
      if (!Number.isInteger(year) || year < 1900 || year > 2999) {
        ctx.print(`--year: an academic year such as 2026, not "${options.year}"`);
        return 2;
      }
      const inst = await ctx.institution(typeof options.institution === 'string' ? options.institution : undefined);
      const started = Date.now();
      const batch = generateCatalogue({ size, institution: inst.code });
      ctx.print(`generated ${batch.components.length} components, ${batch.formations.length} formations, ${batch.elements.length} teaching elements, ${batch.links.length} links`);
      const report = await ctx.db.knex.transaction((trx) => load(trx, inst.id, year, batch));
      const { components, formations, elements, links } = report.counts;
      const line = (c: { created: number; updated: number; unchanged: number }) => `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
      ctx.print(`imported into ${inst.code}, academic year ${yearLabel(year)}, in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
      ctx.print(`  components: ${line(components)}`);
      ctx.print(`  formations: ${line(formations)}`);
      ctx.print(`  elements:   ${line(elements)}`);
      ctx.print(`  links:      ${links.created} created, ${links.removed} removed`);
      return 0;
    },
  });
}
