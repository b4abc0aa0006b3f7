/**
 * The catalogue model as connectors and other plugins see it: records to import, the errors found in
 * them, and the rows the store returns.
 * @packageDocumentation
 */
import type { Bilingual } from '@smile/sdk';

/** When a teaching element is taught. */
export type Semester = 'S1' | 'S2' | 'annual';
export const SEMESTERS: readonly Semester[] = ['S1', 'S2', 'annual'];

/** A contact of a component (international relations officer, secretariat…). */
export interface ComponentContact {
  role?: string;
  name?: string;
  email?: string;
  phone?: string;
}

/** A component (UFR, faculty, school) to create or update, by code. */
export interface ComponentRecord {
  code: string;
  nameFr: string;
  nameEn?: string | null;
  nameLongFr?: string | null;
  nameLongEn?: string | null;
  acronym?: string | null;
  campus?: string | null;
  contacts?: ComponentContact[];
  /** Line of the source file (or record number) where it was read, for error messages. */
  line?: number;
}

/** A formation (diploma programme) of one academic year, by code. */
export interface FormationRecord {
  code: string;
  nameFr: string;
  nameEn?: string | null;
  acronym?: string | null;
  /** Code of its component. */
  componentCode?: string | null;
  /** Code of its diploma type (`LIC`, `MAS`, `DU`…); created when unknown. */
  diplomaType?: string | null;
  diplomaTypeName?: Partial<Bilingual> | null;
  /** Code of its formation type (initial, continuing, apprenticeship…); created when unknown. */
  formationType?: string | null;
  formationTypeName?: Partial<Bilingual> | null;
  /** Year of study (1 = first year of a bachelor, 4 = first year of a master…). */
  level?: number | null;
  domain?: string | null;
  /** ISCED-F 2013 field code (`0311`). */
  isced?: string | null;
  /** European Qualifications Framework level (1–8). */
  eqf?: number | null;
  /** ISO 639-1 codes. */
  languages?: string[];
  openToMobility?: boolean;
  line?: number;
}

/** An optional timetable slot of an element. */
export interface TimetableSlot {
  /** 1 = Monday … 7 = Sunday. */
  day: number;
  /** `HH:MM`. */
  start: string;
  end: string;
  room?: string;
  /** Course, tutorial, practical… */
  kind?: string;
}

/** A teaching element (UE, EC, module…) of one academic year, by code. */
export interface ElementRecord {
  code: string;
  /** Its type: `UE`, `EC`, `module`, `option`, … (free, default `EC`). */
  kind?: string | null;
  titleFr: string;
  titleEn?: string | null;
  descriptionFr?: string | null;
  descriptionEn?: string | null;
  objectivesFr?: string | null;
  objectivesEn?: string | null;
  outcomesFr?: string | null;
  outcomesEn?: string | null;
  /** Standard ECTS credits. */
  ects?: number | null;
  /** ECTS credits for incoming students, when not the standard ones. */
  mobilityEcts?: number | null;
  semester?: Semester | null;
  level?: number | null;
  /** ISO 639-1 codes of the languages of instruction. */
  languages?: string[];
  campus?: string | null;
  isced?: string | null;
  competences?: string[];
  prerequisitesFr?: string | null;
  prerequisitesEn?: string | null;
  /** Seats for incoming students (`null`: no limit). */
  seats?: number | null;
  /** Exchange types that may take it (`null` or absent: all). */
  exchangeTypes?: string[] | null;
  openToMobility?: boolean;
  /** Teaching hours. */
  hours?: number | null;
  timetable?: TimetableSlot[];
  /** Code of the component that teaches it (default: its formation's). */
  componentCode?: string | null;
  line?: number;
}

/** Places an element in a formation's tree: at the top (`parentCode` null) or under another element. */
export interface LinkRecord {
  formationCode: string;
  parentCode?: string | null;
  childCode: string;
  position?: number;
  line?: number;
}

/** Everything one import brings, already typed. Order inside each list is the source order. */
export interface CatalogueBatch {
  components: ComponentRecord[];
  formations: FormationRecord[];
  elements: ElementRecord[];
  links: LinkRecord[];
}

