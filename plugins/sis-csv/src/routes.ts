/**
 * The upload pages for managers: choose files and a year, see the preview (formats, counts, every
 * error with its file and line), import what was previewed, see the result.
 * @packageDocumentation
 */
import path from 'node:path';
import { ErrorCodes, SmileError, formField, seeOther } from '@smile/sdk';
import type { RegisterApi, RequestContext, UploadedFile } from '@smile/sdk';
import { PERMISSIONS, catalogueService, yearLabel, type CatalogueBatch, type CatalogueStore, type SyncRun } from '@smile/plugin-catalogue';
import { FORMATS, formatName } from './formats.js';
import { locateErrors, preview, readFiles, type CsvInput, type FileError, type FileSummary, type Preview } from './read.js';
import { claimUpload, findUpload, recordRun, saveUpload, uploadInputs, type UploadSummary } from './uploads.js';

type Ctx = RequestContext<any, any, any>;

export const BASE = '/catalogue/admin/import/csv';
/** Errors listed on a page; the others are counted. */
const SHOWN_ERRORS = 200;
const SUMMARY_ELEMENTS = 50;

const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** Every file of a multipart body, whatever its field name (a multiple file input repeats it). */
export function uploadedFiles(body: unknown): UploadedFile[] {
  if (!body || typeof body !== 'object') return [];
  return Object.values(body as Record<string, unknown>)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v): v is UploadedFile => !!v && typeof v === 'object' && Buffer.isBuffer((v as UploadedFile).data));
}

/** Files as the reader takes them: base names only, made unique (`courses.csv`, `courses (2).csv`). */
export function inputsOf(files: UploadedFile[]): CsvInput[] {
  const used = new Set<string>();
  return files.map((f) => {
    const base = path.basename(f.filename.replace(/\\/g, '/')).slice(0, 200) || 'file.csv';
    let name = base;
    for (let n = 2; used.has(name); n++) name = base.replace(/(\.[^.]*)?$/, ` (${n})$1`);
    used.add(name);
    return { name, data: f.data };
  });
}

const store = (ctx: Ctx): CatalogueStore => ctx.resolve(catalogueService);

async function yearOptions(ctx: Ctx) {
  const current = store(ctx).currentYear();
  const years = new Set([...(await store(ctx).years(ctx.institution.id)), current, current + 1]);
  return [...years].sort((a, b) => b - a).map((y) => ({ value: String(y), label: yearLabel(y) }));
}

/** Files as the pages show them: format, encoding and separator named in the reader's language. */
const fileRows = (ctx: Ctx, files: FileSummary[]) =>
  files.map((f) => ({
    ...f,
    formatLabel: f.format ? formatName(f.format)[ctx.language] : ctx.t('sis-csv:preview.unreadable'),
    encodingLabel: ctx.t(`sis-csv:encodings.${f.encoding}`),
    delimiterLabel: ctx.t(`sis-csv:delimiters.${DELIMITERS[f.delimiter]}`),
  }));

const errorRows = (ctx: Ctx, errors: FileError[]) =>
  errors.slice(0, SHOWN_ERRORS).map((e) => ({ file: e.file, line: e.line ?? null, code: e.code ?? '', field: e.field ?? '', message: e.message[ctx.language] }));

async function history(ctx: Ctx) {
  const runs = await store(ctx).runs(ctx.institution.id, { connector: 'sis-csv', limit: 10 });
  const ids = runs.map((r) => r.id);
  const uploads = ids.length ? ((await ctx.db.table('sis_csv_uploads').whereIn('run_id', ids).select('id', 'run_id')) as { id: number; run_id: number }[]) : [];
  const href = new Map(uploads.map((u) => [u.run_id, `${BASE}/${u.id}`]));
  return runs.map((r) => ({ ...r, yearLabel: yearLabel(r.year), href: href.get(r.id) ?? null }));
}

async function showForm(ctx: Ctx, errors: { files?: string; year?: string }, year: string, status = 200) {
  await ctx.render('sis-csv/upload', {
    title: ctx.t('sis-csv:upload.title'),
    errors,
    year,
    years: await yearOptions(ctx),
    formats: FORMATS.map((f) => ({ name: formatName(f.id)[ctx.language], required: f.required })),
    runs: await history(ctx),
  });
  ctx.koa.status = status;
}

function parseYear(raw: string): number | null {
  return /^\d{4}$/.test(raw) && Number(raw) >= 1990 && Number(raw) <= 2100 ? Number(raw) : null;
}

/** What the result page lists of a batch. */
export function summaryOf(batch: CatalogueBatch): UploadSummary {
  return {
    elements: batch.elements.slice(0, SUMMARY_ELEMENTS).map((e) => ({ code: e.code, titleFr: e.titleFr, titleEn: e.titleEn ?? null })),
    elementCount: batch.elements.length,
    components: batch.components.length,
    formations: batch.formations.length,
    links: batch.links.length,
  };
}

