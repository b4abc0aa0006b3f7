/**
 * Which chosen elements count, in which term, for how many ECTS: the formation trees' hierarchy
 * (a UE and its ECs) decides what is counted once. Internal to the rules engine.
 */
import type { CountedUnit, ElementTitle, ExchangeRules, RuleElement, StudentContext, Term } from './rules-types.js';

/** ECTS are decimals (6,2) in the catalogue: sums are made in hundredths so that 29.9 + 0.1 is exactly 30. */
export const toHundredths = (ects: number): number => Math.round(ects * 100);
export const fromHundredths = (h: number): number => h / 100;

/** The ECTS an incoming student earns: the mobility ones when the catalogue has them. */
export function ectsOf(e: RuleElement): number | null {
  return e.mobilityEcts ?? e.ects ?? null;
}

export const titleOf = (e: Pick<RuleElement, 'titleFr' | 'titleEn'>): ElementTitle => ({ fr: e.titleFr, en: e.titleEn ?? null });

/** A chosen element still in the catalogue and open, with the term the student gave it. */
export interface ValidChoice {
  element: RuleElement;
  term?: Term;
}

/**
 * The terms an element is taken in: its semester when the mobility has it; an annual element is
 * spread over both terms of a full year; otherwise the term the student gave, else the first term
 * of the mobility (so that an element of the wrong term still shows in the totals the student sees).
 */
export function termsOf(e: RuleElement, chosenTerm: Term | undefined, student: StudentContext): Term[] {
  const terms = student.terms;
  const first = terms[0] ?? 'S1';
  if (e.semester === 'S1' || e.semester === 'S2') return terms.includes(e.semester) ? [e.semester] : [first];
  if (e.semester === 'annual') return terms.length > 1 ? [...terms] : [first];
  return chosenTerm && terms.includes(chosenTerm) ? [chosenTerm] : [first];
}

/** Spread `h` hundredths over `terms`: the first term takes the odd hundredth. */
function split(h: number, terms: Term[]): Partial<Record<Term, number>> {
  if (terms.length === 1) return { [terms[0]!]: h };
  const half = Math.floor(h / 2);
  return { [terms[0]!]: h - half, [terms[1]!]: half };
}

/** Ancestors of elements through `parentCodes`, as far as the known elements go. */
export class Hierarchy {
  constructor(private readonly byCode: Map<string, RuleElement>) {}

  ancestors(code: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>([code]);
    let frontier = this.byCode.get(code)?.parentCodes ?? [];
    // a bad edit can place an element under itself: `seen` stops the loop
    while (frontier.length) {
      const next: string[] = [];
      for (const p of frontier) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push(p);
        next.push(...(this.byCode.get(p)?.parentCodes ?? []));
      }
      frontier = next;
    }
    return out;
  }

  isAncestor(ancestor: string, of: string): boolean {
    return this.ancestors(of).includes(ancestor);
  }

  get(code: string): RuleElement | undefined {
    return this.byCode.get(code);
  }
}

/** What {@link countUnits} returns: the counted units, and chosen elements with no ECTS that counted for themselves. */
export interface Counting {
  units: CountedUnit[];
  noEcts: string[];
}

/**
 * The units counted in the totals. `independent`: every chosen element. `exclusive`: an element
 * under another chosen one adds nothing (the violation says to drop one of them; counting both would
 * also make the totals lie). `implied-parent`: the same, and a chosen element directly under a UE
 * (any `unitKinds` kind) counts as that UE, once for all its chosen children; a UE with no ECTS in
 * the catalogue counts the sum of its chosen children.
 */
export function countUnits(choices: ValidChoice[], hierarchy: Hierarchy, rules: ExchangeRules, student: StudentContext): Counting {
  const mode = rules.hierarchy.mode;
  const chosen = new Set(choices.map((c) => c.element.code));
  const unitKinds = new Set(rules.hierarchy.unitKinds.map((k) => k.toLowerCase()));
  const chosenAncestors = (code: string) => (mode === 'independent' ? [] : hierarchy.ancestors(code).filter((a) => chosen.has(a)));

  const units = new Map<string, CountedUnit & { h: number; termOf: Term[] }>();
  const implied = new Map<string, { element: RuleElement; children: ValidChoice[] }>();
  const absorbed: ValidChoice[] = [];
  const noEcts: string[] = [];

  for (const c of choices) {
    const e = c.element;
    if (chosenAncestors(e.code).length) {
      absorbed.push(c);
      continue;
    }
    if (mode === 'implied-parent') {
      const parent = e.parentCodes.map((p) => hierarchy.get(p)).find((p) => p && unitKinds.has(p.kind.toLowerCase()));
      if (parent) {
        const entry = implied.get(parent.code) ?? { element: parent, children: [] };
        entry.children.push(c);
        implied.set(parent.code, entry);
        continue;
      }
    }
    const ects = ectsOf(e);
    if (ects === null) noEcts.push(e.code);
    const terms = termsOf(e, c.term, student);
    const h = toHundredths(ects ?? 0);
    units.set(e.code, { code: e.code, title: titleOf(e), ects: 0, split: {}, componentCode: e.componentCode, includes: [], h, termOf: terms });
  }

  for (const [code, { element, children }] of implied) {
    const own = ectsOf(element);
    const h = own !== null ? toHundredths(own) : children.reduce((s, c) => s + toHundredths(ectsOf(c.element) ?? 0), 0);
    // its ECs give the term when the catalogue gives the UE none
    const terms = termsOf(element, children[0]!.term ?? termsOf(children[0]!.element, undefined, student)[0], student);
    const by = children.map((c) => c.element.code);
    units.set(code, { code, title: titleOf(element), ects: 0, split: {}, componentCode: element.componentCode, impliedBy: by, includes: [...by], h, termOf: terms });
  }

  // an absorbed element is shown inside the outermost chosen element above it
  const unitOf = new Map<string, string>();
  for (const u of units.values()) for (const code of [u.code, ...(u.impliedBy ?? [])]) if (chosen.has(code)) unitOf.set(code, u.code);
  for (const c of absorbed) {
    const top = chosenAncestors(c.element.code).filter((a) => unitOf.has(a)).pop();
    if (top) units.get(unitOf.get(top)!)!.includes.push(c.element.code);
  }

  const out: CountedUnit[] = [];
  for (const u of units.values()) {
    const { h, termOf, ...unit } = u;
    const parts = split(h, termOf);
    out.push({ ...unit, ects: fromHundredths(h), split: Object.fromEntries(Object.entries(parts).map(([t, v]) => [t, fromHundredths(v!)])) });
  }
  return { units: out, noEcts };
}
