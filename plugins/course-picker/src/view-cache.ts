/**
 * The student's view of a choice (evaluation by the rules engine and every explanation in the
 * reader's language) kept while nothing it is made of changes: the same page reloaded, paged or
 * filtered does not evaluate and explain the same choice again. The key is everything the view is
 * computed from — the settings, the theme and language, the file row, the choice with its items,
 * the catalogue generation and the seat counters — so an entry can only be found again for the same
 * inputs; a change to any of them is a new key, and the least recently used entries go first.
 * @packageDocumentation
 */
import { cacheOf } from './caches.js';
import type { Choice } from './store-types.js';
import type { SeatRow } from './store-evaluate.js';
import type { ChoiceView } from './view-model.js';

const MAX_ENTRIES = 300;
// settings objects are stable per institution record (a changed institution is a new object)
const settingsIds = new WeakMap<object, number>();
let nextSettingsId = 1;

/** What a view is computed from. */
export interface ViewInputs {
  /** The database the inputs were read from (its caches are its own). */
  db: { client: object };
  settings: object;
  theme: string;
  language: string;
  mode: string;
  generation: number;
  file: object;
  choice: Choice;
  seats: SeatRow[];
}

function keyOf(x: ViewInputs): string {
  let sid = settingsIds.get(x.settings);
  if (sid === undefined) settingsIds.set(x.settings, (sid = nextSettingsId++));
  return JSON.stringify([sid, x.theme, x.language, x.mode, x.generation, x.file, x.choice, x.seats]);
}

/** The view for `inputs`, from the cache or made by `make` (and kept). Callers must not change it. */
export async function cachedView(inputs: ViewInputs, make: () => Promise<ChoiceView>): Promise<ChoiceView> {
  const key = keyOf(inputs);
  const entries = cacheOf<ChoiceView>(inputs.db, 'views');
  const hit = entries.get(key);
  if (hit) {
    entries.delete(key);
    entries.set(key, hit);
    return hit;
  }
  const view = await make();
  entries.set(key, view);
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return view;
}
