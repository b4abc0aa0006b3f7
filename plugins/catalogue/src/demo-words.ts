/**
 * Wording of the demo catalogue: seeded randomness, how a subject is named at each level
 * ("Microéconomie II", "Séminaire : Droit comparé", "Advanced contract law"), and the texts of a
 * course (description, objectives, learning outcomes, prerequisites) in French and English.
 * @packageDocumentation
 */
import type { Family, Programme } from './demo-data.js';
import { SUBJECTS, type FamilyKey, type Subject } from './demo-subjects.js';
import type { ElementRecord } from './types.js';

export type Text = { fr: string; en: string };

// ---- deterministic randomness -------------------------------------------------------------------

/** FNV-1a: a string to 32 bits. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, and the same on every platform. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let x = this.state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  /** `n` distinct items of `list`, in list order. */
  some<T>(list: readonly T[], n: number): T[] {
    const idx = list.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    return idx.slice(0, n).sort((a, b) => a - b).map((i) => list[i]!);
  }
}

// ---- wording ------------------------------------------------------------------------------------

export const ordFr = (n: number) => (n === 1 ? '1re' : `${n}e`);
const ORD_EN = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];
export const ordEn = (n: number) => ORD_EN[n - 1] ?? `${n}th`;
export const t = (fr: string, en: string): Text => ({ fr, en });

/** Words that keep their capital inside an English title. */
const PROPER = new Set([
  'English', 'French', 'European', 'Roman', 'Spanish', 'German', 'Italian', 'Latin', 'Greek', 'American', 'British', 'African', 'Asian',
  'Irish', 'Scottish', 'Canadian', 'Catalan', 'Islamic', 'Byzantine', 'Victorian', 'Anglo-American', 'Franco-German', 'Middle', 'Southern',
  'Shakespeare', 'Cervantes', 'Dante', 'Petrarch', 'Brecht’s', 'Goethe', 'Kafka', 'Machiavelli', 'Pirandello’s', 'Kant’s', 'Spinoza',
  'Hegel', 'Nietzsche', 'Descartes', 'Fourier', 'Bayesian', 'Python', 'Java', 'Internet', 'Hollywood', 'Italy', 'Spain', 'Mexico',
  'Austria', 'Canada', 'Europe', 'Renaissance', 'Romanticism', 'Baroque', 'Plato', 'Aristotle', 'Common', 'Olympic',
]);
function lowerFirst(s: string): string {
  const first = s.split(' ')[0]!;
  if (PROPER.has(first) || first.length === 1 || /[A-Z]/.test(first.slice(1))) return s;
  return s.charAt(0).toLowerCase() + s.slice(1);
}
const startsWithArticle = (s: string) => /^(The|A|An) /.test(s);

type Variant = (s: Subject) => Text;
const ROMAN = ['I', 'II', 'III'];
const V = {
  plain: (s: Subject) => t(s.fr, s.en),
  num: (n: number): Variant => (s) => t(`${s.fr} ${ROMAN[n]}`, `${s.en} ${ROMAN[n]}`),
  advanced: (s: Subject) => t(`${s.fr} : approfondissement`, startsWithArticle(s.en) ? `${s.en}: advanced course` : `Advanced ${lowerFirst(s.en)}`),
  seminar: (s: Subject) => t(`Séminaire : ${s.fr}`, `Seminar: ${s.en}`),
  project: (s: Subject) => t(`Projet tutoré : ${s.fr}`, `Supervised project: ${s.en}`),
  issues: (s: Subject) => t(`${s.fr} : enjeux contemporains`, `Current issues in ${lowerFirst(s.en)}`),
  research: (s: Subject) => t(`Séminaire de recherche : ${s.fr}`, `Research seminar: ${s.en}`),
  workshop: (s: Subject) => t(`Atelier professionnel : ${s.fr}`, `Professional workshop: ${s.en}`),
  clinical: (s: Subject) => t(`${s.fr} : cas cliniques`, `${s.en}: clinical cases`),
  doctoral: (s: Subject) => t(`Formation doctorale : ${s.fr}`, `Doctoral course: ${s.en}`),
  sae: (s: Subject) => t(`SAÉ : ${s.fr}`, `Applied project: ${s.en}`),
};

/** How a subject is named at a given level: "Microéconomie II", "Séminaire : Droit comparé"… */
export function variantFor(s: Subject, level: number, p: Programme, rng: Rng): Variant {
  const r = rng.next();
  if (p.type === 'DOC') return V.doctoral;
  // a subject that already has a colon reads badly with another one
  if (s.fr.includes(':')) return level <= 2 && r < 0.3 ? V.num(level - 1) : V.plain;
  if (p.type === 'BUT') return r < 0.25 ? V.sae : V.plain;
  const health = p.families[0] === 'med' || p.families[0] === 'pharma';
  if (health) return level >= 4 && r < 0.3 ? V.clinical : V.plain;
  if (level <= 2) return r < 0.3 ? V.num(level - 1) : V.plain;
  if (level === 3) return r < 0.55 ? V.plain : r < 0.75 ? V.advanced : V.project;
  if (level === 4) return r < 0.4 ? V.plain : r < 0.65 ? V.seminar : r < 0.8 ? V.advanced : V.issues;
  return r < 0.3 ? V.plain : r < 0.55 ? V.research : r < 0.8 ? V.workshop : V.issues;
}

