/**
 * Syncs through the real job queue: started by hand from the back office, or by the schedule; a
 * source failing halfway changes nothing; a second start while one runs is the same run.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { catalogueService } from '../src/store.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('catalogue syncs', () => {
  let t: TestPlatform;
  const store = () => t.resolve(catalogueService);
  const settings = async (values: Record<string, unknown>) => {
    const inst = (await t.resolve(coreServices.institutions).byId(t.institution.id))!;
    expect(await t.resolve(coreServices.platformAdmin).saveSettings(inst, 'sis-probe', values)).to.equal(null);
  };
  const count = async () => Number((await t.knex('catalogue_elements').where({ institution_id: t.institution.id }).count({ n: '*' }))[0]!.n);

  before(async () => {
    t = await startTestPlatform({ plugins: ['catalogue', 'sis-probe', 'base'], pluginPaths: [fixtures] });
  });
  after(async () => t?.stop());

  it('a manager starts a sync: it runs as a job, the run page shows it finished with its counts', async () => {
    await settings({ size: 30 });
    const { cookie, csrf } = await t.signIn(['manager']);
    const c = t.client({ session: { cookie, csrf } });
    const page = await c.get('/catalogue/admin/sync');
    expect(page.text).to.contain('Probe');
    const res = await c.post('/catalogue/admin/sync/sis-probe', {});
    expect(res.status).to.equal(303);
    const runUrl = res.headers.get('location')!;
    expect(runUrl).to.match(/\/catalogue\/admin\/sync\/runs\/\d+$/);
    await t.drainJobs();
    const run = (await store().runs(t.institution.id, { connector: 'sis-probe' }))[0]!;
    expect(run).to.include({ state: 'succeeded', trigger: 'manual', created: 31 });
    expect(await count()).to.equal(30);
    const shown = await c.get(runUrl);
    expect(shown.status).to.equal(200);
    expect(shown.text).to.match(/succeeded|réussi|Succeeded|Finished|Terminé/i);
  });

  it('a source that fails halfway fails the run and leaves the catalogue as it was', async () => {
    await settings({ size: 40, failAfter: 25, title: 'Renamed' });
    const run = await store().createRun({ institutionId: t.institution.id, label: 'test' }, { year: store().currentYear(), connector: 'sis-probe', trigger: 'manual' });
    await t.resolve(coreServices.jobs).enqueue('catalogue.sync', { institutionId: t.institution.id, runId: run.id, connector: 'sis-probe' });
    await t.drainJobs();
    const after = (await store().run(t.institution.id, run.id))!;
    expect(after.state).to.equal('failed');
    expect(after.failure).to.contain('stopped answering after 25 elements');
    expect(await count()).to.equal(30);
    expect((await store().element(t.institution.id, store().currentYear(), 'P0'))!.titleFr).to.equal('Probe course 0');
  });

  it('the schedule starts a due sync once, and not again before it is due', async () => {
    await settings({ size: 35, failAfter: null, schedule: '* * * * *' });
    const jobs = t.resolve(coreServices.jobs);
    await jobs.enqueue('catalogue.schedule', {});
    await t.drainJobs();
    const scheduled = (await store().runs(t.institution.id, { connector: 'sis-probe' })).filter((r) => r.trigger === 'schedule');
    expect(scheduled).to.have.length(1);
    expect(scheduled[0]!.state).to.equal('succeeded');
    expect(await count()).to.equal(35);
    // the same minute: nothing new is due
    await jobs.enqueue('catalogue.schedule', {}, { jobId: 'again' });
    await t.drainJobs();
    expect((await store().runs(t.institution.id, { connector: 'sis-probe' })).filter((r) => r.trigger === 'schedule')).to.have.length(1);
  });

  it('a full sync closes what the source no longer sends', async () => {
    await settings({ size: 20, schedule: null });
    const run = await store().createRun({ institutionId: t.institution.id, label: 'test' }, { year: store().currentYear(), connector: 'sis-probe', trigger: 'manual' });
    await t.resolve(coreServices.jobs).enqueue('catalogue.sync', { institutionId: t.institution.id, runId: run.id, connector: 'sis-probe' });
    await t.drainJobs();
    expect((await store().run(t.institution.id, run.id))!).to.include({ state: 'succeeded', closed: 15 });
    const gone = (await store().element(t.institution.id, store().currentYear(), 'P30'))!;
    expect(gone).to.include({ inSource: false, openToMobility: false });
  });
});
