/**
 * The student's forms as posted: the first version's edit (Table B in rows, the sending
 * coordinator, the language level) and a change proposal (components to delete with a reason,
 * rows to add). Parsing keeps every value typed, so that a refused form is shown again as it was.
 * @packageDocumentation
 */
import { formField } from '@smile/sdk';
import { LA_ADD_REASONS, LA_DELETE_REASONS, type LaDocument, type LaRecognisedComponent } from './model.js';
import { currentComponents, termOf, type StudentEdit } from './store-build.js';
import type { ChangeItem } from './store-types.js';
import { termCode } from './routes-common.js';

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Every value of a repeated field, blanks kept, so that row i of each column lines up. */
export function column(body: unknown, name: string): string[] {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((v) => (typeof v === 'string' ? v.replace(CONTROL, '').trim() : ''));
}

/** Field errors: input id → string key under `la.form.errors.`. */
export type FieldErrors = Record<string, string>;

export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'NS'] as const;
export const TERM_CODES = ['S1', 'S2', 'Y'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A Table B row as the form shows it. */
export interface RowValues { code: string; title: string; term: string; ects: string; auto: string }
/** The edit form's values. */
export interface EditValues {
  cefr: string;
  unit: string;
  givenNames: string; familyName: string; email: string; position: string; phone: string;
  rows: RowValues[];
}

/** The form's values from a version (plus blank rows to add components). */
export function editValuesOf(doc: LaDocument): EditValues {
  const c = doc.sending.responsiblePerson;
  const rows = doc.tables.recognised.map((r) => ({ code: r.code ?? '', title: r.title, term: termCode(r.term), ects: String(r.ects), auto: r.automaticRecognition ? 'yes' : 'no' }));
  return {
    cefr: doc.languageOfInstruction.cefrLevel ?? '', unit: doc.sending.unit?.name ?? '', givenNames: c.givenNames, familyName: c.familyName, email: c.email,
    position: c.position ?? '', phone: c.phone ?? '', rows: withBlankRows(rows),
  };
}

const withBlankRows = (rows: RowValues[]): RowValues[] => [...rows, ...Array.from({ length: Math.max(2, 4 - rows.length) }, () => ({ code: '', title: '', term: '', ects: '', auto: 'yes' }))];

/** ECTS as typed (comma or point), or `null`. */
export function ectsOf(s: string): number | null {
  const n = Number(s.replace(',', '.'));
  return s !== '' && Number.isFinite(n) && n > 0 && n <= 60 ? Math.round(n * 10) / 10 : null;
}

/** Parse the edit form: the values as typed, the errors, and the edit when there are none. */
export function parseEdit(body: unknown): { values: EditValues; errors: FieldErrors; edit: StudentEdit | null } {
  const f = (n: string) => formField(body, n);
  const codes = column(body, 'bCode'), titles = column(body, 'bTitle'), terms = column(body, 'bTerm'), ects = column(body, 'bEcts'), autos = column(body, 'bAuto');
  const n = Math.min(Math.max(titles.length, codes.length, ects.length), 60);
  const rows: RowValues[] = Array.from({ length: n }, (_, i) => ({ code: codes[i] ?? '', title: titles[i] ?? '', term: terms[i] ?? '', ects: ects[i] ?? '', auto: autos[i] === 'no' ? 'no' : 'yes' }));
  const values: EditValues = { cefr: f('cefr'), unit: f('unit'), givenNames: f('givenNames'), familyName: f('familyName'), email: f('email'), position: f('position'), phone: f('phone'), rows };
  const errors: FieldErrors = {};
  if (!(CEFR_LEVELS as readonly string[]).includes(values.cefr)) errors.cefr = 'cefr';
  if (!values.unit) errors['coord-unit'] = 'required';
  if (!values.givenNames) errors['coord-givenNames'] = 'required';
  if (!values.familyName) errors['coord-familyName'] = 'required';
  if (!EMAIL.test(values.email)) errors['coord-email'] = 'email';
  const recognised: LaRecognisedComponent[] = [];
  rows.forEach((r, i) => {
    if (!r.code && !r.title && !r.ects) return;
    if (!r.title) errors[`b-title-${i}`] = 'required';
    const e = ectsOf(r.ects);
    if (e === null) errors[`b-ects-${i}`] = 'ects';
    if (!(TERM_CODES as readonly string[]).includes(r.term)) errors[`b-term-${i}`] = 'term';
    if (r.title && e !== null) {
      recognised.push({ ...(r.code ? { code: r.code.slice(0, 64) } : {}), title: r.title.slice(0, 300), term: termOf(r.term === 'Y' ? null : r.term), ects: e, automaticRecognition: r.auto !== 'no' });
    }
  });
  if (recognised.length === 0 && !Object.keys(errors).some((k) => k.startsWith('b-'))) errors['b-title-0'] = 'tableB';
  values.rows = withBlankRows(rows.filter((r) => r.code || r.title || r.ects));
  if (Object.keys(errors).length) return { values, errors, edit: null };
  const coordinator = { givenNames: values.givenNames.slice(0, 200), familyName: values.familyName.slice(0, 200), email: values.email.slice(0, 320),
    ...(values.position ? { position: values.position.slice(0, 200) } : {}), ...(values.phone ? { phone: values.phone.slice(0, 50) } : {}) };
  return { values, errors, edit: { recognised, coordinator, sendingUnit: values.unit.slice(0, 300), cefrLevel: values.cefr } };
}

/** A change form's values: a reason per present component (blank: kept), rows to add. */
export interface ChangeValues {
  del: Record<string, { reason: string; text: string }>;
  add: Array<{ table: string; code: string; title: string; term: string; ects: string; reason: string; text: string }>;
}

export const blankChange = (): ChangeValues => ({ del: {}, add: Array.from({ length: 3 }, () => ({ table: 'studied', code: '', title: '', term: '', ects: '', reason: '', text: '' })) });

/** Parse a change proposal against the components of the signed version it changes. */
export function parseChange(body: unknown, base: LaDocument): { values: ChangeValues; errors: FieldErrors; items: ChangeItem[] } {
  const present = currentComponents(base);
  const values: ChangeValues = { del: {}, add: [] };
  const errors: FieldErrors = {};
  const items: ChangeItem[] = [];
  for (const table of ['studied', 'recognised'] as const) {
    present[table].forEach((c, i) => {
      const id = `${table}-${i}`;
      const reason = formField(body, `del-${id}`);
      const text = formField(body, `deltext-${id}`).slice(0, 500);
      values.del[id] = { reason, text };
      if (!reason) return;
      if (!(LA_DELETE_REASONS as readonly string[]).includes(reason)) errors[`del-${id}`] = 'reason';
      else if (reason === 'other' && !text) errors[`deltext-${id}`] = 'reasonText';
      else items.push({ table, change: 'deleted', reason: reason as ChangeItem['reason'] & typeof LA_DELETE_REASONS[number], ...(text ? { reasonText: text } : {}), component: { ...c } } as ChangeItem);
    });
  }
  const tables = column(body, 'addTable'), codes = column(body, 'addCode'), titles = column(body, 'addTitle'), terms = column(body, 'addTerm');
  const ects = column(body, 'addEcts'), reasons = column(body, 'addReason'), texts = column(body, 'addText');
  const n = Math.min(titles.length, 30);
  for (let i = 0; i < n; i++) {
    const row = { table: tables[i] === 'recognised' ? 'recognised' : 'studied', code: codes[i] ?? '', title: titles[i] ?? '', term: terms[i] ?? '', ects: ects[i] ?? '', reason: reasons[i] ?? '', text: (texts[i] ?? '').slice(0, 500) };
    values.add.push(row);
    if (!row.code && !row.title && !row.ects) continue;
    if (!row.title) errors[`add-title-${i}`] = 'required';
    const e = ectsOf(row.ects);
    if (e === null) errors[`add-ects-${i}`] = 'ects';
    if (!(TERM_CODES as readonly string[]).includes(row.term)) errors[`add-term-${i}`] = 'term';
    if (!(LA_ADD_REASONS as readonly string[]).includes(row.reason)) errors[`add-reason-${i}`] = 'reason';
    else if (row.reason === 'other' && !row.text) errors[`add-text-${i}`] = 'reasonText';
    if (row.title && e !== null && !errors[`add-term-${i}`] && !errors[`add-reason-${i}`] && !errors[`add-text-${i}`]) {
      const term = termOf(row.term === 'Y' ? null : row.term);
      const component = row.table === 'recognised'
        ? { ...(row.code ? { code: row.code.slice(0, 64) } : {}), title: row.title.slice(0, 300), term, ects: e, automaticRecognition: true }
        : { ...(row.code ? { code: row.code.slice(0, 64) } : {}), title: row.title.slice(0, 300), term, ects: e };
      items.push({ table: row.table as 'studied' | 'recognised', change: 'added', reason: row.reason as typeof LA_ADD_REASONS[number], ...(row.text ? { reasonText: row.text } : {}), component });
    }
  }
  while (values.add.length < 3) values.add.push({ table: 'studied', code: '', title: '', term: '', ects: '', reason: '', text: '' });
  if (items.length === 0 && Object.keys(errors).length === 0) errors['change-form'] = 'noChange';
  return { values, errors, items };
}
