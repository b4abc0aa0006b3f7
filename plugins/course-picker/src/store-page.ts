/**
 * What the student's picker page reads, in one round trip: the file (through the mobility store's
 * `fileWith`) and, computed with it, the choice with its items, the catalogue generation (the page's
 * caches key on it) and the seat counters of the chosen codes. A database round trip costs more than
 * the rows it brings back, and this page is the one a student reloads most.
 * @packageDocumentation
 */
import type { MobilityFile, MobilityStore } from '@smile/plugin-mobility';
import type { SeatRow } from './store-evaluate.js';
import { toItem } from './store.js';
import type { Choice } from './store-types.js';

/** The choice of a file, the catalogue generation and the seat counters of the chosen codes. */
export interface PageState {
  choice: Choice;
  generation: number;
  seats: SeatRow[];
}

const json = <T>(v: unknown, fallback: T): T => (v == null ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** The page's rows as SQL expressions over the file row `f`. */
const PAGE_COLUMNS: Record<string, string> = {
  choice: `select row_to_json(c) from course_picker_choices c where c.institution_id = f.institution_id and c.file_id = f.id`,
  items: `select coalesce(json_agg(i order by i.added_at, i.id), '[]'::json)
            from course_picker_items i join course_picker_choices c on c.id = i.choice_id
           where c.institution_id = f.institution_id and c.file_id = f.id`,
  seats: `select coalesce(json_agg(json_build_object('code', s.code, 'capacity', s.capacity, 'taken', s.taken)), '[]'::json)
            from course_picker_seats s
            join course_picker_items i on i.code = s.code and i.year = s.year
            join course_picker_choices c on c.id = i.choice_id
           where s.institution_id = f.institution_id and c.file_id = f.id`,
  generation: `select g.generation from catalogue_generations g where g.institution_id = f.institution_id`,
};

/** A file and {@link PageState}, or `null` when the institution has no such file. */
export async function fileAndPageState(mobility: MobilityStore, institutionId: number, fileId: number): Promise<{ file: MobilityFile; state: PageState } | null> {
  const read = await mobility.fileWith(institutionId, fileId, PAGE_COLUMNS);
  if (!read) return null;
  const { file, extra } = read;
  const generation = extra.generation == null ? 0 : Number(extra.generation);
  const row = json<Record<string, any> | null>(extra.choice, null);
  const choice: Choice = row
    ? {
      id: row.id, fileId, version: row.version, languageLevels: json(row.language_levels, {}),
      submittedAt: row.submitted_at ? new Date(row.submitted_at) : null,
      items: json<Record<string, any>[]>(extra.items, []).map(toItem),
    }
    : { id: null, fileId, version: 1, languageLevels: {}, submittedAt: null, items: [] };
  const seats = json<Array<{ code: string; capacity: number | null; taken: number }>>(extra.seats, []).map((s) => ({
    code: s.code, capacity: s.capacity == null ? null : Number(s.capacity), taken: Number(s.taken),
  }));
  return { file, state: { choice, generation, seats } };
}
