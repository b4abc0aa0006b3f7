/** The course choice as the store returns it. */

/** A referent's decision on one chosen course. */
export type Decision = 'pending' | 'approved' | 'refused';
export const DECISIONS: readonly Decision[] = ['pending', 'approved', 'refused'];

/** One chosen course, with what the student saw when choosing it and the referent's decision. */
export interface ChoiceItem {
  id: number;
  code: string;
  year: number;
  /** The term the student gave an element the catalogue gives no semester. */
  term: 'S1' | 'S2' | null;
  /** Snapshots taken when the course was chosen (shown when the catalogue no longer has it). */
  titleFr: string;
  titleEn: string | null;
  ects: number | null;
  semester: string | null;
  componentCode: string | null;
  prerequisitesConfirmed: boolean;
  decision: Decision;
  decisionComment: string | null;
  decidedBy: number | null;
  decidedByLabel: string | null;
  decidedAt: Date | null;
  /** A seat is held for it (taken at approval). */
  seatTaken: boolean;
  addedAt: Date;
}

/** A file's choice. A file that never chose anything has an empty one (`id` null, version 1). */
export interface Choice {
  id: number | null;
  fileId: number;
  /** Optimistic lock: every change moves it on; forms send it back. */
  version: number;
  /** ISO 639-1 code → CEFR level the student declared. */
  languageLevels: Record<string, string>;
  /** Set while the choice is with the referents: the student cannot change it. */
  submittedAt: Date | null;
  items: ChoiceItem[];
}

/** What the student's draft form sends. */
export interface DraftInput {
  /** Term per code, for elements without a semester. */
  terms: Record<string, 'S1' | 'S2'>;
  /** Codes whose written prerequisites the student says they meet. */
  confirmed: string[];
  languageLevels: Record<string, string>;
}

/** A capacity of the seats page. */
export interface SeatRow {
  code: string;
  year: number;
  /** Set on the seats page; `null`: the catalogue's number (or unlimited). */
  capacity: number | null;
  catalogueSeats: number | null;
  taken: number;
  titleFr: string | null;
  titleEn: string | null;
  version: number;
}
