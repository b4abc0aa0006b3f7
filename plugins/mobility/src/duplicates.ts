/**
 * Suspected duplicates for the office: the page of undecided pairs (`/mobility/duplicates`), the
 * two decisions on a pair (keep both, merge one file into the other) and a block on a file's page
 * when that file has suspected duplicates or absorbed merged files.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { coreServices, formField as field, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import type { MobilityHooks } from './hooks.js';
import { PERMISSIONS } from './permissions.js';
import { actorOf, inScope, keyOf, pick, renderWithStatus, statusOf, storeOf, type Ctx, type Scope } from './manager-common.js';
import { keepBoth, mergeFiles, mergesInto, suspectedPairs, type PairFile, type PairInput, type SuspectedPair } from './duplicates-store.js';

/** The page of suspected pairs. */
export const DUPLICATES = '/mobility/duplicates';
/** Pairs shown at most on one page: the office decides on them a few at a time. */
const PAGE_MAX = 100;
const TAP = 'mobility:duplicates';
const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/mobility@${VERSION}/manager.css">`;

const manageScope = (ctx: Ctx): Scope => ctx.scopeOf(PERMISSIONS.manage);

/** The number of undecided suspected pairs the person may decide on (for a badge on the files list). */
export async function suspectedCount(ctx: Ctx): Promise<number> {
  if (!ctx.can(PERMISSIONS.manage)) return 0;
  return (await suspectedPairs(ctx.db.knex, ctx.institution.id, manageScope(ctx))).length;
}

/** A refusal shown on the page: the message, and the pair it is about (its anchor, its form). */
interface PageError {
  message: string;
  pair: string | null;
  field: 'keep' | null;
  keep: number | null;
}

const pairId = (a: number, b: number) => `pair-${Math.min(a, b)}-${Math.max(a, b)}`;

async function pageLocals(ctx: Ctx, error: PageError | null = null) {
  const lang = ctx.language;
  const onlyFile = /^[1-9][0-9]{0,9}$/.test(String(ctx.query.file ?? '')) ? Number(ctx.query.file) : null;
  const [all, types] = await Promise.all([suspectedPairs(ctx.db.knex, ctx.institution.id, manageScope(ctx)), storeOf(ctx).exchangeTypes(ctx.institution.id)]);
  const pairs = onlyFile ? all.filter((p) => p.a.id === onlyFile || p.b.id === onlyFile) : all;
  const side = (f: PairFile) => ({
    ...f,
    name: `${f.lastName} ${f.firstName}`,
    exchangeLabel: pick(lang, types.find((x) => x.code === f.exchangeType)?.label) || f.exchangeType,
    stepLabel: f.step ? pick(lang, f.step) : ctx.t('mobility:duplicates.noStep'),
    statusLabel: ctx.t(`mobility:manager.status.${f.status}`),
  });
  const view = (p: SuspectedPair) => ({
    id: pairId(p.a.id, p.b.id), a: side(p.a), b: side(p.b), certainty: p.certainty,
    reason: ctx.t(`mobility:duplicates.reason.${p.reason}`), certaintyLabel: ctx.t(`mobility:duplicates.certainty.${p.certainty}`),
  });
  return {
    title: ctx.t('mobility:duplicates.title'),
    pairs: pairs.slice(0, PAGE_MAX).map(view), total: pairs.length, more: Math.max(0, pairs.length - PAGE_MAX),
    onlyFile, error,
  };
}

/** The pair and versions a form sent, or `null` when they are not numbers. */
function pairInput(ctx: Ctx): PairInput | null {
  const n = (name: string) => (/^[0-9]{1,10}$/.test(field(ctx.body, name)) ? Number(field(ctx.body, name)) : NaN);
  const input = { a: n('a'), b: n('b'), versionA: n('versionA'), versionB: n('versionB') };
  return Object.values(input).every(Number.isInteger) ? input : null;
}

