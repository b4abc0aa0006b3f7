// Fixtures of the circuit tests: a complete mobility file with an approved course choice, moved by
// the platform to `la-generated`, and helpers to read what mail a person got.
import type { TestPlatform } from '@smile/sdk/testing';
import { mobilityService, type MobilityActor, type MobilityFile } from '@smile/plugin-mobility';

export const OFFICE = { givenNames: 'Odile', familyName: 'Office', email: 'office@host.test', position: 'Head of office' };

/** Settings every circuit test boots with: the office's contact receives the office's mail. */
export const SETTINGS = { 'learning-agreement': { officeContact: OFFICE } };

const STEPS = ['pre-registration', 'office-validation', 'course-selection', 'referent-approval', 'host-approval', 'student-approval'];

/** A file of `personId` with every profile field, courses approved, moved to `la-generated` by the platform. */
export async function generatedFile(t: TestPlatform, personId: number, lastName: string, courses = 2): Promise<MobilityFile> {
  const store = t.resolve(mobilityService);
  const system: MobilityActor = { institutionId: t.institution.id, label: 'test system' };
  const file = await store.createFile(system, {
    personId, firstName: 'Łucja', lastName, email: `${lastName.toLowerCase()}@student.test`, birthDate: '2003-04-05', nationality: 'PL', gender: 'female',
    homeAddress: { street: 'ul. Piotrkowska', number: '12', city: 'Łódź', postalCode: '90-001', country: 'PL' },
    home: { name: 'Uniwersytet Łódzki', country: 'PL', schac: 'uni.lodz.pl', erasmusCode: 'PL LODZ01' },
    exchangeType: 'full-year', academicYear: 2026, plannedStart: '2026-09-01', plannedEnd: '2027-06-30', eqfLevel: 7, isced: '0311', language: 'en',
  });
  const [choice] = await t.knex('course_picker_choices').insert({ institution_id: t.institution.id, file_id: file.id, language_levels: JSON.stringify({ fr: 'B2' }) }).returning('id');
  const choiceId = typeof choice === 'object' ? choice.id : choice;
  const items = [
    { code: 'ECO101', title_fr: 'Microéconomie', title_en: 'Microeconomics', ects: 6, term: 'S1' },
    { code: 'HIS202', title_fr: 'Histoire de l’Øresund', title_en: 'History of the Øresund', ects: 5, term: 'S2' },
    { code: 'LAW303', title_fr: 'Droit européen', title_en: 'European law', ects: 4, term: 'S1' },
  ].slice(0, courses);
  for (const i of items) await t.knex('course_picker_items').insert({ institution_id: t.institution.id, choice_id: choiceId, year: 2026, decision: 'approved', ...i });
  for (const stepKey of STEPS) await store.transition(system, file.id, { stepKey, action: 'validate' }, undefined, { system: true });
  return (await store.file(t.institution.id, file.id))!;
}

/** The agreement id of a file. */
export async function agreementId(t: TestPlatform, fileId: number): Promise<number> {
  return (await t.knex('learning_agreements').where({ file_id: fileId }).first('id')).id;
}

/** Mail queued for `to`, oldest first. */
export async function mailTo(t: TestPlatform, to: string): Promise<Array<{ subject: string; body: string; tag: string | null }>> {
  const rows = await t.knex('mail_outbox').where({ recipient: to }).orderBy('id');
  return rows.map((r: any) => ({ subject: r.subject, body: r.body_text, tag: r.tag ?? null }));
}

/** The signing link in the last mail to `to` (its path). */
export async function lastLink(t: TestPlatform, to: string): Promise<string> {
  const mails = await mailTo(t, to);
  const m = /\/la\/sign\/[A-Za-z0-9_-]{43}/.exec(mails.at(-1)?.body ?? '');
  if (!m) throw new Error(`no signing link mailed to ${to}`);
  return m[0];
}

/** The form the student sends to complete the first version. */
export const completeForm = (version: number) => ({
  version: String(version), cefr: 'B2', unit: 'Wydział Ekonomiczno-Socjologiczny', givenNames: 'Zbigniew', familyName: 'Świątek',
  email: 'coordinator@uni.lodz.pl', position: 'Erasmus coordinator',
  bCode: ['EK-1', ''], bTitle: ['Mikroekonomia', ''], bTerm: ['S1', ''], bEcts: ['6', ''], bAuto: ['yes', 'yes'],
});
