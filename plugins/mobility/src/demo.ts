/**
 * Demo data: incoming students up to the course selection, with names from all over Europe (the
 * pages and the mail must render Łódź, Øresund or Ğ), one refused back and one abandoned. The later
 * steps need a course choice and a Learning Agreement: the course-picker and learning-agreement
 * demos take files on from there, through real choices and signatures. Created through the engine — files by
 * `createFile`, progress by system transitions — in the demo seed's transaction, so the timelines,
 * durations and mail are those a real file would have.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { RegisterApi } from '@smile/sdk';
import { mobilityService, type MobilityStore } from './store.js';
import type { FileInput, MobilityActor, TransitionAction } from './types.js';

/** The demo student persona's ESI: signing in as that persona links the file (see the student space). */
export const DEMO_STUDENT_ESI = 'urn:schac:personalUniqueCode:int:esi:it.unibo:0000123456';

interface DemoFile {
  input: Omit<FileInput, 'academicYear' | 'exchangeType'> & { exchangeType?: string };
  /** Transitions from the first step, in order: action and comment. */
  path: Array<[TransitionAction, string?]>;
}

const validate = (n: number): Array<[TransitionAction]> => Array.from({ length: n }, () => ['validate']);

const FILES: DemoFile[] = [
  {
    input: {
      firstName: 'Sofia', lastName: 'Rossi', email: 'sofia.rossi@studenti.unibo.example', esi: DEMO_STUDENT_ESI, birthDate: '2004-03-14',
      nationality: 'IT', gender: 'female', language: 'en', home: { name: 'Alma Mater Studiorum – Università di Bologna', country: 'IT', schac: 'unibo.it', erasmusCode: 'I BOLOGNA01' },
      homeAddress: { street: 'Via Zamboni', number: '33', postalCode: '40126', city: 'Bologna', country: 'IT' },
    },
    path: [],
  },
  {
    input: {
      firstName: 'Jakub', lastName: 'Wiśniewski', email: 'jakub.wisniewski@uni.lodz.example', birthDate: '2003-07-02', nationality: 'PL', gender: 'male',
      home: { name: 'Uniwersytet Łódzki', country: 'PL', schac: 'uni.lodz.pl', erasmusCode: 'PL LODZ01' }, homeAddress: { street: 'ul. Piotrkowska', number: '12', postalCode: '90-001', city: 'Łódź', country: 'PL' },
    },
    path: validate(1),
  },
  {
    input: {
      firstName: 'Freja', lastName: 'Østergaard', email: 'freja.ostergaard@au.example', birthDate: '2002-11-20', nationality: 'DK', gender: 'female',
      home: { name: 'Aarhus Universitet', country: 'DK', schac: 'au.dk', erasmusCode: 'DK ARHUS01' }, homeAddress: { street: 'Øresundsvej', number: '4', postalCode: '8000', city: 'Aarhus', country: 'DK' },
    },
    path: validate(2),
  },
  {
    input: {
      firstName: 'Ayşe', lastName: 'Yılmaz', email: 'ayse.yilmaz@boun.example', birthDate: '2003-01-09', nationality: 'TR', gender: 'female',
      home: { name: 'Boğaziçi Üniversitesi', country: 'TR', schac: 'boun.edu.tr', erasmusCode: 'TR ISTANBU01' },
    },
    path: validate(1),
  },
  {
    input: {
      firstName: 'Lukas', lastName: 'Müller', email: 'lukas.mueller@uni-heidelberg.example', birthDate: '2001-05-30', nationality: 'DE', gender: 'male', exchangeType: 'full-year',
      home: { name: 'Ruprecht-Karls-Universität Heidelberg', country: 'DE', schac: 'uni-heidelberg.de', erasmusCode: 'D HEIDELB01' },
    },
    path: validate(2),
  },
  {
    input: {
      firstName: 'Ana', lastName: 'Ionescu', email: 'ana.ionescu@unibuc.example', birthDate: '2002-09-17', nationality: 'RO', gender: 'female',
      home: { name: 'Universitatea din București', country: 'RO', schac: 'unibuc.ro', erasmusCode: 'RO BUCURES09' },
    },
    path: [],
  },
  {
    input: {
      firstName: 'Bence', lastName: 'Szőke', email: 'bence.szoke@elte.example', birthDate: '2002-02-11', nationality: 'HU', gender: 'male',
      home: { name: 'Eötvös Loránd Tudományegyetem', country: 'HU', schac: 'elte.hu', erasmusCode: 'HU BUDAPES01' },
    },
    path: validate(2),
  },
  {
    input: {
      firstName: 'María', lastName: 'García López', email: 'maria.garcia@usal.example', birthDate: '2003-04-25', nationality: 'ES', gender: 'female', language: 'fr',
      home: { name: 'Universidad de Salamanca', country: 'ES', schac: 'usal.es', erasmusCode: 'E SALAMAN02' },
    },
    path: [['validate'], ['refuse', 'The transcript of records is missing its second page. / Il manque la deuxième page du relevé de notes.']],
  },
  {
    input: {
      firstName: 'Joana', lastName: 'Silva', email: 'joana.silva@ulisboa.example', birthDate: '2002-12-03', nationality: 'PT', gender: 'female',
      home: { name: 'Universidade de Lisboa', country: 'PT', schac: 'ulisboa.pt', erasmusCode: 'P LISBOA109' },
    },
    path: [['validate'], ['abandon', 'Mobility cancelled by the home university.']],
  },
  {
    input: {
      firstName: 'Émilie', lastName: 'Lambert', email: 'emilie.lambert@uliege.example', birthDate: '2003-08-08', nationality: 'BE', gender: 'female', language: 'fr',
      home: { name: 'Université de Liège', country: 'BE', schac: 'uliege.be', erasmusCode: 'B LIEGE01' },
    },
    path: [],
  },
  {
    input: {
      firstName: 'Niamh', lastName: 'O’Brien', email: 'niamh.obrien@tcd.example', birthDate: '2004-06-19', nationality: 'IE', gender: 'female', exchangeType: 'second-semester',
      home: { name: 'Trinity College Dublin', country: 'IE', schac: 'tcd.ie', erasmusCode: 'IRL DUBLIN02' },
    },
    path: [],
  },
  {
    input: {
      firstName: 'Tomáš', lastName: 'Novák', email: 'tomas.novak@cuni.example', birthDate: '2001-10-01', nationality: 'CZ', gender: 'male', exchangeType: 'full-year',
      home: { name: 'Univerzita Karlova', country: 'CZ', schac: 'cuni.cz', erasmusCode: 'CZ PRAHA07' },
    },
    path: validate(2),
  },
];