async function showPreview(ctx: Ctx, year: number, p: Preview, uploadId: number | null) {
  const counts = p.report
    ? (['components', 'formations', 'elements'] as const).map((k) => ({ key: k, ...p.report!.counts[k] }))
    : [];
  await ctx.render('sis-csv/preview', {
    title: ctx.t('sis-csv:preview.title'),
    year,
    yearText: yearLabel(year),
    files: fileRows(ctx, p.files),
    errors: errorRows(ctx, p.errors),
    errorCount: p.errors.length,
    moreErrors: Math.max(0, p.errors.length - SHOWN_ERRORS),
    counts,
    links: p.report ? p.report.counts.links.created : null,
    uploadId,
    years: await yearOptions(ctx),
  });
}

/** An import changes the whole institution's offer: not for people whose role covers some components only. */
const wholeInstitution = (ctx: Ctx) => ctx.scopeOf(PERMISSIONS.import) === 'all';

const notFound = (ctx: Ctx) => new SmileError(ErrorCodes.NOT_FOUND, ctx.t('sis-csv:result.notFound'), { status: 404 });

function uploadId(ctx: Ctx): number {
  const raw = String(ctx.params.id ?? '');
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) throw notFound(ctx);
  return Number(raw);
}

export function registerRoutes(r: RegisterApi): void {
  r.route({
    method: 'GET',
    path: BASE,
    permission: PERMISSIONS.import,
    async handler(ctx) {
      await showForm(ctx, {}, String(store(ctx).currentYear()));
    },
  });

  r.route({
    method: 'POST',
    path: BASE,
    permission: PERMISSIONS.import,
    async handler(ctx) {
      if (!wholeInstitution(ctx)) return showForm(ctx, { files: ctx.t('sis-csv:upload.wholeInstitution') }, String(store(ctx).currentYear()), 403);
      const files = uploadedFiles(ctx.body);
      const rawYear = formField(ctx.body, 'year');
      const year = parseYear(rawYear);
      const errors: { files?: string; year?: string } = {};
      if (!files.length) errors.files = ctx.t('sis-csv:upload.noFile');
      if (year === null) errors.year = ctx.t('sis-csv:upload.badYear');
      if (!files.length || year === null) return showForm(ctx, errors, rawYear || String(store(ctx).currentYear()), 422);
      const inputs = inputsOf(files);
      const p = await preview(store(ctx), ctx, year, inputs);
      const upload = p.errors.length ? null : await saveUpload(ctx.db, ctx.principal.personId ?? null, year, p.files, inputs);
      ctx.log.info({ files: p.files.map((f) => ({ format: f.format, rows: f.rows })), errors: p.errors.length, upload: upload?.id ?? null }, 'catalogue CSV previewed');
      await showPreview(ctx, year, p, upload?.id ?? null);
      if (p.errors.length) ctx.koa.status = 422;
    },
  });

  r.route({
    method: 'POST',
    path: `${BASE}/:id/commit`,
    permission: PERMISSIONS.import,
    async handler(ctx) {
      const id = uploadId(ctx);
      const upload = await findUpload(ctx.db, id);
      if (!upload) throw notFound(ctx);
      if (!wholeInstitution(ctx)) throw new SmileError(ErrorCodes.FORBIDDEN, ctx.t('sis-csv:upload.wholeInstitution'), { status: 403 });
      const inputs = upload.runId === null ? await uploadInputs(ctx.db, id) : [];
      // a second click, or another manager, finds it claimed: they see the result of the first
      if (!inputs.length || !(await claimUpload(ctx.db, id))) return seeOther(ctx, `${BASE}/${id}`);
      const read = readFiles(inputs);
      const s = store(ctx);
      const run = await s.createRun(ctx, { year: upload.year, connector: 'sis-csv', trigger: 'upload', label: inputs.map((f) => f.name).join(', ').slice(0, 300) });
      await recordRun(ctx.db, id, run.id, summaryOf(read.batch));
      const done = await s.execute(ctx, run.id, async (progress) => {
        progress(read.batch.elements.length, read.batch.elements.length);
        return { batch: read.batch, errors: read.errors };
      });
      ctx.log.info({ run: done.id, state: done.state, created: done.created, updated: done.updated }, 'catalogue CSV imported');
      seeOther(ctx, `${BASE}/${id}`);
    },
  });

  r.route({
    method: 'GET',
    path: `${BASE}/:id`,
    permission: PERMISSIONS.import,
    async handler(ctx) {
      const upload = await findUpload(ctx.db, uploadId(ctx));
      if (!upload) throw notFound(ctx);
      const run: SyncRun | undefined = upload.runId ? await store(ctx).run(ctx.institution.id, upload.runId) : undefined;
      const errors = run ? locateErrors(upload.files, upload.files, run.errors) : [];
      await ctx.render('sis-csv/result', {
        title: ctx.t('sis-csv:result.title'),
        upload,
        run: run ?? null,
        yearText: yearLabel(upload.year),
        files: fileRows(ctx, upload.files),
        errors: errorRows(ctx, errors),
        moreErrors: Math.max(0, (run?.errorCount ?? 0) - Math.min(errors.length, SHOWN_ERRORS)),
        summary: upload.summary,
      });
    },
  });
}
