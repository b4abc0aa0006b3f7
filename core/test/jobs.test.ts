/**
 * Jobs: retries up to `attempts`, and cron-declared jobs are known to the queue, on the in-process
 * queue and (when REDIS_URL is set) on BullMQ.
 */
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { deferred, fixture } from './support.js';

type Run = { data: Record<string, unknown>; attempt: number; ok: boolean };
const probe = (): { runs: Run[]; onRun?: (ok: boolean) => void } => ((globalThis as any).smileTestJobs ??= { runs: [] });

const modes = [
  { kind: 'in-process', config: { redisUrl: undefined } as Record<string, unknown> },
  { kind: 'bullmq', config: {} },
];

for (const mode of modes) {
  describe(`jobs on the ${mode.kind} queue`, function () {
    let t: TestPlatform;

    before(async function () {
      this.timeout(120_000);
      if (mode.kind === 'bullmq' && !process.env.REDIS_URL) this.skip();
      t = await startTestPlatform({ plugins: ['job-probe'], pluginPaths: [fixture('job-probe')], config: mode.config });
    });
    after(async () => t?.stop());

    it(`runs on ${mode.kind}`, () => {
      expect(t.resolve(coreServices.jobs).kind).to.equal(mode.kind);
    });

    it('runs a job that fails twice then succeeds exactly 3 times', async () => {
      (globalThis as any).smileTestJobs = { runs: [] };
      const done = deferred();
      probe().onRun = (ok) => ok && done.resolve();
      await t.resolve(coreServices.jobs).enqueue('job-probe.flaky', { file: 7 });
      await done.promise;
      await t.drainJobs();
      expect(probe().runs).to.deep.equal([
        { data: { file: 7 }, attempt: 1, ok: false },
        { data: { file: 7 }, attempt: 2, ok: false },
        { data: { file: 7 }, attempt: 3, ok: true },
      ]);
      const stats = (await t.resolve(coreServices.jobs).stats())['job-probe.flaky'];
      expect(stats).to.include({ completed: 1, failed: 0, waiting: 0, active: 0 });
    });

    it('knows the cron-declared jobs, and shows them to an operator', async () => {
      const stats = await t.resolve(coreServices.jobs).stats();
      expect(stats).to.have.property('job-probe.nightly-digest');
      expect(stats).to.have.property('core.mail.sweep');
      const res = await t.get('/api/v1/jobs', { authorization: await t.token(['core:jobs.read']) });
      expect(res.status).to.equal(200);
      expect(res.json().kind).to.equal(mode.kind);
      expect(res.json().jobs['job-probe.nightly-digest']).to.deep.equal({ waiting: 0, active: 0, failed: 0, completed: 0 });
      if (mode.kind === 'bullmq') {
        // the schedule itself lives in Redis, where every worker of the deployment finds it
        const queue = (t.platform.jobs as any).jobs.get('job-probe.nightly-digest').queue;
        const schedulers = await queue.getJobSchedulers();
        expect(schedulers.map((s: { key: string; pattern: string }) => [s.key, s.pattern])).to.deep.equal([['cron:job-probe.nightly-digest', '0 3 * * *']]);
      }
    });
  });
}
