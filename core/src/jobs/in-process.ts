import { Cron } from 'croner';
import type { EnqueueOptions, JobDefinition, Logger } from '@smile/sdk';
import { backoffDelay, type JobQueueAdapter } from './types.js';

interface Entry {
  def: JobDefinition<any>;
  run: (data: any, attempt: number) => Promise<void>;
  queue: { data: any; attempt: number; jobId?: string }[];
  active: number;
  counts: { waiting: number; active: number; failed: number; completed: number };
  ids: Set<string>;
}

/**
 * Jobs in this process, for the embedded default. Retries with exponential backoff and cron
 * schedules as with BullMQ; jobs waiting in memory are lost if the process dies, so durable work
 * (mail) keeps its state in the database and is swept again on a schedule.
 */
export class InProcessQueue implements JobQueueAdapter {
  readonly kind = 'in-process' as const;
  private jobs = new Map<string, Entry>();
  private crons: Cron[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private running = false;
  private idle: (() => void)[] = [];

  constructor(private log: Logger) {}

  define(def: JobDefinition<any>, run: (data: any, attempt: number) => Promise<void>) {
    this.jobs.set(def.name, { def, run, queue: [], active: 0, counts: { waiting: 0, active: 0, failed: 0, completed: 0 }, ids: new Set() });
  }

  async enqueue(name: string, data: Record<string, unknown> = {}, opts: EnqueueOptions = {}) {
    const e = this.jobs.get(name);
    if (!e) throw new Error(`unknown job "${name}"`);
    if (opts.jobId) {
      if (e.ids.has(opts.jobId)) return;
      e.ids.add(opts.jobId);
    }
    const item = { data, attempt: 1, jobId: opts.jobId };
    e.counts.waiting++;
    if (opts.delay) this.later(opts.delay, () => this.push(e, item));
    else this.push(e, item);
  }

  private later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private push(e: Entry, item: Entry['queue'][number]) {
    e.queue.push(item);
    this.pump(e);
  }

  private pump(e: Entry) {
    if (!this.running) return;
    while (e.active < (e.def.concurrency ?? 1) && e.queue.length > 0) {
      const item = e.queue.shift()!;
      e.active++;
      e.counts.waiting--;
      e.counts.active++;
      void e
        .run(item.data, item.attempt)
        .then(
          () => {
            e.counts.completed++;
            if (item.jobId) e.ids.delete(item.jobId);
          },
          (err) => {
            const max = e.def.attempts ?? 3;
            if (item.attempt < max && this.running) {
              const delay = backoffDelay(e.def.backoffMs ?? 1000, item.attempt);
              this.log.warn({ job: e.def.name, attempt: item.attempt, err: String(err) }, 'job failed, will retry');
              e.counts.waiting++;
              this.later(delay, () => this.push(e, { ...item, attempt: item.attempt + 1 }));
            } else {
              e.counts.failed++;
              if (item.jobId) e.ids.delete(item.jobId);
              this.log.error({ job: e.def.name, attempt: item.attempt, err: String(err) }, 'job failed');
            }
          },
        )
        .finally(() => {
          e.active--;
          e.counts.active--;
          this.pump(e);
          this.checkIdle();
        });
    }
  }

  private checkIdle() {
    if ([...this.jobs.values()].every((e) => e.active === 0)) for (const f of this.idle.splice(0)) f();
  }

  async start(opts: { workers: boolean }) {
    if (!opts.workers) return;
    this.running = true;
    for (const e of this.jobs.values()) {
      if (e.def.cron) this.crons.push(new Cron(e.def.cron, { protect: true, unref: true }, () => void this.enqueue(e.def.name, {}, { jobId: `cron:${e.def.name}` })));
      this.pump(e);
    }
  }

  async stats() {
    return Object.fromEntries([...this.jobs].map(([n, e]) => [n, { ...e.counts }]));
  }

  /** Resolves when no job is running (tests use it to wait for side effects). */
  async drain(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      const busy = [...this.jobs.values()].some((e) => e.active > 0 || e.queue.length > 0);
      if (!busy) return;
      await new Promise<void>((r) => this.idle.push(r));
    }
  }

  async stop() {
    this.running = false;
    for (const c of this.crons) c.stop();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if ([...this.jobs.values()].some((e) => e.active > 0)) await new Promise<void>((r) => this.idle.push(r));
  }
}
