import type { AuditActor } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { catalogueService, type CatalogueStore } from '../src/store.js';
import type { CatalogueBatch, ElementRecord } from '../src/types.js';

/** A platform with the catalogue and the base theme (plus `extra` plugins). */
export function boot(extra: string[] = []): Promise<TestPlatform> {
  return startTestPlatform({ plugins: ['catalogue', 'base', ...extra] });
}

export const store = (t: TestPlatform): CatalogueStore => t.resolve(catalogueService);
export const system = (t: TestPlatform): AuditActor => ({ institutionId: t.institution.id, label: 'test' });

/** A small catalogue: two components, two formations, a UE with two ECs, one EC shared by both formations. */
export function smallBatch(extra: Partial<CatalogueBatch> = {}): CatalogueBatch {
  const el = (code: string, titleFr: string, titleEn: string, more: Partial<ElementRecord> = {}): ElementRecord => ({ code, titleFr, titleEn, ects: 6, semester: 'S1', languages: ['fr'], ...more });
  return {
    components: [
      { code: 'ECO', nameFr: 'Faculté d’économie', nameEn: 'Faculty of Economics' },
      { code: 'LET', nameFr: 'Faculté des lettres', nameEn: 'Faculty of Arts' },
    ],
    formations: [
      { code: 'L3ECO', nameFr: 'Licence 3 Économie', nameEn: 'Bachelor 3 Economics', componentCode: 'ECO', level: 3, diplomaType: 'LIC' },
      { code: 'L3LET', nameFr: 'Licence 3 Lettres modernes', nameEn: 'Bachelor 3 Modern Literature', componentCode: 'LET', level: 3, diplomaType: 'LIC' },
    ],
    elements: [
      el('UE1', 'Fondamentaux d’économie', 'Economics fundamentals', { kind: 'UE', ects: 12 }),
      el('MICRO', 'Microéconomie', 'Microeconomics'),
      el('MACRO', 'Macroéconomie', 'Macroeconomics', { semester: 'S2', languages: ['fr', 'en'] }),
      el('HIST', 'Histoire économique de l’Europe', 'Economic history of Europe', { semester: 'annual', ects: 3 }),
      el('ROMAN', 'Le roman français au XIXe siècle', 'The nineteenth-century French novel', { languages: ['fr'] }),
    ],
    links: [
      { formationCode: 'L3ECO', childCode: 'UE1' },
      { formationCode: 'L3ECO', parentCode: 'UE1', childCode: 'MICRO' },
      { formationCode: 'L3ECO', parentCode: 'UE1', childCode: 'MACRO' },
      { formationCode: 'L3ECO', childCode: 'HIST' },
      { formationCode: 'L3LET', childCode: 'HIST' },
      { formationCode: 'L3LET', childCode: 'ROMAN' },
    ],
    ...extra,
  };
}
