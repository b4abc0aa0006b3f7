import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { EnqueueOptions, JobDefinition, Logger } from '@smile/sdk';
import type { JobQueueAdapter } from './types.js';

interface Entry {
  def: JobDefinition<any>;
  run: (data: any, attempt: number) => Promise<void>;
  queue: Queue;
  worker?: Worker;
}

/** BullMQ on Redis: one queue per job name, so each job keeps its own concurrency. */
export class BullMqQueue implements JobQueueAdapter {
  readonly kind = 'bullmq' as const;
  private jobs = new Map<string, Entry>();
  private connection: ConnectionOptions;

  constructor(redisUrl: string, private log: Logger, private prefix = 'smile') {
    const u = new URL(redisUrl);
    this.connection = {
      host: u.hostname,
      port: Number(u.port || 6379),
      username: u.username || undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
      tls: u.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    };
  }

  define(def: JobDefinition<any>, run: (data: any, attempt: number) => Promise<void>) {
    const queue = new Queue(def.name, { connection: this.connection, prefix: this.prefix });
    queue.on('error', (err) => this.log.error({ job: def.name, err: String(err) }, 'queue error'));
    this.jobs.set(def.name, { def, run, queue });
  }

  async enqueue(name: string, data: Record<string, unknown> = {}, opts: EnqueueOptions = {}) {
    const e = this.jobs.get(name);
    if (!e) throw new Error(`unknown job "${name}"`);
    await e.queue.add(name, data, {
      delay: opts.delay,
      jobId: opts.jobId,
      attempts: e.def.attempts ?? 3,
      backoff: { type: 'exponential', delay: e.def.backoffMs ?? 1000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    });
  }

  async start(opts: { workers: boolean }) {
    for (const e of this.jobs.values()) {
      if (e.def.cron) {
        await e.queue.upsertJobScheduler(`cron:${e.def.name}`, { pattern: e.def.cron }, { name: e.def.name, data: {}, opts: { attempts: e.def.attempts ?? 3 } });
      } else {
        await e.queue.removeJobScheduler(`cron:${e.def.name}`).catch(() => undefined);
      }
      if (!opts.workers) continue;
      e.worker = new Worker(e.def.name, async (job) => e.run(job.data, job.attemptsMade + 1), {
        connection: this.connection,
        prefix: this.prefix,
        concurrency: e.def.concurrency ?? 1,
      });
      e.worker.on('failed', (job, err) => this.log.warn({ job: e.def.name, attempt: job?.attemptsMade, err: String(err) }, 'job failed'));
      e.worker.on('error', (err) => this.log.error({ job: e.def.name, err: String(err) }, 'worker error'));
    }
  }

  async stats() {
    const out: Record<string, { waiting: number; active: number; failed: number; completed: number }> = {};
    for (const [name, e] of this.jobs) {
      const c = await e.queue.getJobCounts('waiting', 'active', 'failed', 'completed', 'delayed');
      out[name] = { waiting: c.waiting ?? 0, active: c.active ?? 0, failed: c.failed ?? 0, completed: c.completed ?? 0 };
    }
    return out;
  }

  async stop() {
    await Promise.all([...this.jobs.values()].map((e) => e.worker?.close()));
    await Promise.all([...this.jobs.values()].map((e) => e.queue.close()));
  }
}
