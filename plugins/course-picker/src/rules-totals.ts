/** The limits on a term's (or the year's) totals: ECTS minimum and maximum, main-component share. Internal. */
import { fromHundredths, toHundredths } from './rules-count.js';
import type { EvaluationMode, Term, Violation } from './rules-types.js';

/** Totals in hundredths of ECTS, and the limits they are held to. */
export interface TotalsCheck {
  chosenH: number;
  mainH: number;
  min: number;
  max: number;
  /** Percent. */
  threshold: number;
  mainComponent: string | null;
  /** Set for a term; absent for the whole year (whose share is only shown: a year whose every term meets it meets it too). */
  term?: Term;
  mode: EvaluationMode;
}

/** The violations of these totals. The minimum only warns in a draft: a choice is built a course at a time. */
export function limitViolations(c: TotalsCheck): Violation[] {
  const { chosenH, mainH, term } = c;
  const found: Violation[] = [];
  const base = { elements: [], titles: [], ...(term ? { term } : {}) };
  const ects = fromHundredths(chosenH);
  if (chosenH > toHundredths(c.max)) {
    found.push({ rule: term ? 'ects-term-max' : 'ects-year-max', severity: 'block', ...base, params: { ects, max: c.max, excess: fromHundredths(chosenH - toHundredths(c.max)) } });
  }
  if (chosenH < toHundredths(c.min)) {
    found.push({
      rule: term ? 'ects-term-min' : 'ects-year-min',
      severity: c.mode === 'submit' ? 'block' : 'warning',
      ...base,
      params: { ects, min: c.min, missing: fromHundredths(toHundredths(c.min) - chosenH) },
    });
  }
  const t = c.threshold;
  // compared on integers (hundredths × percent) so that exactly 50 % passes a 50 % threshold
  if (term && c.mainComponent && chosenH > 0 && mainH * 100 < t * chosenH) {
    // (main + x) / (chosen + x) ≥ t  ⇔  x ≥ (t·chosen − main) / (1 − t);   main / (chosen − y) ≥ t  ⇔  y ≥ chosen − main / t
    const add = t >= 100 ? null : Math.ceil((t * chosenH - 100 * mainH) / (100 - t));
    const drop = Math.min(chosenH - mainH, Math.ceil(chosenH - (100 * mainH) / t));
    found.push({
      rule: 'main-component-share',
      severity: 'block',
      ...base,
      params: {
        ects, mainEcts: fromHundredths(mainH), share: shareOf(chosenH, mainH) ?? 0, threshold: t, component: c.mainComponent,
        add: add === null ? null : fromHundredths(add), drop: fromHundredths(drop),
      },
    });
  }
  return found;
}

/** Percent of `mainH` in `chosenH`, one decimal; `null` when nothing is chosen. */
export function shareOf(chosenH: number, mainH: number): number | null {
  return chosenH > 0 ? Math.round((mainH / chosenH) * 1000) / 10 : null;
}
