/**
 * Field values as the back office shows them (element and formation pages, imported values,
 * change history): in the page language, never raw JSON.
 * @packageDocumentation
 */
import type { TimetableSlot } from './types.js';
import type { Ctx } from './admin-common.js';

/** What a value needs to be shown besides itself. */
export interface DisplayContext {
  /** Exchange types of the institution's settings. */
  exchangeTypes: { code: string; fr: string; en: string }[];
  /** Component codes by id (imported `componentCode` values are ids). */
  components?: Map<number, string>;
  /** Diploma / formation type codes by id. */
  types?: Map<number, string>;
}

const LOCALE = { fr: 'fr-FR', en: 'en-GB' } as const;

/** A value of `field` as text for people (`—` when empty). */
export function display(ctx: Ctx, field: string, value: unknown, d: DisplayContext): string {
  const t = (k: string, vars?: Record<string, string | number>) => ctx.t(`catalogue:admin.${k}`, vars);
  const none = t('none');
  if (field === 'exchangeTypes') {
    if (value === null || value === undefined) return t('allExchangeTypes');
    if (!Array.isArray(value) || !value.length) return t('allExchangeTypes');
    return value.map((c) => d.exchangeTypes.find((x) => x.code === c)?.[ctx.language] ?? String(c)).join(', ');
  }
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return none;
  if (field === 'openToMobility') return t(value ? 'open' : 'closed');
  if (field === 'semester') return ['S1', 'S2', 'annual'].includes(String(value)) ? t(`semesters.${value}`) : String(value);
  if (field === 'componentCode') return typeof value === 'number' ? (d.components?.get(value) ?? `#${value}`) : String(value);
  if (field === 'diplomaType' || field === 'formationType') return typeof value === 'number' ? (d.types?.get(value) ?? `#${value}`) : String(value);
  if (field === 'timetable' && Array.isArray(value)) {
    return (value as TimetableSlot[])
      .map((s) => [`${t(`days.${s.day}`)} ${s.start}–${s.end}`, s.room, s.kind].filter(Boolean).join(', '))
      .join(' ; ');
  }
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'number' || (typeof value === 'string' && ['ects', 'mobilityEcts', 'hours'].includes(field) && value.trim() !== '' && Number.isFinite(Number(value)))) {
    return new Intl.NumberFormat(LOCALE[ctx.language]).format(Number(value));
  }
  if (typeof value === 'boolean') return t(value ? 'yes' : 'no');
  if (typeof value === 'object') return JSON.stringify(value);
  const s = String(value);
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

/** The label of a model field. */
export const fieldLabel = (ctx: Ctx, field: string): string => ctx.t(`catalogue:admin.fields.${field}`);
