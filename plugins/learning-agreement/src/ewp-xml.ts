import { SmileError } from '@smile/sdk';
import {
  isFullySigned, LA_GENDERS, laDocumentHash, signatureOf,
  type LaChangeTables, type LaDocument, type LaInstitution, type LaParty, type LaPreviousVersion,
  type LaRecognisedComponent, type LaSignature, type LaStudiedComponent, type LaTables, type LaTerm, type LaVirtualComponent,
} from './model.js';

/** Namespaces of the EWP Outgoing Mobility Learning Agreements API v1. */
export const EWP_NS = {
  getResponse: 'https://github.com/erasmus-without-paper/ewp-specs-api-omobility-las/blob/stable-v1/endpoints/get-response.xsd',
  updateRequest: 'https://github.com/erasmus-without-paper/ewp-specs-api-omobility-las/blob/stable-v1/endpoints/update-request.xsd',
  term: 'https://github.com/erasmus-without-paper/ewp-specs-types-academic-term/tree/stable-v2',
  phone: 'https://github.com/erasmus-without-paper/ewp-specs-types-phonenumber/tree/stable-v1',
} as const;

/** Error code when a Learning Agreement lacks what EWP requires. */
export const EWP_LA_INVALID = 'SMILE_ERR_EWP_LA_INVALID';

/** Options of {@link laToEwpXml}. */
export interface EwpXmlOptions {
  /** `signer-app` of every signature; default `SMILE`. */
  signerApp?: string;
}