/** The academic year files are for: the one that starts next September once the current one has begun. */
export function demoAcademicYear(now = new Date()): number {
  return now.getMonth() >= 8 ? now.getFullYear() : now.getFullYear() - 1;
}

/** Create the demo files in `trx` (the demo seed's transaction). */
export async function seedDemoFiles(store: MobilityStore, trx: Knex.Transaction, institutionId: number): Promise<number[]> {
  const actor: MobilityActor = { institutionId, label: 'demo', language: 'en' };
  const components = (await trx('components').where({ institution_id: institutionId }).orderBy('code').limit(4).pluck('id')) as number[];
  const year = demoAcademicYear();
  const ids: number[] = [];
  for (const [i, d] of FILES.entries()) {
    const file = await store.createFile(actor, {
      ...d.input, exchangeType: d.input.exchangeType ?? 'first-semester', academicYear: year, componentId: components.length ? components[i % components.length] : null,
    }, { trx, detail: { source: 'demo' } });
    let current = file;
    for (const [action, comment] of d.path) {
      ({ file: current } = await store.transition(actor, file.id, { stepKey: current.currentStep!, action, comment: comment ?? null }, undefined, { system: true, trx }));
    }
    ids.push(file.id);
  }
  return ids;
}

/** Demo files with the demo institution's other data (`smile start --demo`, `smile seed demo`). */
export function registerDemo(r: RegisterApi<any>): void {
  const store = r.deferred(mobilityService);
  r.hooks.seedDemo.tap(async (ctx) => {
    if (ctx.size !== 'demo') return;
    const knex = ctx.db.knex as Knex.Transaction;
    if (!knex.isTransaction) {
      await (ctx.db.knex as Knex).transaction((trx) => seedDemoFiles(store(), trx, ctx.institution.id));
      return;
    }
    await seedDemoFiles(store(), knex, ctx.institution.id);
  });
}
