/**
 * Building a Learning Agreement's documents: the first version from the mobility file, the
 * institution and the approved course choice; a student's edit (Table B, the sending coordinator,
 * the language); a change proposal (cumulative Tables A2/B2/C2). Plain functions over plain data,
 * except {@link approvedChoice}, which asks the course picker in the caller's transaction.
 * @packageDocumentation
 */
import type { Institution, Logger } from '@smile/sdk';
import type { MobilityFile } from '@smile/plugin-mobility';
import type { ApprovedUnit, ApprovedUnits, CoursePickerStore } from '@smile/plugin-course-picker';
import type { Knex } from 'knex';
import type {
  LaCefrLevel, LaChange, LaChangeTables, LaDocument, LaGender, LaPerson, LaRecognisedComponent, LaStudiedComponent, LaTerm,
  LaVirtualComponent,
} from './model.js';
import type { ChangeItem, LaSettings } from './store-types.js';

/** The approved courses of a file as the course picker counts them, with the declared language levels. */
export type ApprovedChoice = ApprovedUnits;

const noChoice = (): ApprovedChoice => ({ available: false, units: [], languageLevels: {} });

/**
 * The approved course choice of a file, as the course picker counts it (the units of the student's
 * ECTS bar, approved courses only), read inside `trx`. A savepoint isolates the read: if the course
 * picker cannot answer, the caller's transaction survives and the agreement is built without Table A
 * (and says so).
 */
export async function approvedChoice(trx: Knex.Transaction, picker: CoursePickerStore, file: MobilityFile, log?: Logger): Promise<ApprovedChoice> {
  try {
    return await trx.transaction((sp) => picker.approvedUnits(sp, file));
  } catch (e) {
    log?.warn({ file: file.id, err: (e as Error).message }, 'the course picker could not give the approved courses');
    return noChoice();
  }
}

/** `S1`/`S2` (or a catalogue semester such as `S3`) as EWP counts terms; anything else: the whole year. */
export function termOf(term: string | null | undefined): LaTerm {
  const m = /^S(\d+)$/i.exec(term ?? '');
  if (m) return { number: ((Number(m[1]) - 1) % 2) + 1, total: 2 };
  return { number: 1, total: 1 };
}

/**
 * The term of a counted unit: its semester when its credits count in one term; the whole academic
 * year (term 1 of 1, as EWP counts a year-long component) when they are spread over both terms of a
 * full-year mobility. One row either way: the unit is one component with one grade.
 */
export function unitTerm(unit: Pick<ApprovedUnit, 'terms'>): LaTerm {
  return unit.terms.length === 1 ? termOf(unit.terms[0]) : { number: 1, total: 1 };
}

