import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { LA_FONT, renderWithDejaVu } from './fonts.js';
import { isFullySigned, laDocumentHash, type LaDocument, type LaSignature } from './model.js';
import { pdfStrings, type LaPdfLanguage } from './pdf-strings.js';
import {
  changesTable, institutionTable, signaturesTable, studentTable, tableA, tableB, tableC, type PdfContext,
} from './pdf-tables.js';

export type { LaPdfLanguage } from './pdf-strings.js';

const DEFAULT_COLOUR = '#1f4e79';

/** A data URL for a PNG or JPEG logo; anything else is left out rather than failing the document. */
function logoDataUrl(logo: Buffer | undefined): string | undefined {
  if (!logo || logo.length < 4) return undefined;
  if (logo[0] === 0x89 && logo[1] === 0x50 && logo[2] === 0x4e && logo[3] === 0x47) return `data:image/png;base64,${logo.toString('base64')}`;
  if (logo[0] === 0xff && logo[1] === 0xd8 && logo[2] === 0xff) return `data:image/jpeg;base64,${logo.toString('base64')}`;
  return undefined;
}

/**
 * Signatures under "before the mobility": those of this document when it is the first version,
 * else those the first version received (kept in `previousVersions`).
 */
function firstVersionSignatures(doc: LaDocument): { signatures: LaSignature[]; hash?: string } {
  if (!doc.changes) return { signatures: doc.signatures, hash: undefined };
  const first = doc.previousVersions?.find((v) => v.changes === null && isFullySigned(v.signatures))
    ?? doc.previousVersions?.find((v) => v.changes === null);
  return first ? { signatures: first.signatures, hash: first.hash } : { signatures: [], hash: undefined };
}

/**
 * The pdfmake definition of a Learning Agreement, following the Erasmus+ template: branding
 * header, student and institution tables, "before the mobility" (Tables A, B, C with ECTS totals,
 * language competence, commitment, signatures), "during the mobility" when there are changes
 * (Tables A2, B2, C2 with the reasons, their signatures), page numbers, version and hash in the
 * footer. Pure: no I/O.
 */
