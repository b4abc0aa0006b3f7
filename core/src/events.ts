import type { Knex } from 'knex';
import { SmileError, ErrorCodes, EVENT_NAME } from '@smile/sdk';
import type { EventBus, Logger } from '@smile/sdk';
import type { JobQueueAdapter } from './jobs/types.js';
import type { Registry } from './plugins/registry.js';

export const EVENT_JOB = 'core.event.deliver';

/**
 * Events are notifications after the fact. Each subscriber gets its own job, so a slow or failing
 * subscriber neither slows the request nor blocks the others, and retries on its own.
 */
export function createEventBus(registry: Registry, jobs: JobQueueAdapter, log: Logger): EventBus {
  const dispatch = async (name: string, payload: Record<string, unknown>, institutionId: number | null) => {
    for (const s of registry.subscribers) {
      if (s.def.event !== name) continue;
      await jobs.enqueue(EVENT_JOB, { key: s.key, event: name, payload, institutionId });
    }
  };
  return {
    async emit(name, payload, opts = {}) {
      if (!EVENT_NAME.test(name)) throw new SmileError(ErrorCodes.EVENT_NAME, `"${name}" is not an event name (<plugin-id>.<entity>.<past-tense>)`, { key: name });
      const institutionId = opts.institutionId ?? null;
      const trx = opts.trx as (Knex.Transaction & { executionPromise?: Promise<unknown> }) | undefined;
      if (trx?.executionPromise) {
        // delivered after commit; a rollback drops it
        trx.executionPromise.then(
          () => dispatch(name, payload, institutionId).catch((e) => log.error({ event: name, err: String(e) }, 'event dispatch failed')),
          () => undefined,
        );
        return;
      }
      await dispatch(name, payload, institutionId);
    },
  };
}
