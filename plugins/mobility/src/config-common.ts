/**
 * What the configuration, registration and grid pages share: paths, the institution's time zone
 * for calendar dates, form errors with their summary, the conflict error.
 * @packageDocumentation
 */
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { Ctx } from './manager-common.js';

export const CONFIG = '/mobility/config';
export const REGISTER = '/mobility/register';
/** The grid's address (linked from the import page). */
export const GRID = '/mobility/import/grid';

/**
 * Application periods are typed as calendar days, and a day starts and ends at midnight where the
 * office is, not in UTC (a period "closing on 31 March" must still be open at 23:00 in Paris). The
 * platform has no per-institution time zone yet; the core's own pages use this one.
 */
export const TIME_ZONE = 'Europe/Paris';

/** A form's errors: field id → message in the reader's language. */
export type FieldErrors = Record<string, string>;

/** `YYYY-MM-DD` that is a real calendar day. */
export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** How far the time zone is ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: number): number {
  const p = Object.fromEntries(parts.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar day starts in {@link TIME_ZONE}. */
export function startOfDay(day: string): Date {
  const utc = Date.parse(`${day}T00:00:00Z`);
  // the offset of the instant itself, not of UTC midnight (they differ on the days clocks change)
  const guess = utc - offsetAt(utc);
  return new Date(utc - offsetAt(guess));
}

/** The last millisecond of a calendar day in {@link TIME_ZONE}. */
export function endOfDay(day: string): Date {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return new Date(startOfDay(next).getTime() - 1);
}

/** The calendar day of an instant in {@link TIME_ZONE}, as `YYYY-MM-DD`. */
export function dayOf(at: Date): string {
  const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today in {@link TIME_ZONE}. */
export const today = (): string => dayOf(new Date());

const longDates = {
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: TIME_ZONE }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: TIME_ZONE }),
};

/** A date as the reader writes it ("1 mars 2027", "1 March 2027"), in the office's time zone. */
export const longDate = (lang: 'fr' | 'en', at: Date | string): string =>
  longDates[lang].format(typeof at === 'string' && isDay(at) ? startOfDay(at) : new Date(at));

/** `2026` → `2026-2027`. */
export const yearLabel = (year: number): string => `${year}-${year + 1}`;

/** The error summary's entries, in the order of `order` (field ids). */
export function summaryOf(errors: FieldErrors, order: string[] = Object.keys(errors)): Array<{ id: string; message: string }> {
  const ids = [...order.filter((id) => errors[id]), ...Object.keys(errors).filter((id) => !order.includes(id))];
  return ids.map((id) => ({ id, message: errors[id]! }));
}

/** Someone saved the record since this form was built. */
export const conflict = (message: string): SmileError => new SmileError(ErrorCodes.CONFLICT, message, { status: 409 });

/** A whole number from a form field, or `null`. */
export function int(raw: string): number | null {
  return /^-?\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : null;
}

/** The record was not found (or belongs to another institution). */
export const missing = (ctx: Ctx): SmileError => new SmileError(ErrorCodes.NOT_FOUND, ctx.t('mobility:config.errors.notFound'), { status: 404 });
