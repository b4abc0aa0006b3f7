/**
 * Seats of teaching elements for incoming students, per academic year. The capacity is the seats
 * page's number when set, else the catalogue's `seats` (none: unlimited). A seat is taken by a
 * conditional update inside the approval's transaction, so that two referents approving the last
 * seat at once cannot both succeed: the second update finds `taken = capacity` and changes nothing.
 * @packageDocumentation
 */
import type { AuditActor, AuditLog } from '@smile/sdk';
import type { Knex } from 'knex';
import { PickerRefusal } from './common.js';
import type { SeatRow } from './store-types.js';

type Db = Knex | Knex.Transaction;

/**
 * Take one seat of `code` in `year`; `catalogueSeats` is the catalogue's number, used when the
 * seats page set none. Returns `false` when no seat is left. Call inside the approval's transaction.
 */
export async function takeSeat(trx: Knex.Transaction, institutionId: number, year: number, code: string, catalogueSeats: number | null): Promise<boolean> {
  await trx('course_picker_seats').insert({ institution_id: institutionId, year, code }).onConflict(['institution_id', 'year', 'code']).ignore();
  // the row lock makes a concurrent approval wait, then re-check the condition on the committed row
  const updated = await trx('course_picker_seats')
    .where({ institution_id: institutionId, year, code })
    .whereRaw('(coalesce(capacity, ?::int) is null or taken < coalesce(capacity, ?::int))', [catalogueSeats, catalogueSeats])
    .update({ taken: trx.raw('taken + 1'), updated_at: new Date() });
  return Number(updated) === 1;
}

/** Give a seat back (a decision changed, a file abandoned). */
export async function releaseSeat(trx: Knex.Transaction, institutionId: number, year: number, code: string): Promise<void> {
  await trx('course_picker_seats').where({ institution_id: institutionId, year, code }).where('taken', '>', 0).update({ taken: trx.raw('taken - 1'), updated_at: new Date() });
}

/**
 * The seats of `year`: elements with a capacity (set here or in the catalogue) or a seat taken, by
 * code, searched on code and titles; at most `limit` rows.
 */
export async function listSeats(db: Db, institutionId: number, year: number, q = '', limit = 100): Promise<SeatRow[]> {
  const seats = (await db('course_picker_seats').where({ institution_id: institutionId, year })) as Array<Record<string, any>>;
  const byCode = new Map(seats.map((s) => [s.code as string, s]));
  const query = db('catalogue_elements')
    .where({ institution_id: institutionId, year })
    .where((w) => w.whereNotNull('seats').orWhereIn('code', [...byCode.keys()]))
    .select('code', 'title_fr', 'title_en', 'seats')
    .orderBy('code')
    .limit(limit);
  if (q) query.where((w) => w.whereILike('code', `%${q}%`).orWhereILike('title_fr', `%${q}%`).orWhereILike('title_en', `%${q}%`));
  const rows = (await query) as Record<string, any>[];
  return rows.map((r) => {
    const s = byCode.get(r.code);
    return {
      code: r.code, year, capacity: s?.capacity ?? null, catalogueSeats: r.seats ?? null, taken: s ? Number(s.taken) : 0,
      titleFr: r.title_fr ?? null, titleEn: r.title_en ?? null, version: s ? Number(s.version) : 0,
    };
  });
}

/**
 * Set (or clear, `null`) the capacity of `code` in `year`. `expectedVersion` is the version the page
 * showed (0: no row yet); a capacity under the seats already taken is refused.
 */
export async function setCapacity(
  knex: Knex,
  audit: AuditLog,
  actor: AuditActor & { institutionId: number },
  year: number,
  code: string,
  capacity: number | null,
  expectedVersion: number,
): Promise<void> {
  await knex.transaction(async (trx) => {
    const inst = actor.institutionId;
    const element = await trx('catalogue_elements').where({ institution_id: inst, year, code }).first('id');
    if (!element) throw new PickerRefusal('unknown', { code });
    await trx('course_picker_seats').insert({ institution_id: inst, year, code, version: 0 }).onConflict(['institution_id', 'year', 'code']).ignore();
    const row = await trx('course_picker_seats').where({ institution_id: inst, year, code }).forUpdate().first();
    if (row.version !== expectedVersion) throw new PickerRefusal('version');
    if (capacity !== null && capacity < row.taken) throw new PickerRefusal('below-taken', { code, taken: row.taken });
    await trx('course_picker_seats').where({ institution_id: inst, year, code }).update({ capacity, version: row.version + 1, updated_at: new Date() });
    await audit.record(actor, { action: 'course-picker.seats.update', targetType: 'catalogue_element', targetId: element.id, before: { capacity: row.capacity }, after: { capacity }, detail: { year, code } }, { trx });
  });
}
