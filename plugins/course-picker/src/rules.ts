/**
 * The course-choice rules engine: pure functions the pages and the API of the plugin call on the
 * server (the page only shows what they return). See the README's "Rules" section.
 * @packageDocumentation
 */
import type { Element } from '@smile/plugin-catalogue';
import type { RuleElement } from './rules-types.js';

export * from './rules-types.js';
export { DEFAULT_RULES, resolveRules, rulesConfigSchema } from './rules-config.js';
export { evaluateChoice, sortViolations } from './rules-engine.js';
export { explain, explainCounted, explainTerm, fileTranslator } from './rules-explain.js';
export type { ExplainOptions, RulesAudience, RulesLanguage, RulesTranslate } from './rules-explain.js';
export { slotsClash } from './rules-checks.js';

/** What the catalogue does not hold and the caller works out (see the README for how to add them to the catalogue). */
export interface RuleElementExtras {
  /** Codes of the elements it sits directly under (`catalogueService.tree()` / `catalogue_links.parent_id`). */
  parentCodes?: string[];
  /** Seats still free for incoming students, not counting this student's choice. */
  seatsLeft?: number | null;
  prerequisiteCodes?: string[];
}

/** A catalogue element as the rules read it: the fields it has, copied as they are, plus `extras`. */
export function ruleElement(e: Element, extras: RuleElementExtras = {}): RuleElement {
  return {
    code: e.code, kind: e.kind, titleFr: e.titleFr, titleEn: e.titleEn, ects: e.ects, mobilityEcts: e.mobilityEcts, semester: e.semester,
    level: e.level, languages: [...e.languages], componentCode: e.componentCode, seats: e.seats,
    exchangeTypes: e.exchangeTypes ? [...e.exchangeTypes] : null,
    // a full sync that no longer finds it in the source closes it: for the rules both mean "gone from the offer"
    openToMobility: e.openToMobility && e.inSource,
    prerequisitesFr: e.prerequisitesFr, prerequisitesEn: e.prerequisitesEn, timetable: e.timetable.map((s) => ({ ...s })),
    parentCodes: extras.parentCodes ?? [], seatsLeft: extras.seatsLeft ?? null, prerequisiteCodes: extras.prerequisiteCodes ?? [],
  };
}