export const emptyBatch = (): CatalogueBatch => ({ components: [], formations: [], elements: [], links: [] });

/** An error about one row of an import (or the whole file when `line` is absent). */
export interface RowError {
  entity: 'file' | 'component' | 'formation' | 'element' | 'link';
  /** Line of the file (1 = the header row) or record number. */
  line?: number;
  code?: string;
  field?: string;
  message: Bilingual;
}

/** Counts of what an import did (or would do, in a dry run). */
export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Elements and formations absent from a full sync, closed to mobility. */
  closed: number;
}

/** One change an import made, for the "what changed since the last import" view. */
export interface ImportChange {
  entity: 'component' | 'formation' | 'element';
  code: string;
  change: 'created' | 'updated' | 'closed' | 'reopened';
  /** Field → [before, after] for updates. */
  fields?: Record<string, [unknown, unknown]>;
}

/** What `importBatch` returns. Nothing was written when `errors` is not empty or `dryRun` was set. */
export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  errors: RowError[];
  counts: { components: ImportCounts; formations: ImportCounts; elements: ImportCounts; links: { created: number; removed: number } };
  changes: ImportChange[];
  /** Changes not listed in `changes` (it keeps the first 1,000). */
  moreChanges: number;
}

/** A stored teaching element. */
export interface Element {
  id: number;
  year: number;
  code: string;
  kind: string;
  titleFr: string;
  titleEn: string | null;
  descriptionFr: string | null;
  descriptionEn: string | null;
  objectivesFr: string | null;
  objectivesEn: string | null;
  outcomesFr: string | null;
  outcomesEn: string | null;
  ects: number | null;
  mobilityEcts: number | null;
  semester: Semester | null;
  level: number | null;
  languages: string[];
  campus: string | null;
  isced: string | null;
  competences: string[];
  prerequisitesFr: string | null;
  prerequisitesEn: string | null;
  seats: number | null;
  exchangeTypes: string[] | null;
  openToMobility: boolean;
  hours: number | null;
  timetable: TimetableSlot[];
  componentId: number | null;
  componentCode: string | null;
  /** Where it came from: a connector id, or `local` when created by hand. */
  source: string;
  /** Fields edited by hand: imports leave them alone. */
  localFields: string[];
  /** Last values the connector brought for the fields in `localFields`. */
  imported: Record<string, unknown>;
  /** `false` once a full sync no longer finds it in the source. */
  inSource: boolean;
  /** Optimistic lock: increases on every change. */
  version: number;
  updatedAt: Date;
}

/** A stored formation. */
export interface Formation {
  id: number;
  year: number;
  code: string;
  nameFr: string;
  nameEn: string | null;
  acronym: string | null;
  componentId: number | null;
  componentCode: string | null;
  diplomaTypeId: number | null;
  formationTypeId: number | null;
  level: number | null;
  domain: string | null;
  isced: string | null;
  eqf: number | null;
  languages: string[];
  openToMobility: boolean;
  source: string;
  localFields: string[];
  imported: Record<string, unknown>;
  inSource: boolean;
  version: number;
  updatedAt: Date;
}

/** Element fields a manager may edit (and that then survive imports). */
export const ELEMENT_FIELDS = [
  'kind', 'titleFr', 'titleEn', 'descriptionFr', 'descriptionEn', 'objectivesFr', 'objectivesEn', 'outcomesFr', 'outcomesEn',
  'ects', 'mobilityEcts', 'semester', 'level', 'languages', 'campus', 'isced', 'competences', 'prerequisitesFr', 'prerequisitesEn',
  'seats', 'exchangeTypes', 'openToMobility', 'hours', 'timetable', 'componentCode',
] as const;
export type ElementField = (typeof ELEMENT_FIELDS)[number];

/** Formation fields a manager may edit (and that then survive imports). */
export const FORMATION_FIELDS = [
  'nameFr', 'nameEn', 'acronym', 'componentCode', 'diplomaType', 'formationType', 'level', 'domain', 'isced', 'eqf', 'languages', 'openToMobility',
] as const;
export type FormationField = (typeof FORMATION_FIELDS)[number];