// XML 1.0 forbids most control characters even escaped; they are dropped, never sent.
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML element content and attribute values. */
export function xmlEscape(value: string | number): string {
  return String(value)
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

const ASCII_ID = /^[\x21-\x7E]{1,64}$/;
const EMAIL = /^[^@]+@[^.]+\..+$/;
const DATE_OR_MONTH = /^\d{4}-\d{2}(-\d{2})?$/;
const HTTP_URL = /^https?:\/\/.+/;
const LOS_ID = /^(CR|CLS|MOD|DEP)\/.{1,40}$/;
const LOI_ID = /^(CRI|CLSI|MODI|DEPI)\/.{1,40}$/;

/** The states of an LA that EWP exposes, derived from its versions. */
interface EwpStates {
  first?: LaPreviousVersion;
  approvedChanges?: LaPreviousVersion;
  proposal?: LaPreviousVersion;
}

function states(doc: LaDocument): EwpStates {
  const current: LaPreviousVersion = { version: doc.version, hash: laDocumentHash(doc), changes: doc.changes, signatures: doc.signatures };
  const versions = [...(doc.previousVersions ?? []).filter((v) => v.version < doc.version), current];
  const signed = versions.filter((v) => isFullySigned(v.signatures));
  const first = signed.filter((v) => v.changes === null).at(-1);
  const approvedChanges = first ? signed.filter((v) => v.changes !== null && v.version > first.version).at(-1) : undefined;
  return { first, approvedChanges, proposal: isFullySigned(current.signatures) ? undefined : current };
}

function personProblems(p: { givenNames?: string; familyName?: string; email?: string }, where: string): string[] {
  const out: string[] = [];
  if (!p.givenNames?.trim()) out.push(`${where}: given names are missing`);
  if (!p.familyName?.trim()) out.push(`${where}: family name is missing`);
  if (!p.email || !EMAIL.test(p.email)) out.push(`${where}: e-mail "${p.email ?? ''}" is not an e-mail address`);
  return out;
}

function institutionProblems(inst: LaInstitution, which: 'sending' | 'receiving'): string[] {
  const out: string[] = [];
  if (!inst.schac?.trim()) out.push(`${which} institution: SCHAC code is missing`);
  if (which === 'sending' && !inst.unit?.name?.trim()) out.push('sending institution: faculty/department name is missing');
  if (inst.unit?.id !== undefined && !ASCII_ID.test(inst.unit.id)) out.push(`${which} institution: unit id "${inst.unit.id}" is not a printable ASCII identifier`);
  return [...out, ...personProblems(inst.contactPerson ?? {}, `${which} institution contact person`)];
}

function signatureProblems(signatures: LaSignature[], needed: LaParty[], where: string): string[] {
  const out: string[] = [];
  for (const party of needed) {
    const sig = signatureOf(signatures, party);
    if (!sig) out.push(`${where}: not signed by the ${party === 'student' ? 'student' : `${party} institution`}`);
    else if (Number.isNaN(new Date(sig.timestamp).getTime())) out.push(`${where}: ${party} signature time "${sig.timestamp}" is not a date-time`);
  }
  return out;
}

function componentProblems(t: Partial<LaTables> | LaChangeTables, where: string): string[] {
  const out: string[] = [];
  const lists: [string, { title: string; term?: LaTerm; description?: string }[], boolean][] = [
    ['Table A', t.studied ?? [], true], ['Table B', t.recognised ?? [], true], ['Table C', t.virtual ?? [], false],
  ];
  for (const [table, rows, termRequired] of lists) {
    rows.forEach((c, i) => {
      if (!c.title?.trim()) out.push(`${where} ${table} row ${i + 1}: title is missing`);
      if (termRequired && !c.term) out.push(`${where} ${table} row ${i + 1}: term is missing`);
      if (!termRequired && !c.description?.trim()) out.push(`${where} ${table} row ${i + 1}: description is missing`);
    });
  }
  return out;
}

/**
 * What prevents this Learning Agreement from being published on EWP (empty when it can be):
 * missing SCHAC codes or contact persons, malformed identifiers, dates and codes, a proposal not yet
 * signed by the student and the sending institution. Messages are in English for logs and partners.
 */
export function ewpProblems(doc: LaDocument): string[] {
  const out: string[] = [];
  if (!ASCII_ID.test(doc.omobilityId ?? '')) out.push(`omobility id "${doc.omobilityId ?? ''}" is not 1–64 printable ASCII characters`);
  if (!/^\d{4}\/\d{4}$/.test(doc.academicYear ?? '')) out.push(`academic year "${doc.academicYear ?? ''}" is not like 2025/2026`);
  out.push(...institutionProblems(doc.sending, 'sending'), ...institutionProblems(doc.receiving, 'receiving'));
  const st = doc.student;
  out.push(...personProblems(st, 'student'));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(st.birthDate ?? '')) out.push(`student: birth date "${st.birthDate ?? ''}" is not a date`);
  if (!/^[A-Z]{2}$/.test(st.nationality ?? '')) out.push(`student: nationality "${st.nationality ?? ''}" is not an ISO country code`);
  if (!LA_GENDERS.includes(st.gender)) out.push(`student: gender "${String(st.gender)}" is unknown`);
  if (!DATE_OR_MONTH.test(doc.mobility.start ?? '')) out.push(`mobility start "${doc.mobility.start ?? ''}" is not a date`);
  if (!DATE_OR_MONTH.test(doc.mobility.end ?? '')) out.push(`mobility end "${doc.mobility.end ?? ''}" is not a date`);
  if (doc.eqfLevel === null || !Number.isInteger(doc.eqfLevel) || doc.eqfLevel < 1 || doc.eqfLevel > 8) out.push(doc.eqfLevel === null ? 'the EQF level is not known yet' : `EQF level "${doc.eqfLevel}" is not 1–8`);
  if (!doc.fieldOfEducation?.iscedCode?.trim()) out.push('ISCED-F code is missing');
  if (!/^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(doc.languageOfInstruction?.language ?? '')) out.push(`language "${doc.languageOfInstruction?.language ?? ''}" is not a language code`);
  if (!/^([ABC][12]|NS)$/.test(doc.languageOfInstruction?.cefrLevel ?? '')) out.push(`CEFR level "${doc.languageOfInstruction?.cefrLevel ?? ''}" is unknown`);
  for (const [name, url] of [['learning outcomes URL', doc.learningOutcomesUrl], ['provisions URL', doc.provisionsUrl]] as const) {
    if (url !== undefined && !HTTP_URL.test(url)) out.push(`${name} "${url}" is not an http(s) URL`);
  }
  out.push(...componentProblems(doc.tables, 'first version'));
  if (doc.changes) out.push(...componentProblems(doc.changes, 'changes'));
  const s = states(doc);
  if (s.first) out.push(...signatureProblems(s.first.signatures, ['student', 'sending', 'receiving'], 'first version'));
  if (s.approvedChanges) out.push(...signatureProblems(s.approvedChanges.signatures, ['student', 'sending', 'receiving'], 'approved changes'));
  if (s.proposal) {
    if (s.proposal.changes && !s.first) out.push('changes are proposed but no first version was signed by the three parties');
    out.push(...signatureProblems(s.proposal.signatures, ['student', 'sending'], `proposal (version ${s.proposal.version})`));
  }
  return out;
}

