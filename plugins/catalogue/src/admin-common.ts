/**
 * What every back-office page of the catalogue shares: strings at definition time, the academic
 * year a page shows, component scopes, ids from the URL, rendering with a status.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { ErrorCodes, formField, SmileError, seeOther } from '@smile/sdk';
import type { Bilingual, RequestContext } from '@smile/sdk';
import type { PartContext } from './context.js';
import { PERMISSIONS } from './permissions.js';
import { catalogueService, type CatalogueStore } from './store.js';

export type Ctx = RequestContext<any, any, any>;
export type Lang = 'fr' | 'en';

type Dict = Record<string, unknown>;
const load = (lang: Lang): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}/admin.json`, import.meta.url), 'utf8')).admin;
const dicts = { fr: load('fr'), en: load('en') };

function lookup(d: Dict, key: string): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), d);
  if (typeof v !== 'string') throw new TypeError(`catalogue: missing string "admin.${key}"`);
  return v;
}

/** A back-office string in both languages (`key` under `admin.`), for table captions and column labels. */
export function b(key: string): Bilingual {
  return { fr: lookup(dicts.fr, key), en: lookup(dicts.en, key) };
}

/** The catalogue service of a request. */
export const storeOf = (ctx: Ctx): CatalogueStore => ctx.resolve(catalogueService);

/** `fr`/`en` text of a pair, falling back to the other language. */
export const pick = (lang: Lang, fr: string | null | undefined, en: string | null | undefined): string => (lang === 'en' ? en || fr || '' : fr || en || '');

/** A 404 for a record that does not exist, or that the person may not see (out of their components). */
export const notFound = (ctx: Ctx, what: 'element' | 'formation' | 'component' | 'run'): SmileError =>
  new SmileError(ErrorCodes.NOT_FOUND, ctx.t(`catalogue:admin.notFound.${what}`), { status: 404 });

/** A positive integer id from the URL, or a 404. */
export function idParam(ctx: Ctx, what: 'element' | 'formation' | 'run'): number {
  const raw = String(ctx.params.id ?? '');
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw notFound(ctx, what);
  return Number(raw);
}

/** Render a view, then set a status other than 200 (validation errors, conflicts). */
export async function renderWithStatus(ctx: Ctx, status: number, view: string, locals: Record<string, unknown>): Promise<void> {
  await ctx.render(view, locals);
  ctx.koa.status = status;
}

/** Where the person may read (or edit) the offer: `'all'` or component codes. */
export type Scope = 'all' | string[];
export const readScope = (ctx: Ctx): Scope => ctx.scopeOf(PERMISSIONS.read);
export const editScope = (ctx: Ctx): Scope => ctx.scopeOf(PERMISSIONS.edit);
/** Is a record of component `code` within `scope`? Records without a component are institution-wide. */
export const inScope = (scope: Scope, code: string | null | undefined): boolean => scope === 'all' || (!!code && scope.includes(code));

/** The academic year a page shows: `?year=` when it is a plausible year, else the current one. */
export function yearOf(ctx: Ctx, source: Record<string, unknown> = ctx.query): number {
  const raw = Array.isArray(source.year) ? source.year[0] : source.year;
  const n = typeof raw === 'string' && /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  return n >= 1990 && n <= 2200 ? n : storeOf(ctx).currentYear();
}

/** Years to offer in the year selector (those with a catalogue, the current one, and `year`). */
export async function yearChoices(ctx: Ctx, year: number): Promise<number[]> {
  const years = await storeOf(ctx).years(ctx.institution.id);
  return [...new Set([...years, year])].sort((a, c) => c - a);
}

/** The sections of the back office, for its sub-navigation. */
export const SECTIONS = [
  { key: 'overview', href: '/catalogue/admin' },
  { key: 'elements', href: '/catalogue/admin/elements' },
  { key: 'formations', href: '/catalogue/admin/formations' },
  { key: 'components', href: '/catalogue/admin/components' },
  { key: 'sync', href: '/catalogue/admin/sync' },
  { key: 'changes', href: '/catalogue/admin/changes' },
  { key: 'years', href: '/catalogue/admin/years' },
] as const;
export type Section = (typeof SECTIONS)[number]['key'];

/** Locals every back-office page passes to its view. */
export function pageLocals(ctx: Ctx, section: Section, title: string): Record<string, unknown> {
  return {
    title, section, sections: SECTIONS,
    canEdit: ctx.can(PERMISSIONS.edit), canImport: ctx.can(PERMISSIONS.import),
  };
}

/** A same-site back-office path to return to after a form (anything else falls back to `fallback`). */
export function safeReturn(value: string, prefix: string, fallback: string): string {
  return value.startsWith(prefix) && !value.startsWith('//') && !/[\r\n\\]/.test(value) && value.length < 2000 ? value : fallback;
}

/** Error with an HTTP status set by the store or the core (SmileError or any error with `status`). */
export function statusOf(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' ? (e as { status: number }).status : undefined;
}

/** The field a store error is about (`SmileError.key`), when it says. */
export function keyOf(e: unknown): string | undefined {
  const k = typeof e === 'object' && e !== null ? ((e as { key?: unknown }).key ?? (e as { details?: { key?: unknown } }).details?.key) : undefined;
  return typeof k === 'string' ? k : undefined;
}

/** The message of an error without its `SMILE_ERR_…:` prefix. */
export const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/^SMILE_ERR_[A-Z_]+: /, '');

export type { PartContext };

/** What {@link registerRevertRoute} needs to know of one kind of record. */
export interface RevertTarget<R extends { id: number; componentCode: string | null; localFields: readonly string[] }> {
  kind: 'element' | 'formation';
  /** The list's URL; the record's page is `<list>/<id>`. */
  list: string;
  fields: readonly string[];
  load(ctx: Ctx): Promise<R>;
  revert(ctx: Ctx, id: number, field: string, version: number): Promise<unknown>;
  label(ctx: Ctx, field: string): string;
}

/**
 * `POST <list>/:id/revert`: give one local field of an element or a formation back to the imports
 * (the field must be local; a record changed meanwhile is refused), then back to its page.
 */
export function registerRevertRoute<R extends { id: number; componentCode: string | null; localFields: readonly string[] }>(p: PartContext, t: RevertTarget<R>): void {
  p.r.route({
    method: 'POST',
    path: `${t.list}/:id/revert`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const rec = await t.load(ctx);
      if (!inScope(editScope(ctx), rec.componentCode)) throw notFound(ctx, t.kind);
      const field = formField(ctx.body, 'field');
      const page = `${t.list}/${rec.id}`;
      if (!t.fields.includes(field) || !rec.localFields.includes(field)) {
        ctx.flash('error', ctx.t('catalogue:admin.revert.notLocal'));
        return seeOther(ctx, page);
      }
      try {
        await t.revert(ctx, rec.id, field, Number(formField(ctx.body, 'version')));
        ctx.flash('success', ctx.t('catalogue:admin.revert.done', { field: t.label(ctx, field) }));
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        ctx.flash('error', ctx.t(`catalogue:admin.${t.kind}.conflict`));
      }
      seeOther(ctx, page);
    },
  });
}
