import { defineHooks } from '@smile/sdk';
import type { RequestContext } from '@smile/sdk';
import type { Knex } from 'knex';
import { AsyncSeriesHook, AsyncSeriesWaterfallHook } from 'tapable';
import type { MobilityActor, MobilityFile, StepSpec, TransitionAction } from './types.js';

/** What `transformProcessSteps` taps receive besides the steps. */
export interface ProcessStepsContext {
  institutionId: number;
  /** The exchange type the process is for, or `null` for the default process. */
  exchangeType: string | null;
}

/** A transition about to happen or just recorded (inside its transaction). */
export interface TransitionEvent {
  institutionId: number;
  actor: MobilityActor;
  /** The file as it was before the transition (`beforeTransition`) or after it (`afterTransition`). */
  file: MobilityFile;
  fromStep: string;
  /** `null` when the file ends. For an approval that does not complete the step, the step itself. */
  toStep: string | null;
  action: TransitionAction;
  /** `true` when the action only recorded an approval and the step waits for others. */
  partial: boolean;
  comment: string | null;
  /** `true` when the platform acts (automation, demo data), not a person: step conditions meant for people may let it through. */
  system: boolean;
  /** The transaction: every query of a tap goes through it (the embedded database has one connection). */
  trx: Knex.Transaction;
}

/** A block of a file's page: a view included with its locals, placed by `order`. */
export interface FileSection {
  /** Unique on the page, also the HTML id of the section's anchor. */
  id: string;
  /** Sorting key: lower comes first. The built-in blocks use 100 (documents), 200 (messages), 300 (mail). */
  order: number;
  /** A view name, `<plugin>/<view>`; it is included with `locals` (and the page's own locals). */
  view: string;
  locals: Record<string, unknown>;
  /**
   * The key of a step whose action this block carries: the step is done and sent from the block (or
   * from the page it links to), e.g. the course choice's "Submit my choice" for `course-selection`.
   * While the file is at that step, the student's space shows no generic "send this step" form and
   * points to this block instead. Optional; the office's page ignores it.
   * @since 0.1.0
   */
  stepAction?: string;
}

/** What `fileSections` taps receive besides the list. */
export interface FileSectionsContext {
  ctx: RequestContext<any, any, any>;
  /** The file (special needs only when the viewer may see them). */
  file: MobilityFile;
  /** The office's / referent's file page, or the student's own space. */
  audience: 'manager' | 'student';
}

/** Hooks the mobility plugin calls; other plugins tap them with `r.hooksOf(mobilityHooks)`. */
export const mobilityHooks = defineHooks('mobility', () => ({
  /**
   * The steps of the process seeded for an institution that has none (the seed system's process).
   * Taps return the list, e.g. with a step added or changed (the course choice, the Learning
   * Agreement). The result is validated like any published process.
   * @since 0.1.0
   * @mutates yes — return the (new) list
   */
  transformProcessSteps: new AsyncSeriesWaterfallHook<[StepSpec[], ProcessStepsContext]>(['steps', 'ctx']),

  /**
   * A transition is about to be recorded, the file row locked. A tap may refuse it by throwing a
   * `SmileError` (status 4xx) whose message tells the user what is missing (a step condition:
   * "choose at least one course first"). Everything rolls back.
   * @since 0.1.0
   * @mutates no
   */
  beforeTransition: new AsyncSeriesHook<[TransitionEvent]>(['event']),

  /**
   * A transition was recorded (same transaction): side effects such as mail (queue with `trx`) or
   * generating a document. Throwing rolls the whole transition back.
   * @since 0.1.0
   * @mutates no
   */
  afterTransition: new AsyncSeriesHook<[TransitionEvent]>(['event']),

  /**
   * The blocks shown on a file's page, for the office and referents (`audience: 'manager'`) and on
   * the student's own space (`'student'`): documents, messages, sent mail, the course choice, the
   * Learning Agreement. Taps push `{ id, order, view, locals }` and return the list; a tap checks
   * what the viewer may see (`ctx.can`, the file's person) and adds nothing otherwise. A block that
   * carries a student step's own action (its form, or a link to its page) names the step in
   * `stepAction`: the student's space then leaves out its generic "send this step" form at that step.
   * @since 0.1.0
   * @mutates yes — return the list
   */
  fileSections: new AsyncSeriesWaterfallHook<[FileSection[], FileSectionsContext]>(['sections', 'ctx']),
}));

/** The hooks' type, as the plugin holds them. */
export type MobilityHooks = ReturnType<typeof mobilityHooks.create>;
