/**
 * Events: delivered to subscribers through the job queue, only once the emitting transaction has
 * committed; a rolled-back transaction delivers nothing; a failing subscriber is retried on its own.
 */
import { expect } from 'chai';
import { coreServices, type EventBus } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { deferred, fixture } from './support.js';
import type { Delivery } from './fixtures/event-probe/src/index.js';

const probe = (): { deliveries: Delivery[]; onDelivery?: (d: Delivery) => void } => ((globalThis as any).smileTestEvents ??= { deliveries: [] });

/** Resolves with the first delivery matching `match` (already received, or to come). */
function delivery(match: (d: Delivery) => boolean): Promise<Delivery> {
  const seen = probe().deliveries.find(match);
  if (seen) return Promise.resolve(seen);
  const d = deferred<Delivery>();
  const prev = probe().onDelivery;
  probe().onDelivery = (x) => {
    prev?.(x);
    if (match(x)) d.resolve(x);
  };
  return d.promise;
}

describe('events', function () {
  let t: TestPlatform;
  let events: EventBus;

  before(async function () {
    this.timeout(120_000);
    (globalThis as any).smileTestEvents = { deliveries: [] };
    t = await startTestPlatform({ plugins: ['event-probe'], pluginPaths: [fixture('event-probe')] });
    events = t.resolve(coreServices.events);
  });
  beforeEach(() => {
    probe().deliveries.length = 0;
    probe().onDelivery = undefined;
  });
  after(async () => t?.stop());

  it('delivers an event emitted inside a transaction only after the commit', async () => {
    const inst = t.institution.id;
    const id = await t.knex.transaction(async (trx) => {
      const [row] = await trx('event_probe_items').insert({ institution_id: inst, label: 'committed' }).returning('id');
      await events.emit('event-probe.item.created', { id: row.id }, { trx, institutionId: inst });
      // the queue is idle: nothing was handed to it while the transaction is open
      await t.drainJobs();
      expect(probe().deliveries).to.deep.equal([]);
      return row.id as number;
    });
    const d = await delivery((x) => x.payload.id === id);
    expect(d).to.deep.include({ subscriber: 'recorder', event: 'event-probe.item.created', institutionId: inst, attempt: 1 });
    // the subscriber saw the committed row
    expect(d.sawRow).to.equal(true);
    await t.drainJobs();
    expect(probe().deliveries).to.have.length(1);
  });

  it('delivers nothing for a transaction that rolls back', async () => {
    const inst = t.institution.id;
    const rolledBack = await t.knex
      .transaction(async (trx) => {
        const [row] = await trx('event_probe_items').insert({ institution_id: inst, label: 'rolled back' }).returning('id');
        await events.emit('event-probe.item.created', { id: row.id, rolledBack: true }, { trx, institutionId: inst });
        throw new Error('validation failed after the emit');
      })
      .then(() => 'committed', (e: Error) => e.message);
    expect(rolledBack).to.equal('validation failed after the emit');
    expect(await t.knex('event_probe_items').where({ label: 'rolled back' })).to.have.length(0);

    // a later event on the same queue arrives; the rolled-back one, emitted first, never does
    await events.emit('event-probe.item.created', { marker: 'after-rollback' }, { institutionId: inst });
    await delivery((x) => x.payload.marker === 'after-rollback');
    await t.drainJobs();
    expect(probe().deliveries.map((x) => x.payload)).to.deep.equal([{ marker: 'after-rollback' }]);
  });

  it('retries a failing subscriber without stopping the other subscribers', async function () {
    this.timeout(60_000);
    const succeeded = delivery((x) => x.subscriber === 'flaky');
    await events.emit('event-probe.item.flagged', { id: 42 }, { institutionId: t.institution.id });
    const d = await succeeded;
    expect(d.attempt).to.equal(2);
    await t.drainJobs();
    const bySubscriber = probe().deliveries.map((x) => `${x.subscriber}#${x.attempt}`).sort();
    expect(bySubscriber).to.deep.equal(['flaky#2', 'flaky-failed#1', 'steady#1']);
    expect(probe().deliveries.every((x) => x.payload.id === 42)).to.equal(true);
  });
});
