/**
 * The SIS-connector contract: a connector plugin taps `catalogueHooks.transformConnectors` and adds
 * itself to the list; the catalogue runs it (on demand, on its schedule, or from an uploaded file)
 * and imports what it returns, all or nothing.
 * @packageDocumentation
 */
import { SyncWaterfallHook } from 'tapable';
import { defineHooks } from '@smile/sdk';
import type { Bilingual, Institution, Logger } from '@smile/sdk';
import type { CatalogueBatch, RowError } from './types.js';

/** What a connector's `fetch` receives. */
export interface ConnectorRun {
  institution: Institution;
  /** Academic year to read (2026 = 2026–2027). */
  year: number;
  log: Logger;
  /** Aborted when the run is cancelled or the process stops. */
  signal: AbortSignal;
  /** Report progress while reading (`total` when known). Shown as a progress bar. */
  progress(done: number, total?: number): void;
}

/** What a connector returns: the records read and the rows it could not read (nothing is imported then). */
export interface ConnectorResult {
  batch: CatalogueBatch;
  errors: RowError[];
}

/** A source of catalogue data: a student-information system, a file format, an API. */
export interface SisConnector {
  /** Id of the connector plugin (`sis-sql`). */
  id: string;
  label: Bilingual;
  /**
   * `pull`: reads the source itself (`fetch`), on demand or on its schedule, and is a full snapshot
   * (what the source no longer has is closed to mobility). `file`: brings files a manager uploads
   * (its plugin has its own pages); it only adds and updates.
   */
  mode: 'pull' | 'file';
  /** Is it set up for this institution (connection, URL)? Unconfigured connectors are listed greyed out. */
  configured(institution: Institution): boolean;
  /** Cron expression of its scheduled sync for this institution (from its settings), or `null`. */
  schedule?(institution: Institution): string | null;
  /** Where managers configure or use it (its settings or upload page). */
  href?: string;
  /** Read the whole catalogue of `run.year`. Throw to fail the run: nothing changes then. */
  fetch?(run: ConnectorRun): Promise<ConnectorResult>;
}

/** Argument of `transformConnectors` taps: the institution the list is for. */
export interface ConnectorQuery {
  institution: Institution;
}

/** The hooks the catalogue offers to other plugins (they must list `catalogue` in `dependsOn`). */
export const catalogueHooks = defineHooks('catalogue', () => ({
  /**
   * The SIS connectors available to an institution. A connector plugin taps it and returns the
   * list with itself added; taps of plugins disabled for the institution are skipped.
   * @since 0.1.0
   * @mutates yes (return a new list)
   */
  transformConnectors: new SyncWaterfallHook<[SisConnector[], ConnectorQuery]>(['connectors', 'query']),
}));