/** Builds indented XML without a DOM: each call adds one line. */
class Xml {
  private readonly lines: string[] = [];
  private depth = 0;
  leaf(name: string, value: string | number | undefined | null): this {
    if (value !== undefined && value !== null) this.lines.push(`${'  '.repeat(this.depth)}<${name}>${xmlEscape(value)}</${name}>`);
    return this;
  }
  open(name: string, attrs: Record<string, string | undefined> = {}): this {
    const a = Object.entries(attrs).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlEscape(v!)}"`).join('');
    this.lines.push(`${'  '.repeat(this.depth++)}<${name}${a}>`);
    return this;
  }
  close(name: string): this {
    this.lines.push(`${'  '.repeat(--this.depth)}</${name}>`);
    return this;
  }
  toString(): string {
    return this.lines.join('\n');
  }
}

function phone(x: Xml, raw: string | undefined): void {
  if (!raw?.trim()) return;
  const compact = raw.replace(/[\s().-]/g, '').replace(/^00/, '+');
  x.open('p:phone-number');
  if (/^\+[0-9]{1,15}$/.test(compact)) x.leaf('p:e164', compact);
  else x.leaf('p:other-format', raw.trim());
  x.close('p:phone-number');
}

function institution(x: Xml, tag: string, inst: LaInstitution): void {
  x.open(tag).leaf('hei-id', inst.schac?.trim() || undefined);
  if (inst.unit?.name) x.leaf('ounit-name', inst.unit.name);
  if (inst.unit?.id) x.leaf('ounit-id', inst.unit.id);
  const c = inst.contactPerson;
  x.open('contact-person').leaf('given-names', c.givenNames).leaf('family-name', c.familyName).leaf('email', c.email);
  phone(x, c.phone);
  x.close('contact-person').close(tag);
}

type AnyComponent = (LaStudiedComponent | LaRecognisedComponent | LaVirtualComponent) & Partial<{ change: 'added' | 'deleted'; reason: string; reasonText: string }>;

function component(x: Xml, c: AnyComponent, kind: 'studied' | 'recognised' | 'virtual' | 'list'): void {
  const attrs: Record<string, string | undefined> = {};
  if (c.change) {
    attrs.status = c.change === 'added' ? 'inserted' : 'deleted';
    // "other" has no EWP code: the reason travels as text only.
    if (c.reason && c.reason !== 'other') attrs['reason-code'] = c.reason;
    attrs['reason-text'] = c.reasonText;
  }
  x.open('component', attrs);
  if (c.losId && LOS_ID.test(c.losId)) x.leaf('los-id', c.losId);
  x.leaf('los-code', c.code || undefined).leaf('title', c.title);
  if (c.loiId && LOI_ID.test(c.loiId)) x.leaf('loi-id', c.loiId);
  const term = 'term' in c ? c.term : undefined;
  if (term) x.open('term-id').leaf('trm:term-number', term.number).leaf('trm:total-terms', term.total).close('term-id');
  if (c.ects !== undefined) x.open('credit').leaf('scheme', 'ects').leaf('value', c.ects).close('credit');
  if (kind === 'recognised' && 'automaticRecognition' in c && !c.automaticRecognition) x.leaf('recognition-conditions', c.recognitionConditions ?? '');
  if ('description' in c && (kind === 'virtual' || kind === 'list')) x.leaf('short-description', c.description);
  x.close('component');
}

function list(x: Xml, tag: string, rows: AnyComponent[], kind: 'studied' | 'recognised' | 'virtual' | 'list', always = false): void {
  if (!rows.length && !always) return;
  x.open(tag);
  for (const c of rows) component(x, c, kind);
  x.close(tag);
}

function signature(x: Xml, tag: string, sig: LaSignature | undefined, doc: LaDocument, app: string): void {
  if (!sig) return;
  x.open(tag);
  // The spec asks for no name, position or e-mail in the student's signature.
  if (sig.party !== 'student') {
    const responsible = sig.party === 'sending' ? doc.sending.responsiblePerson : doc.receiving.responsiblePerson;
    x.leaf('signer-name', sig.name).leaf('signer-position', sig.position || responsible.position).leaf('signer-email', sig.email);
  }
  x.leaf('timestamp', new Date(sig.timestamp).toISOString()).leaf('signer-app', sig.onPaper ? `${app} (signed on paper)` : app);
  x.close(tag);
}

