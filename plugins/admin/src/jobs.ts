import type { RegisterApi } from '@smile/sdk';
import { admin } from './common.js';

/** `/admin/jobs`: counts per job from the queue, and which queue runs them. */
export function registerJobs(r: RegisterApi) {
  r.route({
    method: 'GET',
    path: '/admin/jobs',
    permission: 'admin:jobs.read',
    async handler(ctx) {
      const stats = await admin(ctx).jobStats();
      const jobs = Object.entries(stats.jobs)
        .map(([name, c]) => ({ name, ...c }))
        .sort((a, b) => a.name.localeCompare(b.name));
      await ctx.render('admin/jobs', { title: ctx.t('admin:jobs.title'), kind: stats.kind, jobs });
    },
  });
}