const GENDERS: Record<string, LaGender> = { female: 'female', male: 'male', other: 'not-applicable', undisclosed: 'not-known' };
const CEFR = new Set(['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'NS']);

/** What the first version is built from. */
export interface FirstVersionInput {
  file: MobilityFile;
  institution: Institution;
  settings: LaSettings;
  choice: ApprovedChoice;
  omobilityId: string;
  /** Public origin of the institution (`https://host`), for the catalogue's stable addresses. */
  origin: string;
  componentName: string | null;
}

const emptyPerson = (): LaPerson => ({ givenNames: '', familyName: '', email: '' });
const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;

/**
 * The first version: file, institutions, period, type, and Table A: one row per unit the course
 * picker counts from the approved courses (a UE whose ECs were chosen is one row, with the UE's
 * credits, naming those ECs), so that Table A's total is the picker's approved ECTS.
 */
export function firstDocument(x: FirstVersionInput): LaDocument {
  const { file, institution, settings, choice } = x;
  const lang = institution.defaultLanguage;
  const titleIn = (t: { fr: string; en: string | null }, code: string) => (lang === 'en' ? t.en || t.fr : t.fr || t.en) || code;
  const studied: LaStudiedComponent[] = choice.units.map((u) => clean({
    code: u.code,
    title: titleIn(u.title, u.code),
    term: unitTerm(u),
    ects: u.ects,
    learningOutcomesUrl: `${x.origin}/catalogue/${u.year}/elements/${encodeURIComponent(u.code)}`,
    includes: u.includes.length ? u.includes.map((p) => ({ code: p.code, title: titleIn(p.title, p.code) })) : undefined,
  }));
  const cefr = choice.languageLevels[lang] ?? '';
  const office: LaPerson = clean({ ...emptyPerson(), ...settings.officeContact });
  return {
    omobilityId: x.omobilityId,
    academicYear: `${file.academicYear}/${file.academicYear + 1}`,
    version: 1,
    student: clean({
      givenNames: file.firstName,
      familyName: file.lastName,
      birthDate: file.birthDate ?? '',
      nationality: file.nationality ?? '',
      gender: GENDERS[file.gender ?? ''] ?? 'not-known',
      esi: file.esi ?? undefined,
      email: file.email ?? '',
    }) as LaDocument['student'],
    // 0 = not known yet: the readiness check asks for it before anyone signs
    eqfLevel: file.eqfLevel ?? null,
    fieldOfEducation: { iscedCode: file.isced ?? '', label: file.isced ?? '' },
    // an empty level is not a CEFR level: the student's form must set it before signing
    languageOfInstruction: { language: lang, cefrLevel: CEFR.has(cefr) ? (cefr as LaCefrLevel) : null },
    sending: clean({
      name: file.home.name ?? '',
      schac: file.home.schac ?? '',
      erasmusCode: file.home.erasmusCode ?? undefined,
      country: file.home.country ?? '',
      contactPerson: emptyPerson(),
      responsiblePerson: emptyPerson(),
    }) as LaDocument['sending'],
    receiving: clean({
      name: lang === 'en' ? institution.nameEn : institution.nameFr,
      schac: institution.schacCode ?? institution.code,
      erasmusCode: institution.erasmusCode ?? undefined,
      unit: x.componentName ? { name: x.componentName, id: file.componentCode ?? undefined } : undefined,
      country: institution.country ?? '',
      contactPerson: office,
      responsiblePerson: office,
    }) as LaDocument['receiving'],
    mobility: { start: file.plannedStart ?? '', end: file.plannedEnd ?? '', type: settings.mobilityType },
    tables: { studied, recognised: [], virtual: [] },
    learningOutcomesUrl: `${x.origin}/catalogue/${file.academicYear}`,
    ...(settings.provisionsUrl ? { provisionsUrl: settings.provisionsUrl } : {}),
    changes: null,
    signatures: [],
    branding: { institutionName: lang === 'en' ? institution.nameEn : institution.nameFr },
  };
}

/** What the student enters on their form. */
export interface StudentEdit {
  recognised: LaRecognisedComponent[];
  coordinator: LaPerson;
  /** The student's faculty or department at the sending institution. */
  sendingUnit: string;
  cefrLevel: string;
}

/** A new version of the first kind: the student's Table B, the sending coordinator and level. */
export function editedDocument(prev: LaDocument, number: number, edit: StudentEdit): LaDocument {
  const coordinator = clean({ ...edit.coordinator });
  return {
    ...prev,
    version: number,
    languageOfInstruction: { ...prev.languageOfInstruction, cefrLevel: edit.cefrLevel as LaCefrLevel },
    sending: { ...prev.sending, unit: { name: edit.sendingUnit }, contactPerson: coordinator, responsiblePerson: coordinator },
    tables: { ...prev.tables, recognised: edit.recognised },
    signatures: [],
  };
}

/** What is still missing before anyone may sign this version (keys under `la.missing.`). */
export function missingForSigning(doc: LaDocument): string[] {
  const m: string[] = [];
  if (doc.tables.studied.length === 0) m.push('tableA');
  if (doc.tables.recognised.length === 0) m.push('tableB');
  const c = doc.sending.responsiblePerson;
  if (!c.givenNames || !c.familyName || !c.email) m.push('coordinator');
  if (!doc.sending.unit?.name) m.push('unit');
  if (!doc.languageOfInstruction.cefrLevel || !CEFR.has(doc.languageOfInstruction.cefrLevel)) m.push('cefr');
  return m;
}

/** Components after the changes so far: what a new proposal may delete. */
export function currentComponents(doc: LaDocument): { studied: LaStudiedComponent[]; recognised: LaRecognisedComponent[]; virtual: LaVirtualComponent[] } {
  const key = (c: { code?: string; title: string }) => `${c.code ?? ''}\u0000${c.title}`;
  const apply = <C extends { code?: string; title: string }>(base: C[], changes: LaChange<C>[]): C[] => {
    let list = [...base];
    for (const ch of changes) {
      if (ch.change === 'deleted') list = list.filter((c) => key(c) !== key(ch));
      else {
        const { change: _c, reason: _r, reasonText: _t, ...component } = ch;
        list.push(component as unknown as C);
      }
    }
    return list;
  };
  const ch = doc.changes ?? { studied: [], recognised: [], virtual: [] };
  return {
    studied: apply(doc.tables.studied, ch.studied),
    recognised: apply(doc.tables.recognised, ch.recognised),
    virtual: apply(doc.tables.virtual, ch.virtual),
  };
}

/**
 * A change version: the signed base with this proposal's items added to the changes so far
 * (approved changes accumulate; a refused proposal never reaches a base).
 */
export function changedDocument(base: LaDocument, number: number, items: ChangeItem[]): LaDocument {
  const changes: LaChangeTables = structuredClone(base.changes ?? { studied: [], recognised: [], virtual: [] });
  for (const item of items) {
    const row = clean({ ...item.component, change: item.change, reason: item.reason, reasonText: item.reasonText || undefined });
    (changes[item.table] as unknown[]).push(row);
  }
  return { ...base, version: number, changes, signatures: [], previousVersions: undefined };
}
