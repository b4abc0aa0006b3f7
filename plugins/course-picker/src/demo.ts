/**
 * Demo data: course choices at every stage — drafts, a choice waiting for the referents, one with a
 * refused course back with the student, and choices approved by the referents (the Learning
 * Agreement's demo takes those further). Made with the store's own functions and the mobility
 * engine's system transitions, in the demo seed's transaction, from the demo catalogue's open
 * elements for each file's exchange type and terms, picked with the rules engine so that the rules
 * hold.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { RegisterApi } from '@smile/sdk';
import { mobilityService, type FileInput, type MobilityActor, type MobilityFile, type MobilityStore } from '@smile/plugin-mobility';
import { settingsIn, termsOfFile, type PickerSettings } from './common.js';
import { evaluateChoice } from './rules-engine.js';
import type { ChoiceLine, Term } from './rules-types.js';
import { loadElements, seatsLeft, studentContext } from './store-evaluate.js';
import { coursePickerService, type CoursePickerStore } from './store.js';

/** The languages every demo student declares (the language rule only warns, but a demo should be clean). */
const LEVELS = { fr: 'B2', en: 'C1' };

/** Demo students this plugin adds, past the stages the mobility demo leaves at the choice step. */
const NEW_FILES: Array<{ stage: 'submitted' | 'refused' | 'approved'; input: Omit<FileInput, 'academicYear' | 'componentId'> }> = [
  {
    stage: 'submitted',
    input: {
      firstName: 'Katarzyna', lastName: 'Dąbrowska', email: 'katarzyna.dabrowska@uw.example', birthDate: '2003-02-21', nationality: 'PL', gender: 'female', language: 'en',
      exchangeType: 'first-semester', home: { name: 'Uniwersytet Warszawski', country: 'PL', schac: 'uw.edu.pl', erasmusCode: 'PL WARSZAW01' },
      homeAddress: { street: 'Krakowskie Przedmieście', number: '26/28', postalCode: '00-927', city: 'Warszawa', country: 'PL' },
    },
  },
  {
    stage: 'refused',
    input: {
      firstName: 'Sören', lastName: 'Åberg', email: 'soren.aberg@uu.example', birthDate: '2002-08-13', nationality: 'SE', gender: 'male', language: 'en',
      exchangeType: 'first-semester', home: { name: 'Uppsala universitet', country: 'SE', schac: 'uu.se', erasmusCode: 'S UPPSALA01' },
      homeAddress: { street: 'Övre Slottsgatan', number: '1', postalCode: '753 10', city: 'Uppsala', country: 'SE' },
    },
  },
  {
    stage: 'approved',
    input: {
      firstName: 'Gökhan', lastName: 'Şahin', email: 'gokhan.sahin@metu.example', birthDate: '2002-05-06', nationality: 'TR', gender: 'male', language: 'en',
      exchangeType: 'first-semester', home: { name: 'Orta Doğu Teknik Üniversitesi', country: 'TR', schac: 'metu.edu.tr', erasmusCode: 'TR ANKARA04' },
      homeAddress: { street: 'Üniversiteler Mahallesi', number: '1', postalCode: '06800', city: 'Ankara', country: 'TR' },
    },
  },
  {
    stage: 'approved',
    input: {
      firstName: 'Mia', lastName: 'Kovačević', email: 'mia.kovacevic@unizg.example', birthDate: '2003-10-30', nationality: 'HR', gender: 'female', language: 'fr',
      exchangeType: 'first-semester', home: { name: 'Sveučilište u Zagrebu', country: 'HR', schac: 'unizg.hr', erasmusCode: 'HR ZAGREB01' },
      homeAddress: { street: 'Trg Republike Hrvatske', number: '14', postalCode: '10000', city: 'Zagreb', country: 'HR' },
    },
  },
  {
    stage: 'approved',
    input: {
      firstName: 'Oskar', lastName: 'Lindqvist', email: 'oskar.lindqvist@helsinki.example', birthDate: '2001-12-12', nationality: 'FI', gender: 'male', language: 'en',
      exchangeType: 'first-semester', home: { name: 'Helsingin yliopisto', country: 'FI', schac: 'helsinki.fi', erasmusCode: 'SF HELSINK01' },
      homeAddress: { street: 'Yliopistonkatu', number: '4', postalCode: '00100', city: 'Helsinki', country: 'FI' },
    },
  },
];

type Actor = MobilityActor & { personId?: number | null };

/**
 * Codes of open elements of the file's main component that a student could choose for `terms`,
 * picked in code order with the rules engine: each is kept when the choice so far still has no
 * blocking problem and stays within the maximum. With `fill`, up to the minimum of each term;
 * otherwise `count` courses of the first term. `skip`: codes not to pick.
 */