/** One ListOf_Components: the tables (first version) or the changes (A2/B2/C2), then the signatures. */
function components(x: Xml, doc: LaDocument, state: LaPreviousVersion, app: string): void {
  const shortTerm = doc.mobility.type === 'blended-short-term' || doc.mobility.type === 'short-term-doctoral';
  const t: { studied: AnyComponent[]; recognised: AnyComponent[]; virtual: AnyComponent[] } =
    (state.changes as unknown as typeof t | null) ?? (doc.tables as unknown as typeof t);
  if (shortTerm) {
    const tag = doc.mobility.type === 'blended-short-term' ? 'blended-mobility-components' : 'short-term-doctoral-components';
    list(x, tag, [...t.studied, ...t.virtual], 'list', true);
  } else {
    // Semester mobilities require Tables A and B, even empty (a changes proposal may touch only one).
    list(x, 'components-studied', t.studied, 'studied', true);
    list(x, 'components-recognized', t.recognised, 'recognised', true);
    list(x, 'virtual-components', t.virtual, 'virtual');
  }
  signature(x, 'student-signature', signatureOf(state.signatures, 'student'), doc, app);
  signature(x, 'sending-hei-signature', signatureOf(state.signatures, 'sending'), doc, app);
  signature(x, 'receiving-hei-signature', signatureOf(state.signatures, 'receiving'), doc, app);
}

function la(x: Xml, doc: LaDocument, app: string): void {
  const st = doc.student;
  x.open('la').leaf('omobility-id', doc.omobilityId);
  institution(x, 'sending-hei', doc.sending);
  institution(x, 'receiving-hei', doc.receiving);
  x.leaf('receiving-academic-year-id', doc.academicYear);
  x.open('student')
    .leaf('given-names', st.givenNames).leaf('family-name', st.familyName).leaf('global-id', st.esi)
    .leaf('birth-date', st.birthDate).leaf('citizenship', st.nationality)
    .leaf('gender', { 'not-known': 0, male: 1, female: 2, 'not-applicable': 9 }[st.gender]).leaf('email', st.email)
    .close('student');
  const day = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
  x.leaf(day(doc.mobility.start) ? 'start-date' : 'start-year-month', doc.mobility.start);
  x.leaf(day(doc.mobility.end) ? 'end-date' : 'end-year-month', doc.mobility.end);
  x.leaf('eqf-level-studied-at-departure', doc.eqfLevel).leaf('isced-f-code', doc.fieldOfEducation.iscedCode);
  x.leaf('isced-clarification', doc.fieldOfEducation.clarification || undefined);
  x.open('student-language-skill').leaf('language', doc.languageOfInstruction.language).leaf('cefr-level', doc.languageOfInstruction.cefrLevel).close('student-language-skill');
  const s = states(doc);
  if (s.first) { x.open('first-version'); components(x, doc, s.first, app); x.close('first-version'); }
  if (s.approvedChanges) { x.open('approved-changes'); components(x, doc, s.approvedChanges, app); x.close('approved-changes'); }
  // The proposal id is the document hash: it changes exactly when the proposed content does.
  if (s.proposal) { x.open('changes-proposal', { id: s.proposal.hash }); components(x, doc, s.proposal, app); x.close('changes-proposal'); }
  x.leaf('learning-outcomes-url', doc.learningOutcomesUrl).leaf('provisions-url', doc.provisionsUrl);
  x.close('la');
}

/**
 * The EWP `omobility-las-get-response` for these Learning Agreements (one per mobility, each the
 * latest version with its `previousVersions`): the last version signed by the three parties
 * without changes is the `first-version`, the last fully signed changes are `approved-changes`,
 * and the latest version, while the receiving institution has not signed it, is the
 * `changes-proposal` (id = its hash). Throws a `SMILE_ERR_EWP_LA_INVALID` error listing
 * {@link ewpProblems} when one cannot be published; filter with `ewpProblems` first to skip those.
 */
export function laToEwpXml(docs: LaDocument[], opts: EwpXmlOptions = {}): string {
  const problems = docs.flatMap((d) => ewpProblems(d).map((p) => `${d.omobilityId}: ${p}`));
  if (problems.length) throw new SmileError(EWP_LA_INVALID, `cannot publish on EWP: ${problems.join('; ')}`, { plugin: 'learning-agreement' });
  const app = opts.signerApp ?? 'SMILE';
  const x = new Xml();
  x.open('omobility-las-get-response', { xmlns: EWP_NS.getResponse, 'xmlns:trm': EWP_NS.term, 'xmlns:p': EWP_NS.phone });
  for (const d of docs) la(x, d, app);
  x.close('omobility-las-get-response');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${x.toString()}\n`;
}
