import type { RegisterApi } from '@smile/sdk';
import { registerIntakeCommand } from './intake-cli.js';
import { registerIntakeRoutes } from './intake-routes.js';

export { compare, findDuplicates, normaliseEsi, normaliseName } from './intake-duplicates.js';
export type { DuplicateMatch, DuplicateReason, PersonKey } from './intake-duplicates.js';
export { parseNominations, parseDate } from './intake-csv.js';
export type { NominationRow, ParsedNominations, RowIssue } from './intake-csv.js';
export { importFile, importNominations } from './intake-import.js';
export type { FileImport, ImportResult, RowOutcome } from './intake-import.js';

/** Nominations: the import pages (`/mobility/import`) and `smile import nominations`. */
export function registerIntake(r: RegisterApi<any>): void {
  registerIntakeRoutes(r);
  registerIntakeCommand(r);
}
