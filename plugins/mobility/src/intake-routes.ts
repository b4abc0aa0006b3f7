/**
 * The import pages for the office: upload a nomination file, see the preview (row errors with their
 * lines, duplicates with their reasons), import it, see the files created. The uploaded bytes wait
 * between the preview and the import in the key-value store (one hour, taken once).
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { ErrorCodes, SmileError, coreServices, formField, formFile } from '@smile/sdk';
import type { RegisterApi, RequestContext } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import { mobilityService } from './store.js';
import { COLUMNS, REQUIRED_COLUMNS, type RowIssue } from './intake-csv.js';
import { importFile, type FileImport } from './intake-import.js';
import type { MobilityActor } from './types.js';

type Ctx = RequestContext<any, any, any>;

export const IMPORT_PATH = '/mobility/import';
/** Largest file accepted. */
export const MAX_BYTES = 2 * 1024 * 1024;
const KEEP_MS = 3600_000;
const EXTENSIONS = /\.(csv|txt|tsv)$/i;
const SEED_COLUMNS = COLUMNS.slice(0, 12);
const RICH_COLUMNS = COLUMNS.slice(12);

const actorOf = (ctx: Ctx): MobilityActor => ({ institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, label: ctx.principal.label });
const kvKey = (token: string) => `mobility:intake:${token}`;

interface Pending {
  institutionId: number;
  personId: number | null;
  name: string;
  exchangeType: string;
  data: string;
}

/** The active exchange types, as choices of a select in the reader's language (upload page and grid). */
export async function exchangeTypeChoices(ctx: Ctx): Promise<Array<{ value: string; label: string }>> {
  const store = ctx.resolve(mobilityService);
  await store.ensureSeeded(ctx.institution.id);
  return (await store.exchangeTypes(ctx.institution.id)).filter((t) => t.active).map((t) => ({ value: t.code, label: t.label[ctx.language as 'fr' | 'en'] ?? t.label.en }));
}

async function showForm(ctx: Ctx, errors: { file?: string; exchangeType?: string }, exchangeType: string, status = 200) {
  await ctx.render('mobility/intake-upload', {
    title: ctx.t('mobility:intake.title'),
    errors,
    exchangeType,
    exchangeTypes: await exchangeTypeChoices(ctx),
    maxSize: '2 MB',
    seedColumns: SEED_COLUMNS.join(', '),
    richColumns: RICH_COLUMNS.join(', '),
    required: REQUIRED_COLUMNS.join(', '),
  });
  ctx.koa.status = status;
}

/**
 * Issues and rows of a checked import as the pages show them, in the reader's language. A duplicate
 * of an earlier row is named by `ofLine` (a file line, or a pasted line for the grid).
 */
export function shownResult(ctx: Ctx, res: FileImport, ofLine = 'mobility:intake.duplicate.ofLine') {
  const lang = ctx.language === 'fr' ? 'fr' : 'en';
  const issue = (e: RowIssue) => ({ line: e.line, field: e.field ?? '', message: e.message[lang] });
  return {
    errors: res.errors.map(issue),
    warnings: res.warnings.map(issue),
    counts: res.counts,
    rows: res.errors.length ? [] : res.rows.map((o) => ({
      ...o,
      duplicates: o.duplicates.map((d) => ({
        certain: d.certainty === 'certain',
        label: ctx.t(`mobility:intake.duplicate.${d.certainty}`),
        of: d.fileId !== null
          ? ctx.t('mobility:intake.duplicate.ofFile', { id: d.fileId, name: d.name, year: d.academicYear ?? '' })
          : ctx.t(ofLine, { line: d.line ?? '', name: d.name }),
        reason: ctx.t(`mobility:intake.duplicate.reason.${d.reason}`),
      })),
    })),
  };
}

/** What the preview and result pages show of a file's import. */
function view(ctx: Ctx, res: FileImport, name: string) {
  return {
    name,
    format: ctx.t(`mobility:intake.preview.format${res.format === 'seed' ? 'Seed' : res.format === 'rich' ? 'Rich' : 'Unknown'}`),
    rowCount: res.rowCount,
    ...shownResult(ctx, res),
  };
}

export function registerIntakeRoutes(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: IMPORT_PATH,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      await showForm(ctx, {}, '');
    },
  });

  r.route({
    method: 'POST',
    path: IMPORT_PATH,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      const file = formFile(ctx.body, 'file');
      const exchangeType = formField(ctx.body, 'exchangeType');
      const types = await exchangeTypeChoices(ctx);
      const errors: { file?: string; exchangeType?: string } = {};
      if (!file || !file.data.length) errors.file = ctx.t('mobility:intake.noFile');
      else if (/[\\/]|\.\./.test(file.filename)) errors.file = ctx.t('mobility:intake.badName');
      else if (!EXTENSIONS.test(file.filename)) errors.file = ctx.t('mobility:intake.badType');
      else if (file.data.length > MAX_BYTES) errors.file = ctx.t('mobility:intake.tooBig', { max: '2 MB' });
      if (exchangeType && !types.some((t) => t.value === exchangeType)) errors.exchangeType = ctx.t('mobility:intake.badExchangeType');
      if (errors.file || errors.exchangeType) return showForm(ctx, errors, exchangeType, 422);
      const res = await importFile(ctx, actorOf(ctx), file!.data, { dryRun: true, defaultExchangeType: exchangeType || undefined });
      let token: string | null = null;
      if (!res.errors.length) {
        token = randomBytes(18).toString('base64url');
        const pending: Pending = { institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, name: file!.filename, exchangeType, data: Buffer.from(file!.data).toString('base64') };
        await ctx.resolve(coreServices.kv).set(kvKey(token), JSON.stringify(pending), KEEP_MS);
      }
      await ctx.render('mobility/intake-preview', { title: ctx.t('mobility:intake.preview.title'), ...view(ctx, res, file!.filename), token });
      if (res.errors.length) ctx.koa.status = 422;
    },
  });

  r.route({
    method: 'POST',
    path: `${IMPORT_PATH}/commit`,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      const token = formField(ctx.body, 'token');
      const raw = /^[A-Za-z0-9_-]{10,64}$/.test(token) ? await ctx.resolve(coreServices.kv).take(kvKey(token)) : null;
      const pending = raw ? (JSON.parse(raw) as Pending) : null;
      if (!pending || pending.institutionId !== ctx.institution.id) {
        throw new SmileError(ErrorCodes.NOT_FOUND, ctx.t('mobility:intake.preview.expired'), { status: 404 });
      }
      const res = await importFile(ctx, actorOf(ctx), Buffer.from(pending.data, 'base64'), { defaultExchangeType: pending.exchangeType || undefined });
      ctx.log.info({ created: res.counts.created, skipped: res.counts.skipped, errors: res.errors.length }, 'nominations imported');
      await ctx.render(res.committed ? 'mobility/intake-result' : 'mobility/intake-preview', {
        title: ctx.t(res.committed ? 'mobility:intake.result.title' : 'mobility:intake.preview.title'),
        ...view(ctx, res, pending.name),
        token: null,
      });
      if (!res.committed) ctx.koa.status = 422;
    },
  });
}