export function laDocDefinition(doc: LaDocument, language: LaPdfLanguage): TDocumentDefinitions {
  const s = pdfStrings(language);
  const hash = laDocumentHash(doc);
  const colour = doc.branding.colour && /^#[0-9a-f]{6}$/i.test(doc.branding.colour) ? doc.branding.colour : DEFAULT_COLOUR;
  const ctx: PdfContext = { s, colour, hash };
  const logo = logoDataUrl(doc.branding.logo);

  const header: Content = {
    columns: [
      logo ? { image: logo, fit: [110, 50], width: 120 } : { text: '', width: 0 },
      {
        stack: [
          { text: doc.branding.institutionName, style: 'brand', color: colour },
          { text: s.t('title'), style: 'h1' },
          { text: s.t('subtitle'), style: 'small' },
          { text: s.t('header', { year: doc.academicYear, version: doc.version }), style: 'small' },
        ],
      },
    ],
    columnGap: 10,
    margin: [0, 0, 0, 10],
  };

  const lang = doc.languageOfInstruction;
  const level = lang.cefrLevel === null ? s.t('notKnownYet') : lang.cefrLevel === 'NS' ? s.t('nativeSpeaker') : lang.cefrLevel;
  const first = firstVersionSignatures(doc);
  // A first version is judged against this document's hash; the first version's own signatures
  // (shown when this is a later version) against the hash recorded with them.
  const firstExpected = doc.changes ? first.hash : hash;
  const shortTerm = doc.mobility.type === 'blended-short-term' || doc.mobility.type === 'short-term-doctoral';

  const before: Content[] = [
    { text: s.t('sections.before'), style: 'h2', color: colour },
    {
      text: [
        { text: s.t('labelled', { label: s.t('fields.period'), value: '' }), bold: true },
        s.t('period', { start: s.date(doc.mobility.start), end: s.date(doc.mobility.end) }),
        { text: '\n' + s.t('labelled', { label: s.t('fields.mobilityType'), value: '' }), bold: true },
        s.t(`mobilityTypes.${doc.mobility.type}`),
      ],
      margin: [0, 0, 0, 6],
    },
    tableA(doc.tables.studied, ctx),
  ];
  if (doc.learningOutcomesUrl) before.push({ text: s.t('catalogueLink', { url: doc.learningOutcomesUrl }), style: 'small', link: doc.learningOutcomesUrl, margin: [0, 0, 0, 6] });
  if (!shortTerm) before.push(tableB(doc.tables.recognised, ctx));
  if (doc.provisionsUrl) before.push({ text: s.t('provisionsLink', { url: doc.provisionsUrl }), style: 'small', link: doc.provisionsUrl, margin: [0, 0, 0, 6] });
  if (!shortTerm && (doc.tables.virtual.length > 0 || doc.mobility.type === 'blended')) before.push(tableC(doc.tables.virtual, ctx));
  before.push(
    { text: s.t('language', { language: s.languageName(lang.language), level }), margin: [0, 4, 0, 8] },
    {
      stack: [
        { text: s.t('sections.commitment'), style: 'h3' },
        { text: s.t('commitment'), style: 'small', alignment: 'justify', margin: [0, 0, 0, 6] },
      ],
      unbreakable: true,
    },
    { stack: [{ text: s.t('sections.signatures'), style: 'h3' }, signaturesTable(doc, first.signatures, ctx, firstExpected)], unbreakable: true },
  );

  const during: Content[] = [];
  if (doc.changes) {
    const c = doc.changes;
    during.push(
      { text: s.t('sections.during'), style: 'h2', color: colour, pageBreak: 'before' },
      { text: s.t('changesIntro'), style: 'small', margin: [0, 0, 0, 6] },
      changesTable(s.t('tables.a2'), c.studied, ctx),
    );
    if (c.recognised.length || !shortTerm) during.push(changesTable(s.t('tables.b2'), c.recognised, ctx));
    if (c.virtual.length) during.push(changesTable(s.t('tables.c2'), c.virtual, ctx));
    during.push({ stack: [{ text: s.t('sections.changesSignatures'), style: 'h3' }, signaturesTable(doc, doc.signatures, ctx, hash)], unbreakable: true });
  }

  return {
    pageSize: 'A4',
    pageMargins: [36, 36, 36, 48],
    language: language === 'fr' ? 'fr-FR' : 'en-GB',
    info: {
      title: `${s.t('title')} — ${doc.student.givenNames} ${doc.student.familyName}`,
      author: doc.branding.institutionName,
      subject: `${doc.omobilityId} v${doc.version} ${hash}`,
      creator: 'SMILE',
    },
    defaultStyle: { font: LA_FONT, fontSize: 8.5, lineHeight: 1.15 },
    styles: {
      brand: { fontSize: 11, bold: true },
      h1: { fontSize: 16, bold: true, margin: [0, 2, 0, 2] },
      h2: { fontSize: 13, bold: true, margin: [0, 8, 0, 6] },
      h3: { fontSize: 10, bold: true, margin: [0, 6, 0, 3] },
      th: { bold: true, color: '#ffffff', fontSize: 8 },
      label: { bold: true, fontSize: 7.5, color: '#333333' },
      small: { fontSize: 7.5 },
      hash: { fontSize: 6.5, color: '#333333' },
      warning: { fontSize: 7.5, bold: true, color: '#a4000f' },
    },
    content: [header, studentTable(doc, ctx), institutionTable(doc.sending, 'sending', ctx), institutionTable(doc.receiving, 'receiving', ctx), ...before, ...during],
    footer: (page: number, pages: number) => ({
      columns: [
        { text: s.t('footer.version', { version: doc.version, hash }), fontSize: 6.5, color: '#555555' },
        { text: s.t('footer.page', { page, pages }), fontSize: 7, alignment: 'right', width: 80 },
      ],
      margin: [36, 14, 36, 0],
    }),
  };
}

/** Renders a Learning Agreement to a PDF (A4, DejaVu Sans embedded, every European script). */
export function renderLaPdf(doc: LaDocument, language: LaPdfLanguage): Promise<Buffer> {
  return renderWithDejaVu(laDocDefinition(doc, language));
}
