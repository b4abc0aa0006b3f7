/**
 * The bulk entry grid for the office: rows pasted from a spreadsheet, a preview with row errors
 * and duplicates, then an all-or-nothing import — the nomination import's own reader, duplicate
 * detection and transaction, fed with the pasted rows as CSV. The checked text waits between the
 * preview and the import in the key-value store (one hour, taken once, so a double click imports once).
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { ErrorCodes, SmileError, coreServices, formField as field } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import { importFile, type FileImport } from './intake-import.js';
import { actorOf, renderWithStatus, type Ctx } from './manager-common.js';
import { GRID } from './config-common.js';
import { exchangeTypeChoices, shownResult } from './intake-routes.js';
import { GRID_COLUMNS, gridToCsv, toPastedLines } from './intake-grid-text.js';

/** Largest text accepted (the form is sent as multipart, whose fields may hold up to 1 MB). */
export const MAX_CHARS = 500_000;
const KEEP_MS = 3600_000;
const kvKey = (token: string) => `mobility:grid:${token}`;

interface Pending {
  institutionId: number;
  personId: number | null;
  exchangeType: string;
  text: string;
}

interface FormState {
  text: string;
  exchangeType: string;
  errors?: { text?: string; exchangeType?: string };
  result?: ReturnType<typeof shownResult> | null;
  token?: string | null;
}

async function showGrid(ctx: Ctx, status: number, s: FormState): Promise<void> {
  await renderWithStatus(ctx, status, 'mobility/intake-grid', {
    title: ctx.t('mobility:grid.title'),
    text: s.text, exchangeType: s.exchangeType, errors: s.errors ?? {}, result: s.result ?? null, token: s.token ?? null,
    exchangeTypes: await exchangeTypeChoices(ctx), columns: GRID_COLUMNS,
  });
}

/** Check (or import) pasted rows; lines are those of the pasted text. */
async function run(ctx: Ctx, text: string, exchangeType: string, dryRun: boolean): Promise<FileImport> {
  const grid = gridToCsv(text);
  const res = await importFile(ctx, actorOf(ctx), grid.bytes, { dryRun, defaultExchangeType: exchangeType || undefined });
  return toPastedLines(res, grid.offset);
}

/** Routes of the bulk entry grid (`/mobility/import/grid`). */
export function registerIntakeGrid(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: GRID,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      await showGrid(ctx, 200, { text: '', exchangeType: '' });
    },
  });

  r.route({
    method: 'POST',
    path: GRID,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      const text = field(ctx.body, 'rows', true).replace(/^\n+/, '');
      const exchangeType = field(ctx.body, 'exchangeType');
      const errors: FormState['errors'] = {};
      if (!text.trim()) errors.text = ctx.t('mobility:grid.errors.empty');
      else if (text.length > MAX_CHARS) errors.text = ctx.t('mobility:grid.errors.tooLong', { max: MAX_CHARS.toLocaleString(ctx.language === 'fr' ? 'fr-FR' : 'en-GB') });
      if (exchangeType && !(await exchangeTypeChoices(ctx)).some((t) => t.value === exchangeType)) errors.exchangeType = ctx.t('mobility:grid.errors.exchangeType');
      if (errors.text || errors.exchangeType) return showGrid(ctx, 422, { text: text.slice(0, MAX_CHARS), exchangeType, errors });
      const res = await run(ctx, text, exchangeType, true);
      let token: string | null = null;
      if (!res.errors.length) {
        token = randomBytes(18).toString('base64url');
        const pending: Pending = { institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, exchangeType, text };
        await ctx.resolve(coreServices.kv).set(kvKey(token), JSON.stringify(pending), KEEP_MS);
      }
      return showGrid(ctx, res.errors.length ? 422 : 200, { text, exchangeType, result: shownResult(ctx, res, 'mobility:grid.ofLine'), token });
    },
  });

  r.route({
    method: 'POST',
    path: `${GRID}/commit`,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      const token = field(ctx.body, 'token');
      const raw = /^[A-Za-z0-9_-]{10,64}$/.test(token) ? await ctx.resolve(coreServices.kv).take(kvKey(token)) : null;
      const pending = raw ? (JSON.parse(raw) as Pending) : null;
      if (!pending || pending.institutionId !== ctx.institution.id || pending.personId !== (ctx.principal.personId ?? null)) {
        throw new SmileError(ErrorCodes.NOT_FOUND, ctx.t('mobility:grid.expired'), { status: 404 });
      }
      const res = await run(ctx, pending.text, pending.exchangeType, false);
      ctx.log.info({ created: res.counts.created, skipped: res.counts.skipped, errors: res.errors.length }, 'nominations entered in the grid');
      // the files changed between the preview and now (another import): show the new errors, keep the rows
      if (!res.committed) return showGrid(ctx, 422, { text: pending.text, exchangeType: pending.exchangeType, result: shownResult(ctx, res, 'mobility:grid.ofLine') });
      await ctx.render('mobility/intake-grid-result', { title: ctx.t('mobility:grid.resultTitle'), ...shownResult(ctx, res, 'mobility:grid.ofLine') });
    },
  });
}