export async function pickDemoCourses(
  trx: Knex.Transaction, settings: PickerSettings, file: MobilityFile, opts: { fill: boolean; count?: number; skip?: string[] },
): Promise<string[]> {
  const terms = termsOfFile(settings, file);
  const rows = (await trx('catalogue_elements as e')
    .join('components as c', 'c.id', 'e.component_id')
    .where({ 'e.institution_id': file.institutionId, 'e.year': file.academicYear, 'c.code': file.componentCode, 'e.kind': 'EC', 'e.open_to_mobility': true, 'e.in_source': true })
    .whereIn('e.semester', terms)
    .whereNotNull('e.ects')
    .where((w) => w.whereNull('e.exchange_types').orWhereRaw('? = any(e.exchange_types)', [file.exchangeType]))
    .whereNotIn('e.code', opts.skip ?? [])
    .orderBy('e.code')
    .limit(400)
    .pluck('e.code')) as string[];
  const { chosen: elements, related } = await loadElements(trx, file.institutionId, file.academicYear, rows);
  const left = await seatsLeft(trx, file.institutionId, file.academicYear, [...elements.values()]);
  for (const e of elements.values()) e.seatsLeft = left.get(e.code) ?? null;
  const student = studentContext(settings, file, { languageLevels: LEVELS, items: [] });
  const evaluate = (codes: string[]) => evaluateChoice({
    lines: codes.map((code): ChoiceLine => ({ code, element: elements.get(code) ?? null })), related, student, config: settings.rules, mode: 'draft',
  });
  const wanted = (term: Term) => (opts.fill ? terms.includes(term) : term === terms[0]);
  const smallest = Math.min(...[...elements.values()].map((e) => e.mobilityEcts ?? e.ects ?? Infinity));
  const greedy = (order: string[]): { picked: string[]; complete: boolean } => {
    const picked: string[] = [];
    for (const code of order) {
      const e = elements.get(code);
      if (!e || !e.semester || !wanted(e.semester as Term)) continue;
      const term = e.semester as Term;
      const before = evaluate(picked).terms[term];
      if (opts.fill ? before && before.chosenEcts >= before.min : picked.length >= (opts.count ?? 2)) continue;
      const after = evaluate([...picked, code]);
      const summary = after.terms[term];
      // warnings (a timetable clash, written prerequisites) are the student's to weigh, as in real use; blocking problems never
      if (after.violations.some((v) => v.severity === 'block')) continue;
      // only courses that count their own credits (not a whole teaching unit): the agreement's Table A then adds up as the picker's bar
      const own = e.mobilityEcts ?? e.ects ?? 0;
      if (!summary || summary.chosenEcts > summary.max || summary.chosenEcts - (before?.chosenEcts ?? 0) !== own) continue;
      // a gap smaller than any course could never be closed
      if (opts.fill && summary.chosenEcts < summary.min && summary.min - summary.chosenEcts < smallest) continue;
      picked.push(code);
    }
    const complete = !opts.fill || Object.values(evaluate(picked).terms).every((x) => x && x.chosenEcts >= x.min);
    return { picked, complete };
  };
  // in code order first; when the credits cannot be made up exactly that way, from further down the list
  let best = greedy(rows);
  for (let start = 1; !best.complete && start < Math.min(rows.length, 60); start++) best = greedy([...rows.slice(start), ...rows.slice(0, start)]);
  return best.picked;
}

/** The demo's handles: the store bound to the seed's transaction (its own transactions become savepoints), the mobility engine. */
interface Demo {
  trx: Knex.Transaction;
  picker: CoursePickerStore;
  mobility: MobilityStore;
  settings: PickerSettings;
  institutionId: number;
}

const studentOf = (f: MobilityFile): Actor => ({ institutionId: f.institutionId, personId: f.personId, label: `${f.firstName} ${f.lastName}`, language: f.language ?? 'en' });

async function choose(d: Demo, file: MobilityFile, codes: string[]): Promise<void> {
  const actor = studentOf(file);
  for (const code of codes) await d.picker.add(actor, d.settings, file, code, null, { trx: d.trx });
  const choice = await d.picker.choice(d.institutionId, file.id, d.trx);
  await d.picker.saveDraft(actor, file, { terms: {}, confirmed: codes, languageLevels: LEVELS }, choice.version, { trx: d.trx });
}

