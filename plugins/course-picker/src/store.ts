/**
 * The course choice of a mobility file: the student's draft (add, remove, terms, declared language
 * levels), the referents' decisions per course, and the seats taken at approval. Every change is one
 * transaction: the file row is share-locked (a transition of the file waits for it, and it waits for
 * a transition), the choice row locked and its version checked, the change audited.
 * @packageDocumentation
 */
import { createServiceRef } from '@smile/sdk';
import type { AuditActor, AuditLog, Database } from '@smile/sdk';
import type { Knex } from 'knex';
import { OPEN_STATUSES, type MobilityFile } from '@smile/plugin-mobility';
import { PickerRefusal, settingsIn, settingsSchema, type PickerSettings } from './common.js';
import { APPROVAL_STEP, approvalsOf, approvedComponents } from './store-approvals.js';
import { draftCheck } from './store-evaluate.js';
import { approvedUnitsOf, type ApprovedUnits } from './store-approved.js';
import { releaseSeat, takeSeat } from './store-seats.js';
import type { Choice, ChoiceItem, Decision, DraftInput } from './store-types.js';
import { CEFR_LEVELS } from './rules-types.js';

type Db = Knex | Knex.Transaction;
type Actor = AuditActor & { institutionId: number; personId?: number | null };

/** The step where the student chooses, and the one where referents decide (keys of the seeded process). */
export const CHOICE_STEP = 'course-selection';
export { APPROVAL_STEP };