/** Re-render the page with the refusal; a 409 shows the pair as it is now. */
async function refused(ctx: Ctx, e: unknown, input: PairInput, keep: number | null): Promise<void> {
  const status = statusOf(e);
  if (!status || status >= 500) throw e;
  const k = keyOf(e);
  ctx.log.info({ files: [input.a, input.b], key: k, status }, 'mobility duplicates decision refused');
  const error: PageError = { message: (e as Error).message, pair: input.a && input.b ? pairId(input.a, input.b) : null, field: k === 'keep' ? 'keep' : null, keep: status === 409 ? null : keep };
  await renderWithStatus(ctx, status, 'mobility/duplicates-page', await pageLocals(ctx, error));
}

const deps = (ctx: Ctx) => ({ knex: ctx.db.knex, audit: ctx.resolve(coreServices.audit), store: storeOf(ctx) });
const back = (ctx: Ctx) => (field(ctx.body, 'file') && /^[1-9][0-9]{0,9}$/.test(field(ctx.body, 'file')) ? `${DUPLICATES}?file=${field(ctx.body, 'file')}` : DUPLICATES);

/** Register the duplicates pages, the file-page block (order 20) and the stylesheet of the pages. */
export function registerDuplicates(r: RegisterApi<any>, hooks: MobilityHooks): void {
  r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('mobility/duplicates-') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));

  r.route({
    method: 'GET',
    path: DUPLICATES,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      await ctx.render('mobility/duplicates-page', await pageLocals(ctx));
    },
  });

  r.route({
    method: 'POST',
    path: `${DUPLICATES}/keep`,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      const input = pairInput(ctx);
      if (!input) return refused(ctx, Object.assign(new Error(ctx.t('mobility:duplicates.errors.badForm')), { status: 400 }), { a: 0, b: 0, versionA: 0, versionB: 0 }, null);
      try {
        await keepBoth(deps(ctx), actorOf(ctx), manageScope(ctx), input);
      } catch (e) {
        return refused(ctx, e, input, null);
      }
      ctx.flash('success', ctx.t('mobility:duplicates.kept', { a: input.a, b: input.b }));
      return seeOther(ctx, back(ctx));
    },
  });

  r.route({
    method: 'POST',
    path: `${DUPLICATES}/merge`,
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      const input = pairInput(ctx);
      if (!input) return refused(ctx, Object.assign(new Error(ctx.t('mobility:duplicates.errors.badForm')), { status: 400 }), { a: 0, b: 0, versionA: 0, versionB: 0 }, null);
      const keep = /^[0-9]{1,10}$/.test(field(ctx.body, 'keep')) ? Number(field(ctx.body, 'keep')) : 0;
      try {
        const done = await mergeFiles(deps(ctx), actorOf(ctx), manageScope(ctx), { ...input, keep });
        const drop = keep === input.a ? input.b : input.a;
        const copied = done.copied.map((f) => ctx.t(`mobility:duplicates.fields.${f}`)).join(', ') || ctx.t('mobility:duplicates.nothingCopied');
        ctx.flash('success', ctx.t('mobility:duplicates.merged', { kept: keep, merged: drop, copied, documents: done.documents, messages: done.messages }));
      } catch (e) {
        return refused(ctx, e, input, keep || null);
      }
      return seeOther(ctx, back(ctx));
    },
  });

  hooks.fileSections.tapPromise(TAP, async (sections, { ctx, file, audience }) => {
    if (audience !== 'manager' || !ctx.can(PERMISSIONS.manage) || !inScope(manageScope(ctx), file.componentCode)) return sections;
    const [pairs, merges] = await Promise.all([
      suspectedPairs(ctx.db.knex, ctx.institution.id, manageScope(ctx)),
      mergesInto(ctx.db.knex, ctx.institution.id, file.id),
    ]);
    const others = pairs
      .filter((p) => p.a.id === file.id || p.b.id === file.id)
      .map((p) => {
        const other = p.a.id === file.id ? p.b : p.a;
        return { id: other.id, name: `${other.lastName} ${other.firstName}`, reason: ctx.t(`mobility:duplicates.reason.${p.reason}`), certainty: ctx.t(`mobility:duplicates.certainty.${p.certainty}`) };
      });
    if (!others.length && !merges.length) return sections;
    return [...sections, { id: 'duplicates', order: 20, view: 'mobility/duplicates-block', locals: { dupOthers: others, dupMerges: merges, dupHref: `${DUPLICATES}?file=${file.id}` } }];
  });
}