async function step(d: Demo, file: MobilityFile, action: 'validate' | 'refuse', comment?: string): Promise<MobilityFile> {
  const actor: MobilityActor = { institutionId: d.institutionId, label: 'demo', language: 'en' };
  const current = (await d.trx('mobility_files').where({ id: file.id }).first('current_step')).current_step as string;
  const { file: moved } = await d.mobility.transition(actor, file.id, { stepKey: current, action, comment: comment ?? null }, undefined, { system: true, trx: d.trx });
  return moved;
}

async function decideAll(d: Demo, file: MobilityFile, refuse: string | null): Promise<void> {
  const referent = { institutionId: d.institutionId, label: 'Prof. Hélène Marchetti (demo referent)' };
  const choice = await d.picker.choice(d.institutionId, file.id, d.trx);
  for (const item of choice.items) {
    const refused = item.code === refuse;
    await d.picker.decide(referent, file, {
      code: item.code, was: item.decision, decision: refused ? 'refused' : 'approved',
      comment: refused ? 'This course is full for incoming students this year; please choose another one of the same semester. / Ce cours est complet pour les étudiants en mobilité cette année ; choisissez-en un autre du même semestre.' : null,
    }, () => true, { trx: d.trx });
  }
}

/** Seed the course choices in `trx` (the demo seed's transaction). */
export async function seedDemoChoices(trx: Knex.Transaction, deps: { picker: CoursePickerStore; mobility: MobilityStore; settingsFor: (i: any) => PickerSettings }, institutionId: number): Promise<void> {
  const d: Demo = {
    trx, institutionId, mobility: deps.mobility,
    // every change in the seed's transaction: all the demo or nothing
    picker: deps.picker,
    settings: await settingsIn(trx, institutionId, deps.settingsFor),
  };
  const atChoice = (await trx('mobility_files').where({ institution_id: institutionId, current_step: 'course-selection' }).whereIn('status', ['nominated', 'in_progress']).orderBy('id').pluck('id')) as number[];
  const year = (await trx('mobility_files').where({ institution_id: institutionId }).max('academic_year as y').first())?.y as number | undefined;
  if (!year) return;
  const load = async (id: number) => fileIn(trx, deps.mobility, institutionId, id);

  // drafts: the mobility demo's files at the choice step, one half done, one complete for its first term
  for (const [i, id] of atChoice.entries()) {
    const file = await load(id);
    await choose(d, file, await pickDemoCourses(trx, d.settings, file, i === 0 ? { fill: false, count: 2 } : { fill: false, count: 4 }));
  }

  const components = (await trx('components').where({ institution_id: institutionId }).orderBy('code').limit(4).pluck('id')) as number[];
  const system: MobilityActor = { institutionId, label: 'demo', language: 'en' };
  for (const [i, n] of NEW_FILES.entries()) {
    const created = await deps.mobility.createFile(system, { ...n.input, academicYear: year, componentId: components[i % Math.max(1, components.length)] ?? null }, { trx, detail: { source: 'demo' } });
    let file = created;
    for (let s = 0; s < 2; s++) file = await step(d, file, 'validate');
    file = await load(file.id);
    const codes = await pickDemoCourses(trx, d.settings, file, { fill: true });
    await choose(d, file, codes);
    file = await step(d, file, 'validate');
    if (n.stage === 'submitted') continue;
    file = await load(file.id);
    await decideAll(d, file, n.stage === 'refused' ? codes[1] ?? null : null);
    if (n.stage === 'refused') await step(d, file, 'refuse', 'One course is refused: see the comment on your course choice. / Un cours est refusé : voyez le commentaire sur votre choix de cours.');
    else await step(d, file, 'validate');
  }
}

/** A file as the engine reads it, inside the seed's transaction (on the embedded database it holds the one connection). */
export async function fileIn(trx: Knex.Transaction, mobility: MobilityStore, institutionId: number, id: number): Promise<MobilityFile> {
  const file = await mobility.file(institutionId, id, { trx });
  if (!file) throw new Error(`course-picker demo: no file ${id}`);
  return file;
}

/** Demo course choices (`smile start --demo`, `smile seed demo`), after the mobility demo's files. */
export function registerDemo(r: RegisterApi<PickerSettings>): void {
  const mobility = r.deferred(mobilityService);
  const picker = r.deferred(coursePickerService);
  r.hooks.seedDemo.tap(async (ctx) => {
    if (ctx.size !== 'demo') return;
    const knex = ctx.db.knex as Knex.Transaction;
    const deps = { picker: picker(), mobility: mobility(), settingsFor: (i: any) => r.settingsFor(i) };
    if (!knex.isTransaction) {
      await (ctx.db.knex as Knex).transaction((trx) => seedDemoChoices(trx, deps, ctx.institution.id));
      return;
    }
    await seedDemoChoices(knex, deps, ctx.institution.id);
  });
}
