/**
 * Connector runs: the list of connectors of an institution, a sync started by hand or on schedule
 * (a job), and the minute tick that starts scheduled syncs.
 * @packageDocumentation
 */
import { Cron } from 'croner';
import { coreServices } from '@smile/sdk';
import type { Institution, RegisterApi } from '@smile/sdk';
import { catalogueHooks, type SisConnector } from './connectors.js';
import { catalogueService, type SyncRun } from './store.js';

type Hooks = ReturnType<(typeof catalogueHooks)['create']>;

/** The connectors of an institution (plugins disabled there are left out). */
export function connectorsFor(hooks: Hooks, institution: Institution): SisConnector[] {
  return hooks.transformConnectors.call([], { institution });
}

/** Is a cron expression valid? */
export function validCron(expr: string): boolean {
  try {
    new Cron(expr, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** Declare the sync job and the scheduler tick; returns `startSync` for routes and commands. */
export function registerSync(r: RegisterApi<any>, hooks: Hooks) {
  const store = r.deferred(catalogueService);
  const institutions = r.deferred(coreServices.institutions);
  const jobs = r.deferred(coreServices.jobs);

  r.job<{ institutionId: number; runId: number; connector: string }>({
    name: 'sync',
    attempts: 1,
    handler: async (data, ctx) => {
      const institution = await institutions().byId(data.institutionId);
      if (!institution) return;
      const connector = connectorsFor(hooks, institution).find((c) => c.id === data.connector);
      const actor = { institutionId: institution.id, label: `catalogue sync (${data.connector})` };
      if (!connector?.fetch) {
        await store().execute(actor, data.runId, async () => {
          throw new Error(`the connector "${data.connector}" is not available for this institution`);
        });
        return;
      }
      const run = await store().run(institution.id, data.runId);
      if (!run || run.state !== 'queued') return;
      const abort = new AbortController();
      await store().execute(actor, data.runId, (progress) => connector.fetch!({ institution, year: run.year, log: ctx.log, signal: abort.signal, progress }), { closeMissing: true });
    },
  });

  // every minute: start the syncs whose schedule came due since their last scheduled run
  r.job({
    name: 'schedule',
    cron: '* * * * *',
    attempts: 1,
    handler: async (_data, ctx) => {
      for (const institution of await institutions().all()) {
        for (const connector of connectorsFor(hooks, institution)) {
          const expr = connector.mode === 'pull' && connector.configured(institution) ? connector.schedule?.(institution) : null;
          if (!expr || !validCron(expr)) continue;
          const last = (await store().runs(institution.id, { connector: connector.id, limit: 20 })).find((x) => x.trigger === 'schedule');
          const since = last ? new Date(last.queuedAt) : new Date(Date.now() - 61_000);
          const next = new Cron(expr, { paused: true }).nextRun(since);
          if (!next || next.getTime() > Date.now()) continue;
          try {
            await startSync(institution, connector.id, 'schedule', { institutionId: institution.id, label: 'schedule' });
          } catch (e) {
            ctx.log.warn({ institution: institution.code, connector: connector.id, err: (e as Error).message }, 'scheduled catalogue sync not started');
          }
        }
      }
    },
  });

  /**
   * Queue a sync of `connectorId` for the institution (current academic year unless `year`).
   * Refused while another run of the same connector is queued or running.
   */
  async function startSync(
    institution: Institution,
    connectorId: string,
    trigger: SyncRun['trigger'],
    actor: { institutionId: number; personId?: number | null; label: string },
    opts: { year?: number; dryRun?: boolean } = {},
  ): Promise<SyncRun> {
    const connector = connectorsFor(hooks, institution).find((c) => c.id === connectorId);
    if (!connector || connector.mode !== 'pull' || !connector.fetch) throw new Error(`no connector "${connectorId}" that can sync`);
    if (!connector.configured(institution)) throw new Error(`the connector "${connectorId}" is not configured`);
    const busy = await store().busy(institution.id, connectorId);
    if (busy) return busy;
    const run = await store().createRun(actor, { year: opts.year ?? store().currentYear(), connector: connectorId, trigger, dryRun: opts.dryRun });
    await jobs().enqueue('catalogue.sync', { institutionId: institution.id, runId: run.id, connector: connectorId }, { jobId: `catalogue-sync-${run.id}` });
    return run;
  }
  return { startSync };
}
