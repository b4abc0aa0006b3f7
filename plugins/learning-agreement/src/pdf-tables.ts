import type { Content, TableCell } from 'pdfmake/interfaces.js';
import {
  ectsTotal, LA_PARTIES, signatureOf,
  type LaChange, type LaComponentPart, type LaDocument, type LaInstitution, type LaPerson, type LaRecognisedComponent,
  type LaSignature, type LaStudiedComponent, type LaVirtualComponent,
} from './model.js';
import type { PdfStrings } from './pdf-strings.js';

/** What the table builders need besides the data. */
export interface PdfContext {
  s: PdfStrings;
  /** Brand colour for table headers. */
  colour: string;
  /** Hash of the document being rendered. */
  hash: string;
}

/** Thin grey grid, shared by every table. */
export const gridLayout = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => '#9a9a9a',
  vLineColor: () => '#9a9a9a',
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 2,
  paddingBottom: () => 2,
};

const CHECK = '✓';

function head(ctx: PdfContext, text: string, extra: Partial<{ colSpan: number; alignment: 'right' }> = {}): TableCell {
  return { text, style: 'th', fillColor: ctx.colour, ...extra };
}

function label(text: string): TableCell {
  return { text, style: 'label' };
}

function personText(p: LaPerson, ctx: PdfContext, withPosition: boolean): Content {
  const lines = [
    { text: `${p.givenNames} ${p.familyName}`, bold: true },
    withPosition && p.position ? `\n${p.position}` : '',
    `\n${p.email}`,
    p.phone ? `\n${ctx.s.t('fields.phone')} ${p.phone}` : '',
  ];
  return { text: lines };
}

/** Student table. */
export function studentTable(doc: LaDocument, ctx: PdfContext): Content {
  const { s } = ctx;
  const st = doc.student;
  const eqf = doc.eqfLevel === null ? '' : s.t(`eqf.${doc.eqfLevel}`);
  const cycle = doc.eqfLevel === null ? s.t('notKnownYet') : s.t('eqf.level', { level: doc.eqfLevel }) + (eqf.startsWith('eqf.') ? '' : ` (${eqf})`);
  const field = `${doc.fieldOfEducation.iscedCode} ${doc.fieldOfEducation.label}` +
    (doc.fieldOfEducation.clarification ? ` — ${doc.fieldOfEducation.clarification}` : '');
  const body: TableCell[][] = [
    [head(ctx, s.t('sections.student'), { colSpan: 4 }), {}, {}, {}],
    [label(s.t('fields.familyName')), { text: st.familyName, bold: true }, label(s.t('fields.givenNames')), { text: st.givenNames, bold: true }],
    [label(s.t('fields.birthDate')), s.date(st.birthDate), label(s.t('fields.nationality')), s.country(st.nationality)],
    [label(s.t('fields.gender')), s.t(`genders.${st.gender}`), label(s.t('fields.email')), st.email],
    [label(s.t('fields.studyCycle')), cycle, label(s.t('fields.fieldOfEducation')), field],
  ];
  if (st.esi) body.push([label(s.t('fields.esi')), { text: st.esi, colSpan: 3, style: 'small' }, {}, {}]);
  return { table: { widths: [80, '*', 80, '*'], body, dontBreakRows: true }, layout: gridLayout, margin: [0, 0, 0, 6] };
}

/** Sending or receiving institution table. */
export function institutionTable(inst: LaInstitution, which: 'sending' | 'receiving', ctx: PdfContext): Content {
  const { s } = ctx;
  const body: TableCell[][] = [
    [head(ctx, s.t(`sections.${which}`), { colSpan: 4 }), {}, {}, {}],
    [label(s.t('fields.name')), { text: inst.name, bold: true, colSpan: 3 }, {}, {}],
    [label(s.t('fields.unit')), inst.unit?.name ?? '', label(s.t('fields.erasmusCode')), inst.erasmusCode ?? ''],
    [label(s.t('fields.schac')), inst.schac, label(s.t('fields.country')), s.country(inst.country)],
  ];
  if (inst.address) body.push([label(s.t('fields.address')), { text: inst.address, colSpan: 3 }, {}, {}]);
  body.push([
    label(s.t('fields.contactPerson')), personText(inst.contactPerson, ctx, false),
    label(s.t('fields.responsiblePerson')), personText(inst.responsiblePerson, ctx, true),
  ]);
  return { table: { widths: [80, '*', 80, '*'], body, dontBreakRows: true }, layout: gridLayout, margin: [0, 0, 0, 6] };
}