const json = <T>(v: unknown, fallback: T): T => (v == null ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** A stored item row (or its JSON, as `json_agg` gives it) as the pages see it. */
export function toItem(r: Record<string, any>): ChoiceItem {
  return {
    id: r.id, code: r.code, year: r.year, term: r.term ?? null, titleFr: r.title_fr, titleEn: r.title_en ?? null,
    ects: r.ects === null || r.ects === undefined ? null : Number(r.ects), semester: r.semester ?? null, componentCode: r.component_code ?? null,
    prerequisitesConfirmed: !!r.prerequisites_confirmed, decision: r.decision, decisionComment: r.decision_comment ?? null,
    decidedBy: r.decided_by ?? null, decidedByLabel: r.decided_by_label ?? null, decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    seatTaken: !!r.seat_taken, addedAt: new Date(r.added_at),
  };
}

/**
 * The component whose referents decide a course: its own when that component approves the file's
 * courses, else the file's main component (a course from elsewhere is the main referent's call);
 * `null` for a file without components (any referent).
 */
export function decidingComponent(file: Pick<MobilityFile, 'approvalComponents' | 'componentCode'>, item: Pick<ChoiceItem, 'componentCode'>): string | null {
  if (item.componentCode && file.approvalComponents.includes(item.componentCode)) return item.componentCode;
  return file.componentCode ?? file.approvalComponents[0] ?? null;
}

/** A change made inside the caller's transaction (e.g. demo data seeded all or nothing). */
export interface InTransaction {
  trx?: Knex.Transaction;
}

export class CoursePickerStore {
  /**
   * `settingsFor`: the plugin's settings of an institution (what the platform gives the plugin), for
   * callers that do not pass them.
   */
  constructor(
    private readonly deps: { db: Database; audit: AuditLog },
    private readonly settingsFor: (institution: { code?: string; settings: Record<string, Record<string, unknown>> }) => PickerSettings = () => settingsSchema.parse({}),
  ) {}

  private get knex(): Knex {
    return this.deps.db.knex;
  }

  /** Run `work` in the caller's transaction (`opts.trx`: all or nothing with what the caller does), else in one of its own. */
  private inTransaction<T>(opts: InTransaction, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return opts.trx ? work(opts.trx) : this.knex.transaction(work);
  }

  /** The file's choice (an empty one when nothing was ever chosen). */
  async choice(institutionId: number, fileId: number, db: Db = this.knex): Promise<Choice> {
    const row = await db('course_picker_choices').where({ institution_id: institutionId, file_id: fileId }).first();
    if (!row) return { id: null, fileId, version: 1, languageLevels: {}, submittedAt: null, items: [] };
    const items = (await db('course_picker_items').where({ choice_id: row.id }).orderBy([{ column: 'added_at' }, { column: 'id' }])) as Record<string, any>[];
    return {
      id: row.id, fileId, version: row.version, languageLevels: json(row.language_levels, {}), submittedAt: row.submitted_at ? new Date(row.submitted_at) : null,
      items: items.map(toItem),
    };
  }

  /**
   * Lock what a change needs: the file row shared (no transition meanwhile), the choice row (created
   * when absent) for update. The file must still be open; `expectedVersion` must match when given.
   */
  private async lock(trx: Knex.Transaction, file: MobilityFile, expectedVersion: number | null): Promise<{ row: Record<string, any>; step: string | null }> {
    const f = await trx('mobility_files').where({ institution_id: file.institutionId, id: file.id }).forShare().first('status', 'current_step');
    if (!f || !OPEN_STATUSES.has(f.status)) throw new PickerRefusal('closed');
    await trx('course_picker_choices').insert({ institution_id: file.institutionId, file_id: file.id }).onConflict('file_id').ignore();
    const row = await trx('course_picker_choices').where({ institution_id: file.institutionId, file_id: file.id }).forUpdate().first();
    if (expectedVersion !== null && row.version !== expectedVersion) throw new PickerRefusal('version');
    return { row, step: f.current_step ?? null };
  }

  private async bump(trx: Knex.Transaction, choiceId: number, patch: Record<string, unknown> = {}): Promise<number> {
    const [r] = await trx('course_picker_choices').where({ id: choiceId }).update({ ...patch, version: trx.raw('version + 1'), updated_at: new Date() }).returning('version');
    return r.version as number;
  }

  /**
   * Add `code` to the student's draft. Refused when the choice is with the referents, when the
   * course is already there, and when the engine says it cannot even be drafted (gone from the
   * catalogue, closed, not open to the exchange type or the mobility's terms): `PickerRefusal('rule')`
   * with the engine's violations in `problems`.
   */
  async add(actor: Actor, settings: PickerSettings, file: MobilityFile, code: string, expectedVersion: number | null, opts: InTransaction = {}): Promise<{ version: number; item: ChoiceItem }> {
    return this.inTransaction(opts, async (trx) => {
      const { row } = await this.lock(trx, file, expectedVersion);
      if (row.submitted_at) throw new PickerRefusal('submitted');
      if (await trx('course_picker_items').where({ choice_id: row.id, code }).first('id')) throw new PickerRefusal('duplicate', { code });
      const { element, problems } = await draftCheck(trx, settings, file, code);
      if (problems.length || !element) throw Object.assign(new PickerRefusal('rule', { code }), { problems });
      const [item] = await trx('course_picker_items').insert({
        institution_id: file.institutionId, choice_id: row.id, code, year: file.academicYear, title_fr: element.titleFr, title_en: element.titleEn,
        ects: element.mobilityEcts ?? element.ects, semester: element.semester, component_code: element.componentCode,
      }).returning('*');
      const version = await this.bump(trx, row.id);
      await this.deps.audit.record(actor, { action: 'course-picker.item.add', targetType: 'mobility_file', targetId: file.id, detail: { code, year: file.academicYear } }, { trx });
      return { version, item: toItem(item) };
    });
  }

  /** Remove `code` from the draft; an approved course is locked (its seat is the student's). */
  async remove(actor: Actor, file: MobilityFile, code: string, expectedVersion: number | null, opts: InTransaction = {}): Promise<{ version: number; item: ChoiceItem }> {
    return this.inTransaction(opts, async (trx) => {
      const { row } = await this.lock(trx, file, expectedVersion);
      if (row.submitted_at) throw new PickerRefusal('submitted');
      const item = await trx('course_picker_items').where({ choice_id: row.id, code }).first();
      if (!item) throw new PickerRefusal('unknown', { code });
      if (item.decision === 'approved') throw new PickerRefusal('locked', { code });
      await trx('course_picker_items').where({ id: item.id }).delete();
      const version = await this.bump(trx, row.id);
      await this.deps.audit.record(actor, { action: 'course-picker.item.remove', targetType: 'mobility_file', targetId: file.id, detail: { code, decision: item.decision } }, { trx });
      return { version, item: toItem(item) };
    });
  }

  /** Save the draft's details: terms of elements without a semester, confirmed prerequisites, language levels. Approved courses keep theirs. */
  async saveDraft(actor: Actor, file: MobilityFile, input: DraftInput, expectedVersion: number, opts: InTransaction = {}): Promise<number> {
    return this.inTransaction(opts, async (trx) => {
      const { row } = await this.lock(trx, file, expectedVersion);
      if (row.submitted_at) throw new PickerRefusal('submitted');
      const items = (await trx('course_picker_items').where({ choice_id: row.id })) as Record<string, any>[];
      const confirmed = new Set(input.confirmed);
      const changed: string[] = [];
      for (const it of items) {
        if (it.decision === 'approved') continue;
        const term = it.semester === 'S1' || it.semester === 'S2' || it.semester === 'annual' ? null : input.terms[it.code] ?? it.term ?? null;
        const prerequisitesConfirmed = confirmed.has(it.code);
        if (term !== (it.term ?? null) || prerequisitesConfirmed !== !!it.prerequisites_confirmed) {
          await trx('course_picker_items').where({ id: it.id }).update({ term, prerequisites_confirmed: prerequisitesConfirmed });
          changed.push(it.code);
        }
      }
      const levels = Object.fromEntries(
        Object.entries(input.languageLevels).filter(([l, v]) => /^[a-z]{2}$/.test(l) && (CEFR_LEVELS as readonly string[]).includes(v)),
      );
      const version = await this.bump(trx, row.id, { language_levels: JSON.stringify(levels) });
      await this.deps.audit.record(actor, { action: 'course-picker.choice.save', targetType: 'mobility_file', targetId: file.id, detail: { items: changed, languages: Object.keys(levels) } }, { trx });
      return version;
    });
  }

  /**
   * A referent's decision on one course, while the file waits at the referents' step. `was` is the
   * decision the referent saw (another referent's change meanwhile is a conflict); `mayDecide`
   * says whether the actor decides for a component (the route's scope check). Approving takes a
   * seat (a conditional update: "no seat left" when the last one went meanwhile); changing an
   * approval gives it back. A refusal needs a comment.
   */
  async decide(
    actor: Actor,
    file: MobilityFile,
    input: { code: string; decision: Decision; comment: string | null; was: Decision },
    mayDecide: (component: string | null) => boolean,
    opts: InTransaction = {},
  ): Promise<{ version: number; item: ChoiceItem }> {
    const comment = input.comment?.trim() || null;
    if (input.decision === 'refused' && !comment) throw new PickerRefusal('comment', { code: input.code });
    return this.inTransaction(opts, async (trx) => {
      const { row, step } = await this.lock(trx, file, null);
      if (step !== APPROVAL_STEP || !row.submitted_at) throw new PickerRefusal('not-at-step');
      const item = await trx('course_picker_items').where({ choice_id: row.id, code: input.code }).first();
      if (!item) throw new PickerRefusal('unknown', { code: input.code });
      const component = decidingComponent(file, toItem(item));
      if (!mayDecide(component)) throw new PickerRefusal('forbidden', { code: input.code });
      // once a component's approval is given, its decisions are final for this round
      if (approvedComponents(await approvalsOf(trx, file.id, true)).includes(component)) throw new PickerRefusal('already-approved', { code: input.code });
      if (item.decision !== input.was) throw new PickerRefusal('decided-meanwhile', { code: input.code });
      let seatTaken = !!item.seat_taken;
      if (input.decision === 'approved' && !seatTaken) {
        const catalogue = await trx('catalogue_elements').where({ institution_id: file.institutionId, year: item.year, code: item.code }).first('seats');
        if (!(await takeSeat(trx, file.institutionId, item.year, item.code, catalogue?.seats ?? null))) throw new PickerRefusal('no-seat', { code: item.code });
        seatTaken = true;
      } else if (input.decision !== 'approved' && seatTaken) {
        await releaseSeat(trx, file.institutionId, item.year, item.code);
        seatTaken = false;
      }
      const [saved] = await trx('course_picker_items').where({ id: item.id }).update({
        decision: input.decision, decision_comment: input.decision === 'pending' ? null : comment, seat_taken: seatTaken,
        decided_by: input.decision === 'pending' ? null : actor.personId ?? null, decided_by_label: input.decision === 'pending' ? null : actor.label,
        decided_at: input.decision === 'pending' ? null : new Date(),
      }).returning('*');
      const version = await this.bump(trx, row.id);
      await this.deps.audit.record(actor, {
        action: 'course-picker.item.decide', targetType: 'mobility_file', targetId: file.id,
        before: { code: item.code, decision: item.decision }, after: { code: item.code, decision: input.decision }, detail: { comment: comment !== null, seat: seatTaken },
      }, { trx });
      return { version, item: toItem(saved) };
    });
  }

  /** Inside a transition's transaction: the choice goes to the referents (`at`), or comes back to the student (`null`). */
  async setSubmitted(trx: Knex.Transaction, institutionId: number, fileId: number, at: Date | null): Promise<void> {
    await trx('course_picker_choices').insert({ institution_id: institutionId, file_id: fileId }).onConflict('file_id').ignore();
    await trx('course_picker_choices').where({ institution_id: institutionId, file_id: fileId }).update({ submitted_at: at, version: trx.raw('version + 1'), updated_at: new Date() });
  }

  /** Inside an abandonment's transaction: the seats the file held go back to others. */
  async releaseAll(trx: Knex.Transaction, institutionId: number, fileId: number): Promise<number> {
    const held = (await trx('course_picker_items as i')
      .join('course_picker_choices as c', 'c.id', 'i.choice_id')
      .where({ 'c.institution_id': institutionId, 'c.file_id': fileId, 'i.seat_taken': true })
      .select('i.id', 'i.year', 'i.code')) as Array<{ id: number; year: number; code: string }>;
    for (const h of held) {
      await releaseSeat(trx, institutionId, h.year, h.code);
      await trx('course_picker_items').where({ id: h.id }).update({ seat_taken: false });
    }
    return held.length;
  }

  /**
   * The approved courses of a file as the picker counts them (the units of its ECTS bar, from the
   * approved courses only), read through `db` (a caller's transaction works): what the Learning
   * Agreement's Table A lists. The institution's rules apply unless `settings` are given.
   */
  async approvedUnits(db: Db, file: MobilityFile, settings?: PickerSettings): Promise<ApprovedUnits> {
    const rules = settings ?? (await settingsIn(db, file.institutionId, this.settingsFor));
    return approvedUnitsOf(db, rules, file, await this.choice(file.institutionId, file.id, db));
  }

}

/** The course-choice store. */
export const coursePickerService = createServiceRef<CoursePickerStore>({ id: 'course-picker.store' });
