/**
 * The mobility macros templates may use, and the one function that builds their values from a
 * file (plus the step, deadline, comment and link of the mail at hand).
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { MacroDefinition, MacroValues } from '@smile/plugin-mailing';
import type { MobilityFile } from './types.js';

type Db = Knex | Knex.Transaction;

/**
 * The macros of a mobility file, with descriptions in both languages and examples for the preview.
 * The mailing plugin already defines `student.firstName`, `student.lastName`, `home.name` and
 * `step.label` (its seeded templates use them); those given here again say more precisely what the
 * value is in mobility mail, and replace the mailing plugin's descriptions.
 */
export const MOBILITY_MACROS: MacroDefinition[] = [
  { name: 'student.email', description: { fr: 'Adresse électronique de l’étudiant·e', en: 'E-mail address of the student' }, example: 'ana.silva@ulisboa.example' },
  { name: 'home.country', description: { fr: 'Pays de l’établissement d’origine (code à deux lettres)', en: 'Country of the home institution (two-letter code)' }, example: 'PT' },
  {
    name: 'deadline',
    description: { fr: 'Date limite de l’étape (jj/mm/aaaa en français, aaaa-mm-jj en anglais) ; vide sans date limite', en: 'Deadline of the step (dd/mm/yyyy in French, yyyy-mm-dd in English); empty without a deadline' },
    example: '15/06/2027',
  },
  {
    name: 'link',
    description: { fr: 'Lien vers le dossier : l’espace de l’étudiant·e pour l’étudiant·e, la page du dossier pour le personnel', en: 'Link to the file: the student’s space for the student, the file’s page for staff' },
    example: 'https://smile.example.org/mobility/me/42',
  },
  { name: 'comment', description: { fr: 'Commentaire de la personne qui a agi (refus, document refusé)', en: 'Comment of the person who acted (refusal, refused document)' }, example: 'The transcript is not legible.' },
  { name: 'file.id', description: { fr: 'Numéro du dossier', en: 'File number' }, example: '42' },
  { name: 'file.exchangeType', description: { fr: 'Type d’échange du dossier', en: 'Exchange type of the file' }, example: 'First semester' },
  { name: 'file.academicYear', description: { fr: 'Année universitaire du dossier', en: 'Academic year of the file' }, example: '2027-2028' },
  { name: 'file.component', description: { fr: 'Composante du dossier (code)', en: 'Component of the file (code)' }, example: 'UFR13' },
];

/** What a mail says besides the file. */
export interface MailContext {
  language: 'fr' | 'en';
  link: string;
  step?: { label: { fr: string; en: string } } | null;
  deadline?: Date | null;
  comment?: string | null;
  /** Label of the exchange type in the mail's language (looked up when absent). */
  exchangeTypeLabel?: string;
}

/** The label of an exchange type in a language, or its code. */
export async function exchangeTypeLabel(db: Db, institutionId: number, code: string, language: 'fr' | 'en'): Promise<string> {
  const row = await db('mobility_exchange_types').where({ institution_id: institutionId, code }).first('label_fr', 'label_en');
  return (language === 'fr' ? row?.label_fr : row?.label_en) || code;
}

/** The values of {@link MOBILITY_MACROS} for one mail about `file` (`host.name` and `today` are the mailing plugin's). */
export function macroValues(file: MobilityFile, m: MailContext): MacroValues {
  const step = m.step ? (m.language === 'fr' ? m.step.label.fr || m.step.label.en : m.step.label.en || m.step.label.fr) : '';
  return {
    student: { firstName: file.firstName, lastName: file.lastName, email: file.email ?? '' },
    home: { name: file.home.name ?? '', country: file.home.country ?? '' },
    step: { label: step },
    // empty rather than missing: a template may be sent about a step without a deadline
    deadline: m.deadline ?? '',
    link: m.link,
    comment: m.comment ?? '',
    file: { id: String(file.id), exchangeType: m.exchangeTypeLabel ?? file.exchangeType, academicYear: `${file.academicYear}-${file.academicYear + 1}`, component: file.componentCode ?? '' },
  };
}
