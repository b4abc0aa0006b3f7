import type { RegisterApi } from '@smile/sdk';
import { SECTIONS, admin, themeErrorList } from './common.js';

/** `/admin`: links to the sections this person may open, and what needs attention. */
export function registerDashboard(r: RegisterApi) {
  r.route({
    method: 'GET',
    path: '/admin',
    permission: 'admin:area.view',
    async handler(ctx) {
      const pa = admin(ctx);
      const sections = SECTIONS.filter((s) => ctx.can(s.permission)).map((s) => ({
        href: s.href, title: ctx.t(`admin:${s.key}.title`), summary: ctx.t(`admin:${s.key}.summary`),
      }));
      await ctx.render('admin/dashboard', {
        title: ctx.t('admin:dashboard.title'),
        sections,
        themeErrors: themeErrorList(pa),
        smtpConfigured: pa.smtpConfigured(),
        canOutbox: ctx.can('admin:outbox.read'),
        canTheme: ctx.can('admin:theme.edit'),
      });
    },
  });
}
