import { SyncWaterfallHook } from 'tapable';
import { defineHooks } from '@smile/sdk';
import type { Bilingual } from '@smile/sdk';

/** A macro a template may use, as `{{name}}`. */
export interface MacroDefinition {
  /** Dotted name, e.g. `student.firstName`. */
  name: string;
  description: Bilingual;
  /** Value used by the editor's preview. */
  example: string;
}

/** Hooks the mailing plugin owns; other plugins tap them with `r.hooksOf(mailingHooks)` (and `dependsOn: mailing`). */
export const mailingHooks = defineHooks('mailing', () => ({
  /**
   * The macros templates may use. Taps return the list with their own definitions added
   * (e.g. `student.firstName`, `step.label`); the template editor lists them, the preview uses their
   * examples, and saving a template that uses a macro absent from the list is refused.
   * @since 0.1.0
   * @mutates yes — return the list
   */
  transformMacros: new SyncWaterfallHook<[MacroDefinition[]]>(['macros']),
}));

/** The macros the mailing plugin defines itself. */
export const BUILTIN_MACROS: MacroDefinition[] = [
  { name: 'host.name', description: { fr: 'Nom de l’établissement d’accueil', en: 'Name of the host institution' }, example: 'Université Exemple' },
  { name: 'link', description: { fr: 'Lien vers la page concernée', en: 'Link to the page concerned' }, example: 'https://smile.example.org/mobility' },
  { name: 'deadline', description: { fr: 'Date limite (jj/mm/aaaa en français, aaaa-mm-jj en anglais)', en: 'Deadline (dd/mm/yyyy in French, yyyy-mm-dd in English)' }, example: '15/06/2027' },
  { name: 'today', description: { fr: 'Date du jour de l’envoi', en: 'Date the mail is sent' }, example: '01/06/2027' },
  { name: 'comment', description: { fr: 'Commentaire laissé par la personne qui a agi (refus, validation)', en: 'Comment left by the person who acted (refusal, validation)' }, example: 'The transcript is not legible.' },
  // the mobility file's macros: the seeded templates use them, so they exist even before the
  // mobility plugin taps transformMacros (a tap defining the same name replaces the definition)
  { name: 'student.firstName', description: { fr: 'Prénom de l’étudiant·e', en: 'First name of the student' }, example: 'Ana' },
  { name: 'student.lastName', description: { fr: 'Nom de l’étudiant·e', en: 'Last name of the student' }, example: 'Silva' },
  { name: 'home.name', description: { fr: 'Nom de l’établissement d’origine', en: 'Name of the home institution' }, example: 'Universidade de Lisboa' },
  { name: 'step.label', description: { fr: 'Nom de l’étape du dossier', en: 'Name of the step of the file' }, example: 'Course selection' },
];

/** Keep the last definition of each name (a tap may redefine a built-in macro), sorted by name. */
export function dedupeMacros(list: readonly MacroDefinition[]): MacroDefinition[] {
  const byName = new Map<string, MacroDefinition>();
  for (const d of list) if (d && typeof d.name === 'string') byName.set(d.name, d);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** `{{ name }}` with optional spaces; names are dotted identifiers. */
const MACRO = /\{\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*\}\}/g;

/** The macro names a text uses, each once, in order of appearance. */
export function macrosIn(text: string): string[] {
  return [...new Set([...text.matchAll(MACRO)].map((m) => m[1]!))];
}

/** The macros `text` uses that are not in `definitions`. */
export function unknownMacros(text: string, definitions: readonly MacroDefinition[]): string[] {
  const known = new Set(definitions.map((d) => d.name));
  return macrosIn(text).filter((n) => !known.has(n));
}

/** Nested values for rendering: `{ student: { firstName: 'Ana' } }` answers `student.firstName`. */
export type MacroValues = { [key: string]: string | number | Date | null | undefined | MacroValues };

/** What {@link renderTemplate} produced. */
export interface Rendered {
  text: string;
  html: string;
  /** Macros that had no value (rendered as empty). */
  missing: string[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function lookup(values: MacroValues, name: string): string | undefined {
  let v: unknown = values;
  for (const part of name.split('.')) {
    if (v === null || typeof v !== 'object' || v instanceof Date || !Object.prototype.hasOwnProperty.call(v, part)) {
      // a flat key with dots is accepted too: { 'student.firstName': 'Ana' }
      v = undefined;
      break;
    }
    v = (v as Record<string, unknown>)[part];
  }
  if (v === undefined && Object.prototype.hasOwnProperty.call(values, name)) v = values[name];
  if (v === null || v === undefined || (typeof v === 'object' && !(v instanceof Date))) return undefined;
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
}

/**
 * Replace every `{{ macro }}` of `text` with its value from `values`. The text part keeps values as
 * they are; the HTML part escapes the text and the values, keeps line breaks and turns blank lines
 * into paragraphs. A macro without value renders as empty and is listed in `missing`.
 */
export function renderTemplate(text: string, values: MacroValues): Rendered {
  const missing = new Set<string>();
  const value = (name: string) => {
    const v = lookup(values, name);
    if (v === undefined) missing.add(name);
    return v ?? '';
  };
  const plain = text.replace(MACRO, (_m, name: string) => value(name));
  const paragraphs = text.split(/\r?\n\s*\r?\n/).map((p) => {
    let html = '';
    let last = 0;
    for (const m of p.matchAll(MACRO)) {
      html += escapeHtml(p.slice(last, m.index)) + escapeHtml(value(m[1]!));
      last = m.index! + m[0].length;
    }
    html += escapeHtml(p.slice(last));
    return `<p>${html.trim().replace(/\r?\n/g, '<br>\n')}</p>`;
  });
  return { text: plain, html: paragraphs.filter((p) => p !== '<p></p>').join('\n'), missing: [...missing] };
}

/** Format a date for a mail in `language` (`dd/mm/yyyy` in French, ISO in English). */
export function formatDate(d: Date, language: 'fr' | 'en'): string {
  const iso = d.toISOString().slice(0, 10);
  if (language === 'en') return iso;
  const [y, m, day] = iso.split('-');
  return `${day}/${m}/${y}`;
}
