/**
 * What the manager pages share: strings at definition time, the engine's actor of a request,
 * component scopes, ids from the URL.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { Bilingual, RequestContext } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import { mobilityService, type MobilityStore } from './store.js';
import type { MobilityActor } from './types.js';

export type Ctx = RequestContext<any, any, any>;
export type Lang = 'fr' | 'en';
export type Scope = 'all' | string[];

type Dict = Record<string, unknown>;
const load = (lang: Lang): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}/manager.json`, import.meta.url), 'utf8')).manager;
const dicts = { fr: load('fr'), en: load('en') };

function lookup(d: Dict, key: string): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), d);
  if (typeof v !== 'string') throw new TypeError(`mobility: missing string "manager.${key}"`);
  return v;
}

/** A manager string in both languages (`key` under `manager.`), for table captions and labels. */
export const m = (key: string): Bilingual => ({ fr: lookup(dicts.fr, key), en: lookup(dicts.en, key) });

export const storeOf = (ctx: Ctx): MobilityStore => ctx.resolve(mobilityService);

/** The engine's actor for the signed-in person of a request. */
export const actorOf = (ctx: Ctx): MobilityActor => ({ institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, label: ctx.principal.label, language: ctx.language });

export const readScope = (ctx: Ctx): Scope => ctx.scopeOf(PERMISSIONS.read);
/** Files without a component are institution-wide: only people with an institution-wide scope see them. */
export const inScope = (scope: Scope, code: string | null | undefined): boolean => scope === 'all' || (!!code && scope.includes(code));
/** Whether a file is visible in `scope`: its main component, or a component that approves it (parallel referent approvals). */
export const fileInScope = (scope: Scope, file: { componentCode: string | null; approvalComponents: readonly string[] }): boolean =>
  inScope(scope, file.componentCode) || (scope !== 'all' && file.approvalComponents.some((c) => scope.includes(c)));

export const notFound = (ctx: Ctx): SmileError => new SmileError(ErrorCodes.NOT_FOUND, ctx.t('mobility:manager.errors.notFound'), { status: 404 });

/** A positive integer id from the URL, or a 404. */
export function idParam(ctx: Ctx): number {
  const raw = String(ctx.params.id ?? '');
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw notFound(ctx);
  return Number(raw);
}

/** Render a view, then set a status other than 200. */
export async function renderWithStatus(ctx: Ctx, status: number, view: string, locals: Record<string, unknown>): Promise<void> {
  await ctx.render(view, locals);
  ctx.koa.status = status;
}

export const statusOf = (e: unknown): number | undefined => (e as { status?: number })?.status;
export const keyOf = (e: unknown): string | undefined => (e as { key?: string; details?: { key?: string } })?.key ?? (e as { details?: { key?: string } })?.details?.key;

/** `fr`/`en` text of a pair, falling back to the other language. */
export const pick = (lang: Lang, l: { fr: string; en: string } | null | undefined): string => (l ? (lang === 'en' ? l.en || l.fr : l.fr || l.en) : '');

/** A duration in days (or hours under a day). */
export function duration(ctx: Ctx, ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  if (h < 1) return ctx.t('mobility:manager.file.lessThanHour');
  if (h < 24) return ctx.t('mobility:manager.file.hours', { count: h });
  return ctx.t('mobility:manager.file.days', { count: Math.floor(h / 24) });
}
