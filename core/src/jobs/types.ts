import type { JobDefinition, JobQueue } from '@smile/sdk';

/** A job queue adapter: the port plugins see plus lifecycle. */
export interface JobQueueAdapter extends JobQueue {
  /** Declare a job (before `start`). */
  define(def: JobDefinition<any>, run: (data: any, attempt: number) => Promise<void>): void;
  /** Start processing (workers) and schedules. `workers: false` only enqueues (web nodes of a scaled deployment). */
  start(opts: { workers: boolean }): Promise<void>;
  /** Stop schedules, wait for running jobs, close connections. */
  stop(): Promise<void>;
}

export function backoffDelay(base: number, attempt: number): number {
  return base * 2 ** (attempt - 1);
}

