// A catalogue with the teaching-element hierarchy: UEs whose credits are not the sum of their ECs',
// courses of their own, an annual one, a second-semester one. Shared by the course picker's counting
// tests and the Learning Agreement's Table A tests (which must agree with it).
import type { TestPlatform } from '@smile/sdk/testing';
import { catalogueService, type ElementRecord } from '@smile/plugin-catalogue';

export const el = (code: string, titleFr: string, titleEn: string, more: Partial<ElementRecord> = {}): ElementRecord => ({
  code, titleFr, titleEn, ects: 6, semester: 'S1', languages: ['fr'], componentCode: 'PUB', ...more,
});

/** Two UEs with their ECs (the UE's credits are not the sum of its ECs'), courses of their own, an annual one. */
export const ELEMENTS: ElementRecord[] = [
  el('UE1', 'Droit public général', 'General public law', { kind: 'UE', ects: 12 }),
  el('EC1A', 'Libertés fondamentales', 'Fundamental freedoms', { kind: 'EC', ects: 4 }),
  el('EC1B', 'Contentieux administratif', 'Administrative litigation', { kind: 'EC', ects: 4 }),
  el('EC1C', 'Finances publiques', 'Public finance', { kind: 'EC', ects: 4 }),
  el('UE2', 'Droit de l’environnement', 'Environmental law', { kind: 'UE', ects: 10 }),
  el('EC2A', 'Droit de l’eau', 'Water law', { kind: 'EC', ects: 5 }),
  el('EC2B', 'Droit du climat', 'Climate law', { kind: 'EC', ects: 5 }),
  el('PUB101', 'Droit constitutionnel comparé', 'Comparative constitutional law'),
  el('PUB102', 'Droit de la santé', 'Health law'),
  el('PUB103', 'Droit des étrangers', 'Immigration law'),
  el('GONE1', 'Droit colonial', 'Colonial law', { ects: 5 }),
  el('SHUT1', 'Droit rural', 'Rural law'),
  el('YEAR1', 'Clinique du droit public', 'Public law clinic', { semester: 'annual', ects: 8 }),
  el('SPR1', 'Droit fiscal', 'Tax law', { semester: 'S2' }),
];
export const UNDER: Record<string, string> = { EC1A: 'UE1', EC1B: 'UE1', EC1C: 'UE1', EC2A: 'UE2', EC2B: 'UE2' };

/** Import the catalogue into `year` of the test institution: the ECs under their UEs, the rest under the formation. */
export async function importHierarchy(t: TestPlatform, year: number): Promise<void> {
  const report = await t.resolve(catalogueService).importBatch({ institutionId: t.institution.id, label: 'test' }, year, {
    components: [{ code: 'PUB', nameFr: 'Faculté de droit public', nameEn: 'Public law faculty' }],
    formations: [{ code: 'M1PUB', nameFr: 'Master 1 Droit public', nameEn: 'Master 1 Public law', componentCode: 'PUB', level: 4 }],
    elements: ELEMENTS,
    links: ELEMENTS.filter((e) => !UNDER[e.code]).map((e) => ({ formationCode: 'M1PUB', childCode: e.code }))
      .concat(Object.entries(UNDER).map(([child, parent]) => ({ formationCode: 'M1PUB', parentCode: parent, childCode: child }))),
  }, { source: 'test' });
  if (!report.ok) throw new Error(JSON.stringify(report.errors));
}
