// Helpers of demo-student-courses.test.ts: the keyboard (where the focus is, Tab until it gets
// somewhere), what the course picker shows (its results, its ECTS bar, a search that has settled) and
// a plan of courses for the ECTS still missing, from the results the page offers.
import { expect } from 'chai';
import type { Page } from 'playwright-core';

/** The focused element as a keyboard user meets it. */
export interface Focused {
  id: string;
  tag: string;
  text: string;
  href: string | null;
  /** Its focus shows: `:focus-visible` with an outline of 2 px or more. */
  visible: boolean;
}

export const focused = (page: Page): Promise<Focused | null> =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return null;
    const cs = getComputedStyle(e);
    return {
      id: e.id, tag: e.tagName.toLowerCase(), text: (e.textContent ?? '').replace(/\s+/g, ' ').trim(), href: e.getAttribute('href'),
      visible: e.matches(':focus-visible') && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
    };
  });

/** Press Tab (Shift+Tab with `back`) until `pred` holds for the focused element; at most `max` presses. */
export async function tabTo(page: Page, pred: (f: Focused) => boolean, what: string, { max = 60, back = false } = {}): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f && pred(f)) return f;
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached ${what}`);
}

/** A search result as the page shows it. */
export interface Hit {
  code: string;
  ects: number;
  /** The other facts: semester, languages, component, campus. */
  facts: string[];
  /** Id of its Add (or Remove) button. */
  button: string;
  chosen: boolean;
}

export const hits = (page: Page): Promise<Hit[]> =>
  page.$$eval('#picker-results li.cp-hit', (lis) => lis.map((li) => {
    const facts = Array.from(li.querySelectorAll('.cp-facts span')).map((s) => (s.textContent ?? '').trim());
    const button = li.querySelector('button[id^="toggle-"]');
    const ects = /^(\d+(?:[.,]\d+)?) ECTS$/.exec(facts[1] ?? '');
    return {
      code: facts[0] ?? '', ects: ects ? Number(ects[1]!.replace(',', '.')) : NaN, facts: facts.slice(ects ? 2 : 1),
      button: button?.id ?? '', chosen: li.classList.contains('cp-hit--chosen'),
    };
  }));

/** The ECTS the bar of semester 1 shows as chosen (“12 / 30 ECTS”). */
export async function bar(page: Page): Promise<number> {
  const head = (await page.locator('#picker-choice .cp-total-head span').first().innerText()).trim();
  const m = /^(\d+(?:[.,]\d+)?) \/ 30 ECTS$/.exec(head);
  expect(m, `the bar reads “${head}”`).to.not.equal(null);
  return Number(m![1]!.replace(',', '.'));
}

/**
 * Wait until the search htmx sent has answered: the address shows the query (`want`, a missing
 * parameter counting as empty), no request is under way and htmx has taken over the results' forms.
 */
export async function settle(page: Page, want: Record<string, string>): Promise<void> {
  await page.waitForFunction((w) => {
    const q = new URL(location.href).searchParams;
    if (!Object.entries(w).every(([k, v]) => (q.get(k) ?? '') === v)) return false;
    if (document.documentElement.classList.contains('is-loading')) return false;
    const forms = Array.from(document.querySelectorAll('#picker-results form'));
    return forms.every((f) => f.hasAttribute('data-htmx-powered')) && !!document.querySelector('#picker-results .cp-count');
  }, want);
}

/**
 * Results adding up to `gap` ECTS exactly, taken in the page's order (each kept when the rest can still
 * be made up by the results after it), leaving out chosen ones and `skip`; null when none do.
 */
export function plan(results: Hit[], gap: number, skip: Set<string>): Hit[] | null {
  const free = results.filter((h) => !h.chosen && h.button && !skip.has(h.code) && Number.isInteger(h.ects) && h.ects > 0);
  // reach[i]: the sums the results from i on can make, up to the gap
  const reach: Array<Set<number>> = Array.from({ length: free.length + 1 }, () => new Set([0]));
  for (let i = free.length - 1; i >= 0; i--) {
    for (const s of reach[i + 1]!) {
      reach[i]!.add(s);
      if (s + free[i]!.ects <= gap) reach[i]!.add(s + free[i]!.ects);
    }
  }
  if (!reach[0]!.has(gap)) return null;
  const out: Hit[] = [];
  let left = gap;
  for (let i = 0; i < free.length && left > 0; i++) {
    if (free[i]!.ects <= left && reach[i + 1]!.has(left - free[i]!.ects)) {
      out.push(free[i]!);
      left -= free[i]!.ects;
    }
  }
  return out;
}
