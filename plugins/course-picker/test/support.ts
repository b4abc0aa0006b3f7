// Fixtures of the course-picker tests: a platform with the catalogue, the mobility workflow and the
// picker; a small catalogue of a law and an economics faculty; files taken to the choice step.
import { startTestPlatform, type TestPlatform, type TestClient } from '@smile/sdk/testing';
import { catalogueService, type ElementRecord } from '@smile/plugin-catalogue';
import { mobilityService, type MobilityFile } from '@smile/plugin-mobility';
import { coursePickerService } from '../src/store.js';

export const YEAR = 2026;

export function boot(): Promise<TestPlatform> {
  return startTestPlatform({ plugins: ['course-picker', 'base'] });
}

const el = (code: string, titleFr: string, titleEn: string, componentCode: string, more: Partial<ElementRecord> = {}): ElementRecord => ({
  code, titleFr, titleEn, ects: 6, semester: 'S1', languages: ['fr'], componentCode, ...more,
});

/** Law courses (30 ECTS in semester 1), economics, and elements the picker must not offer. */
export async function seedCatalogue(t: TestPlatform): Promise<void> {
  const report = await t.resolve(catalogueService).importBatch({ institutionId: t.institution.id, label: 'test' }, YEAR, {
    components: [
      { code: 'LAW', nameFr: 'Faculté de droit', nameEn: 'Law faculty' },
      { code: 'ECO', nameFr: 'Faculté d’économie', nameEn: 'Faculty of Economics' },
    ],
    formations: [
      { code: 'L3LAW', nameFr: 'Licence 3 Droit', nameEn: 'Bachelor 3 Law', componentCode: 'LAW', level: 3 },
      { code: 'L3ECO', nameFr: 'Licence 3 Économie', nameEn: 'Bachelor 3 Economics', componentCode: 'ECO', level: 3 },
    ],
    elements: [
      el('LAW101', 'Droit constitutionnel', 'Constitutional law', 'LAW'),
      el('LAW102', 'Droit des contrats', 'Contract law', 'LAW'),
      el('LAW103', 'Droit pénal', 'Criminal law', 'LAW'),
      el('LAW104', 'Droit administratif', 'Administrative law', 'LAW'),
      el('LAW105', 'Droit européen', 'European Union law', 'LAW'),
      el('SEAT1', 'Clinique juridique', 'Legal clinic', 'LAW', { seats: 1 }),
      el('ECO201', 'Microéconomie', 'Microeconomics', 'ECO'),
      el('ECO202', 'Macroéconomie', 'Macroeconomics', 'ECO'),
      el('CLOSED1', 'Histoire du droit', 'Legal history', 'LAW', { openToMobility: false }),
      el('ONLYBIL', 'Droit comparé', 'Comparative law', 'LAW', { exchangeTypes: ['double-degree'] }),
      el('SPRING1', 'Droit fiscal', 'Tax law', 'LAW', { semester: 'S2' }),
    ],
    links: ['LAW101', 'LAW102', 'LAW103', 'LAW104', 'LAW105', 'SEAT1', 'CLOSED1', 'ONLYBIL', 'SPRING1'].map((c) => ({ formationCode: 'L3LAW', childCode: c }))
      .concat(['ECO201', 'ECO202'].map((c) => ({ formationCode: 'L3ECO', childCode: c }))),
  }, { source: 'test' });
  if (!report.ok) throw new Error(JSON.stringify(report.errors));
}

const system = (t: TestPlatform) => ({ institutionId: t.institution.id, label: 'system' });

/** A student with a first-semester file of the law faculty (approved by LAW and ECO referents), at the choice step. */
export async function studentAtChoice(t: TestPlatform, name = 'Ana Souza', opts: { language?: 'fr' | 'en' } = {}): Promise<{ session: { cookie: string; csrf: string; personId: number }; file: MobilityFile }> {
  const session = await t.signIn(['student'], { displayName: name });
  const law = (await t.knex('components').where({ institution_id: t.institution.id, code: 'LAW' }).first()).id;
  const [firstName, lastName] = name.split(' ') as [string, string];
  const store = t.resolve(mobilityService);
  const created = await store.createFile(system(t), {
    firstName, lastName, exchangeType: 'first-semester', academicYear: YEAR, personId: session.personId, componentId: law,
    approvalComponents: ['LAW', 'ECO'], language: opts.language ?? 'en',
    // the student steps need a complete profile
    birthDate: '2003-04-05', nationality: 'BR', gender: 'female', email: `${firstName.toLowerCase()}@example.org`,
    homeAddress: { street: 'Rua das Flores', number: '12', city: 'Porto Alegre', country: 'BR' },
  });
  for (const stepKey of ['pre-registration', 'office-validation']) await store.transition(system(t), created.id, { stepKey, action: 'validate' }, undefined, { system: true });
  return { session, file: (await store.file(t.institution.id, created.id))! };
}

/** Choose `codes` (as the platform, no page) and submit as the student. */
export async function submitted(t: TestPlatform, file: MobilityFile, personId: number, codes: string[]): Promise<void> {
  const picker = t.resolve(coursePickerService);
  const actor = { institutionId: t.institution.id, personId, label: 'student' };
  for (const code of codes) await picker.add(actor, { rules: {}, terms: { 'first-semester': ['S1'] } }, file, code, null);
  await t.resolve(mobilityService).transition({ ...actor, language: 'en' }, file.id, { stepKey: 'course-selection', action: 'validate' });
}

/** The text of a page without tags, for assertions on what a reader sees. */
export const text = (html: string): string => html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ');

export type { TestClient };