/** A subject of `family` suited to `level` and not yet used in the formation. */
export function pickSubject(family: FamilyKey, level: number, used: Set<string>, rng: Rng): Subject {
  const list = SUBJECTS[family];
  // the lists go from first-year to master's subjects: each level draws from its half of the list
  const span = Math.ceil(list.length / 2);
  const start = Math.floor((Math.min(Math.max(level, 1), 6) - 1) / 5 * (list.length - span));
  for (let i = 0; i < 12; i++) {
    const s = list[start + Math.floor(rng.next() * span)]!;
    if (!used.has(s.fr)) return use(s, used);
  }
  const free = list.filter((s) => !used.has(s.fr));
  return use(free.length ? rng.pick(free) : rng.pick(list), used);
}
const use = (s: Subject, used: Set<string>) => (used.add(s.fr), s);

/** The next unused subject of `family` from position `from`: the core courses follow the list, semester after semester. */
export function nextSubject(family: FamilyKey, from: number, used: Set<string>): Subject {
  const list = SUBJECTS[family];
  for (let i = 0; i < list.length; i++) {
    const s = list[(from + i) % list.length]!;
    if (!used.has(s.fr)) return use(s, used);
  }
  return list[from % list.length]!;
}


/** Description, objectives, learning outcomes and prerequisites of a course. */
export function texts(title: Text, F: Family | null, kind: 'language' | 'skills' | undefined, level: number, rng: Rng): Partial<ElementRecord> {
  const q = { fr: `« ${title.fr} »`, en: `“${title.en}”` };
  if (!F) {
    return kind === 'language'
      ? {
          descriptionFr: `Cours de langue ${q.fr} en petits groupes : compréhension et expression écrites et orales, à partir de documents authentiques.`,
          descriptionEn: `Language course ${q.en} in small groups: reading, listening, writing and speaking, based on authentic material.`,
          objectivesFr: 'Progresser d’un niveau du Cadre européen commun de référence pour les langues (CECRL).',
          objectivesEn: 'Progress by one level of the Common European Framework of Reference for Languages (CEFR).',
          outcomesFr: 'À l’issue du cours, l’étudiant·e sera capable de communiquer avec aisance dans les situations de la vie universitaire et professionnelle.',
          outcomesEn: 'On completing this course, students will be able to communicate with ease in academic and professional situations.',
          prerequisitesFr: null, prerequisitesEn: null,
        }
      : {
          descriptionFr: `Enseignement transversal ${q.fr}, commun aux formations de la composante : ateliers, travail en groupe et accompagnement individuel.`,
          descriptionEn: `Transferable-skills course ${q.en}, shared by the component’s programmes: workshops, group work and individual guidance.`,
          objectivesFr: 'Acquérir des méthodes de travail et des compétences utiles dans toutes les disciplines.',
          objectivesEn: 'Acquire working methods and skills that are useful in every discipline.',
          outcomesFr: 'À l’issue du cours, l’étudiant·e sera capable d’organiser son travail, de présenter un projet et de valoriser ses compétences.',
          outcomesEn: 'On completing this course, students will be able to organise their work, present a project and showcase their skills.',
          prerequisitesFr: null, prerequisitesEn: null,
        };
  }
  const d = rng.int(0, 2);
  const description = [
    t(
      `Ce cours présente les notions, les auteurs et les débats essentiels de l’enseignement ${q.fr}. Il aborde ${F.topics.fr} et s’appuie sur des études de cas.`,
      `This course introduces the key concepts, authors and debates of ${q.en}. It covers ${F.topics.en} and draws on case studies.`,
    ),
    t(
      `Enseignement associant cours magistraux et travaux dirigés. Les séances de ${q.fr} alternent exposés, lectures commentées et exercices d’application ; une attention particulière est portée à ${F.topics.fr}.`,
      `Lectures combined with tutorials. Sessions of ${q.en} alternate presentations, guided reading and practical exercises, with particular attention to ${F.topics.en}.`,
    ),
    t(
      `Le cours ${q.fr} s’adresse aux étudiant·es de ${ordFr(level)} année et prépare aux enseignements plus spécialisés de la formation. Il met l’accent sur ${F.topics.fr}.`,
      `${q.en} is aimed at ${ordEn(level)}-year students and prepares them for the more specialised courses of the programme. It focuses on ${F.topics.en}.`,
    ),
  ][d]!;
  return {
    descriptionFr: description.fr,
    descriptionEn: description.en,
    objectivesFr: `Maîtriser les notions fondamentales de ${q.fr} ; savoir mobiliser ${F.method.fr} ; situer le sujet dans l’ensemble des connaissances en ${F.field.fr}.`,
    objectivesEn: `Master the core notions of ${q.en}; be able to use ${F.method.en}; place the subject within ${F.field.en} as a whole.`,
    outcomesFr: `À l’issue de cet enseignement, l’étudiant·e sera capable de : expliquer et illustrer les notions clés de ${q.fr} ; ${F.skill.fr} ; présenter une analyse structurée à l’écrit comme à l’oral.`,
    outcomesEn: `On completing this course, students will be able to: explain and illustrate the key notions of ${q.en}; ${F.skill.en}; present a structured analysis in writing and orally.`,
    prerequisitesFr: level <= 1 ? null : level <= 3 ? `Bases en ${F.field.fr} acquises en ${ordFr(level - 1)} année.` : `Licence en ${F.field.fr} ou formation équivalente.`,
    prerequisitesEn: level <= 1 ? null : level <= 3 ? `Basic knowledge of ${F.field.en} from year ${level - 1}.` : `A bachelor’s degree in ${F.field.en} or equivalent.`,
  };
}