function totalRow(ctx: PdfContext, columns: number, ects: number): TableCell[] {
  const row: TableCell[] = [{ text: ctx.s.t('total'), bold: true, alignment: 'right', colSpan: columns - 1 }];
  for (let i = 1; i < columns - 1; i++) row.push({});
  row.push({ text: ctx.s.number(ects), bold: true, alignment: 'right' });
  return row;
}

function titleCell(c: { title: string; learningOutcomesUrl?: string; includes?: LaComponentPart[] }, ctx: PdfContext, note?: string): TableCell {
  const parts: Content[] = [c.title];
  if (c.includes?.length) parts.push({ text: `\n${includesText(c.includes, ctx)}`, style: 'small' });
  if (c.learningOutcomesUrl) parts.push({ text: `\n${ctx.s.t('learningOutcomes')}: ${c.learningOutcomesUrl}`, style: 'small', link: c.learningOutcomesUrl });
  if (note) parts.push({ text: `\n${note}`, style: 'small' });
  return { text: parts };
}

/** "Includes: EC1 Title, EC2 Title": the chosen parts a unit's credits cover. */
export function includesText(parts: LaComponentPart[], ctx: PdfContext): string {
  return ctx.s.t('includes', { list: parts.map((p) => `${p.code} ${p.title}`).join('; ') });
}

/**
 * A table whose title is its first header row: the title repeats with the column headings when
 * the table continues on the next page, and can never be left alone at the bottom of a page.
 */
function titledTable(ctx: PdfContext, title: string, widths: (number | string)[], columns: TableCell[], rows: TableCell[][], total?: TableCell[]): Content {
  const n = widths.length;
  const filler = (): TableCell[] => Array.from({ length: n - 1 }, () => ({}));
  const body: TableCell[][] = [
    [{ text: title, style: 'h3', colSpan: n, border: [false, false, false, false] }, ...filler()],
    columns,
    ...(rows.length ? rows : [[{ text: ctx.s.t('none'), italics: true, colSpan: n }, ...filler()]]),
  ];
  if (total && rows.length) body.push(total);
  return { table: { headerRows: 2, keepWithHeaderRows: 1, widths, body, dontBreakRows: true }, layout: gridLayout, margin: [0, 0, 0, 6] };
}

/** Table A. */
export function tableA(rows: LaStudiedComponent[], ctx: PdfContext, title = ctx.s.t('tables.a')): Content {
  const { s } = ctx;
  const columns = [head(ctx, s.t('columns.code')), head(ctx, s.t('columns.title')), head(ctx, s.t('columns.term')), head(ctx, s.t('columns.ects'), { alignment: 'right' })];
  const body = rows.map((c): TableCell[] => [c.code ?? '', titleCell(c, ctx), s.term(c.term), { text: s.number(c.ects), alignment: 'right' }]);
  return titledTable(ctx, title, [70, '*', 75, 45], columns, body, totalRow(ctx, 4, ectsTotal(rows)));
}

/** Table B. */
export function tableB(rows: LaRecognisedComponent[], ctx: PdfContext): Content {
  const { s } = ctx;
  const columns = [head(ctx, s.t('columns.code')), head(ctx, s.t('columns.title')), head(ctx, s.t('columns.term')), head(ctx, s.t('columns.automatic')), head(ctx, s.t('columns.ects'), { alignment: 'right' })];
  const body = rows.map((c): TableCell[] => [
    c.code ?? '',
    titleCell(c, ctx, !c.automaticRecognition && c.recognitionConditions ? s.t('conditions', { text: c.recognitionConditions }) : undefined),
    s.term(c.term),
    s.t(c.automaticRecognition ? 'yes' : 'no'),
    { text: s.number(c.ects), alignment: 'right' },
  ]);
  return titledTable(ctx, s.t('tables.b'), [60, '*', 62, 78, 40], columns, body, totalRow(ctx, 5, ectsTotal(rows)));
}

