/**
 * What the student's picker page reads of the course picker's own data, in one round trip: the
 * choice with its items, the catalogue generation (the page's caches key on it) and the seat
 * counters of the chosen codes. A database round trip costs more than the rows it brings back, and
 * this page is the one a student reloads most.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { SeatRow } from './store-evaluate.js';
import { toItem } from './store.js';
import type { Choice } from './store-types.js';

type Db = Knex | Knex.Transaction;

/** The choice of a file, the catalogue generation and the seat counters of the chosen codes. */
export interface PageState {
  choice: Choice;
  generation: number;
  seats: SeatRow[];
}

const json = <T>(v: unknown, fallback: T): T => (v == null ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/**
 * Read {@link PageState} for file `fileId` (the seat counters of each item's year: the file's). It
 * needs nothing from the file row, so it can run alongside the file's own read. A file that never
 * chose anything gets the empty choice, as `CoursePickerStore.choice` gives it.
 */
export async function pageState(db: Db, institutionId: number, fileId: number): Promise<PageState> {
  const res = await db.raw(
    `select g.generation, c.id, c.version, c.language_levels, c.submitted_at,
       (select coalesce(json_agg(i order by i.added_at, i.id), '[]'::json)
          from course_picker_items i where i.choice_id = c.id) as items,
       (select coalesce(json_agg(json_build_object('code', s.code, 'capacity', s.capacity, 'taken', s.taken)), '[]'::json)
          from course_picker_seats s join course_picker_items i on i.choice_id = c.id and i.code = s.code and i.year = s.year
         where s.institution_id = ?) as seats
     from (select 1) as one
     left join course_picker_choices c on c.institution_id = ? and c.file_id = ?
     left join catalogue_generations g on g.institution_id = ?`,
    [institutionId, institutionId, fileId, institutionId],
  );
  const row = (res.rows ?? res)[0] as Record<string, any>;
  const generation = row?.generation == null ? 0 : Number(row.generation);
  if (!row || row.id == null) {
    return { choice: { id: null, fileId, version: 1, languageLevels: {}, submittedAt: null, items: [] }, generation, seats: [] };
  }
  const seats = json<Array<{ code: string; capacity: number | null; taken: number }>>(row.seats, []).map((s) => ({
    code: s.code, capacity: s.capacity == null ? null : Number(s.capacity), taken: Number(s.taken),
  }));
  return {
    choice: {
      id: row.id, fileId, version: row.version, languageLevels: json(row.language_levels, {}),
      submittedAt: row.submitted_at ? new Date(row.submitted_at) : null,
      items: json<Record<string, any>[]>(row.items, []).map(toItem),
    },
    generation,
    seats,
  };
}
