/**
 * What the course-picker parts share: its strings outside a request (hook taps), the engine's actor
 * of a request, ids from the URL, the refused-action errors, and the settings of an institution read
 * inside a transaction.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { ErrorCodes, SmileError, z } from '@smile/sdk';
import type { RequestContext } from '@smile/sdk';
import type { MobilityActor } from '@smile/plugin-mobility';
import { rulesConfigSchema } from './rules-config.js';
import type { Term } from './rules-types.js';

export type Ctx = RequestContext<any, any, any>;
export type Lang = 'fr' | 'en';

/** The plugin's settings (per institution through `r.settingsFor`). */
export const settingsSchema = z.object({
  /** The rules of course choice: defaults and overrides per exchange type code (see the README). */
  rules: rulesConfigSchema.default({}),
  /**
   * The terms a mobility of each exchange type covers. Other types: from the file's planned dates,
   * else the whole year.
   */
  terms: z
    .record(z.string().regex(/^[a-z0-9-]{1,64}$/), z.array(z.enum(['S1', 'S2'])).min(1).max(2))
    .default({ 'first-semester': ['S1'], 'second-semester': ['S2'], 'full-year': ['S1', 'S2'] }),
});
export type PickerSettings = z.infer<typeof settingsSchema>;

type Dict = Record<string, unknown>;
const load = (lang: Lang): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}/picker.json`, import.meta.url), 'utf8')) as Dict;
const dicts: Record<Lang, Dict> = { fr: load('fr'), en: load('en') };

/** A string of the `picker` part in `lang`, for code that runs without a request (hook taps). */
export function str(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), dicts[lang]);
  if (typeof v !== 'string') throw new TypeError(`course-picker: missing string "${key}" (${lang})`);
  return v.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => String(vars[k] ?? ''));
}

/** The mobility engine's actor for the signed-in person of a request, with their language. */
export const actorOf = (ctx: Ctx): MobilityActor => ({
  institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, label: ctx.principal.label, language: ctx.language, requestId: ctx.requestId,
});

/** A positive integer id from the URL, or a 404 in the user's language. */
export function idParam(ctx: Ctx, name = 'id'): number {
  const raw = String(ctx.params[name] ?? '');
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw notFound(ctx);
  return Number(raw);
}

export const notFound = (ctx: Ctx): SmileError => new SmileError(ErrorCodes.NOT_FOUND, ctx.t('course-picker:picker.errors.notFound'), { status: 404 });

/** Why a change to a choice was refused; `reason` picks the message, `vars` fill it. */
export class PickerRefusal extends SmileError {
  constructor(
    readonly reason: 'version' | 'submitted' | 'closed' | 'locked' | 'unknown' | 'duplicate' | 'forbidden' | 'not-at-step' | 'no-seat' | 'rule' | 'comment' | 'decided-meanwhile' | 'below-taken' | 'already-approved',
    readonly vars: Record<string, string | number> = {},
    readonly text: string | null = null,
  ) {
    const status = { version: 409, submitted: 409, closed: 409, locked: 409, unknown: 404, duplicate: 409, forbidden: 403, 'not-at-step': 409, 'no-seat': 409, rule: 422, comment: 400, 'decided-meanwhile': 409, 'below-taken': 422, 'already-approved': 409 }[reason];
    super(status === 409 ? ErrorCodes.CONFLICT : status === 403 ? ErrorCodes.FORBIDDEN : status === 404 ? ErrorCodes.NOT_FOUND : ErrorCodes.VALIDATION, text ?? `course choice: ${reason}`, { status });
  }
}

/** The message of a refusal in `lang`. */
export const refusalText = (lang: Lang, e: PickerRefusal): string => e.text ?? str(lang, `picker.errors.${e.reason}`, e.vars);

const FRENCH_SPEAKING = new Set(['FR', 'BE', 'CH', 'LU', 'MC']);

/** The language the file's person reads: their choice, else a guess from the home country (as the mobility mail does). */
export const fileLanguage = (file: { language: 'fr' | 'en' | null; home: { country: string | null } }): Lang =>
  file.language === 'fr' || file.language === 'en' ? file.language : FRENCH_SPEAKING.has((file.home.country ?? '').toUpperCase()) ? 'fr' : 'en';

/** An HTML id part for a code (codes are any printable text): other characters as `_<hex>`. */
export const domId = (code: string): string => code.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);

/** A title in `lang`, falling back to the other language. */
export const titleIn = (lang: Lang, fr: string | null | undefined, en: string | null | undefined): string => (lang === 'en' ? en || fr || '' : fr || en || '');

/**
 * The terms a file's mobility covers: the exchange type's (settings), else from the planned dates
 * (a stay starting in January to June is semester 2; one starting from July and ending by February
 * is semester 1), else the whole year.
 */
export function termsOfFile(settings: PickerSettings, file: { exchangeType: string; plannedStart: string | null; plannedEnd: string | null }): Term[] {
  const configured = settings.terms[file.exchangeType];
  if (configured?.length) return [...new Set(configured)].sort() as Term[];
  if (file.plannedStart && file.plannedEnd) {
    const start = new Date(`${file.plannedStart}T00:00:00Z`);
    const end = new Date(`${file.plannedEnd}T00:00:00Z`);
    const months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
    if (months <= 7) return start.getUTCMonth() < 6 ? ['S2'] : ['S1'];
  }
  return ['S1', 'S2'];
}

/** Settings of the plugin for an institution read inside a transaction (the institutions cache may query the database). */
export async function settingsIn(
  trx: { (table: string): any },
  institutionId: number,
  settingsFor: (inst: any) => PickerSettings,
): Promise<PickerSettings> {
  const row = await trx('institutions').where({ id: institutionId }).first('code', 'settings');
  return settingsFor({ code: row?.code, settings: row?.settings ?? {} });
}