/** Table C. */
export function tableC(rows: LaVirtualComponent[], ctx: PdfContext): Content {
  const { s } = ctx;
  const columns = [head(ctx, s.t('columns.code')), head(ctx, s.t('columns.title')), head(ctx, s.t('columns.description')), head(ctx, s.t('columns.term')), head(ctx, s.t('columns.ects'), { alignment: 'right' })];
  const body = rows.map((c): TableCell[] => [c.code ?? '', c.title, { text: c.description, style: 'small' }, s.term(c.term), { text: c.ects === undefined ? '' : s.number(c.ects), alignment: 'right' }]);
  return titledTable(ctx, s.t('tables.c'), [70, '*', '*', 65, 45], columns, body, totalRow(ctx, 5, ectsTotal(rows)));
}

type AnyChange = LaChange<LaStudiedComponent> | LaChange<LaRecognisedComponent> | LaChange<LaVirtualComponent>;

/** Table A2, B2 or C2. */
export function changesTable(title: string, rows: AnyChange[], ctx: PdfContext): Content {
  const { s } = ctx;
  const columns = [head(ctx, s.t('columns.code')), head(ctx, s.t('columns.title')), head(ctx, s.t('columns.deleted')), head(ctx, s.t('columns.added')), head(ctx, s.t('columns.reason')), head(ctx, s.t('columns.ects'), { alignment: 'right' })];
  const body = rows.map((c): TableCell[] => {
    const reason = s.t(`reasons.${c.change}.${c.reason}`) + (c.reasonText ? ` — ${c.reasonText}` : '');
    const term = 'term' in c ? s.term(c.term) : '';
    return [
      c.code ?? '',
      titleCell({ title: c.title, includes: 'includes' in c ? c.includes : undefined }, ctx, term || undefined),
      { text: c.change === 'deleted' ? CHECK : '', alignment: 'center' },
      { text: c.change === 'added' ? CHECK : '', alignment: 'center' },
      { text: reason, style: 'small' },
      { text: c.ects === undefined ? '' : s.number(c.ects), alignment: 'right' },
    ];
  });
  return titledTable(ctx, title, [60, '*', 52, 46, 120, 40], columns, body);
}

/**
 * The signatures table: one row per party, then the hash the signer bound to. A party that has
 * not signed shows its expected signer, so the reader sees who is missing.
 */
export function signaturesTable(doc: LaDocument, signatures: LaSignature[], ctx: PdfContext, expectedHash: string | undefined): Content {
  const { s } = ctx;
  const body: TableCell[][] = [[
    head(ctx, s.t('signature.party')), head(ctx, s.t('signature.name')), head(ctx, s.t('signature.email')),
    head(ctx, s.t('signature.date')), head(ctx, s.t('signature.status')),
  ]];
  for (const party of LA_PARTIES) {
    const sig = signatureOf(signatures, party);
    const expected: LaPerson | null = party === 'student' ? null : doc[party].responsiblePerson;
    if (!sig) {
      const who = expected ? `${expected.givenNames} ${expected.familyName}` : `${doc.student.givenNames} ${doc.student.familyName}`;
      body.push([
        { text: s.t(`signature.${party}`), style: 'label' },
        { text: [who, expected?.position ? `\n${expected.position}` : ''] },
        expected?.email ?? doc.student.email,
        '',
        { text: s.t('signature.pending'), italics: true },
      ]);
      continue;
    }
    const notes: Content[] = [{ text: s.t('signature.hash', { hash: sig.hashSigned }), style: 'hash' }];
    if (expectedHash && sig.hashSigned !== expectedHash) notes.push({ text: `\n${s.t('signature.otherVersion')}`, style: 'warning' });
    if (sig.ip) notes.push({ text: `\n${s.t('signature.ip', { ip: sig.ip })}`, style: 'small' });
    body.push([
      { text: s.t(`signature.${party}`), style: 'label' },
      { text: [{ text: sig.name, bold: true }, sig.position ? `\n${sig.position}` : ''] },
      sig.email,
      s.instant(sig.timestamp),
      { text: s.t(sig.onPaper ? 'signature.onPaper' : 'signature.signed'), bold: true, style: 'small' },
    ]);
    body.push([{ text: notes, colSpan: 5 }, {}, {}, {}, {}]);
  }
  return { table: { headerRows: 1, widths: [90, '*', 112, 64, 78], body, dontBreakRows: true }, layout: gridLayout, margin: [0, 0, 0, 6] };
}
