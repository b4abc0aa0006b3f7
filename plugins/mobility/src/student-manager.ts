/**
 * The invitation as the office sees it: a block on the file's page (sent when, to whom, claimed
 * when) and the re-send button, posted to `/mobility/files/:id/invite`.
 * @packageDocumentation
 */
import { formField as field, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import type { MobilityHooks } from './hooks.js';
import { PERMISSIONS } from './permissions.js';
import { idParam, inScope, notFound, storeOf, type Ctx } from './manager-common.js';
import { latestInvitation, InvitationRefused, resendInvitation } from './student-invitations.js';
import { invitationDeps } from './student-taps.js';
import type { MobilityFile } from './types.js';

const mayInvite = (ctx: Ctx, file: MobilityFile): boolean => inScope(ctx.scopeOf(PERMISSIONS.manage), file.componentCode);

export function registerInvitationBlock(r: RegisterApi<any>, hooks: MobilityHooks): void {
  const deps = invitationDeps(r);

  hooks.fileSections.tapPromise('mobility:invitation', async (sections, { ctx, file, audience }) => {
    if (audience !== 'manager') return sections;
    const inv = await latestInvitation(ctx.db.knex as any, ctx.institution.id, file.id);
    const now = Date.now();
    const state = file.personId
      ? 'linked'
      : !inv ? 'none'
      : inv.usedAt ? 'used'
      : inv.revokedAt ? 'revoked'
      : inv.expiresAt.getTime() <= now ? 'expired'
      : 'sent';
    const invite = {
      state, invitation: inv, hasEmail: !!file.email, email: file.email ?? '',
      canResend: !file.personId && !!file.email && ctx.can(PERMISSIONS.manage) && mayInvite(ctx, file),
      latest: inv ? String(inv.id) : '',
    };
    return [...sections, { id: 'mobility-invitation', order: 50, view: 'mobility/student-invitation', locals: { invite } }];
  });

  r.route({
    method: 'POST',
    path: '/mobility/files/:id/invite',
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      const id = idParam(ctx);
      const file = await storeOf(ctx).file(ctx.institution.id, id);
      if (!file || !mayInvite(ctx, file)) throw notFound(ctx);
      const raw = field(ctx.body, 'latest');
      const latest = /^\d+$/.test(raw) ? Number(raw) : null;
      const actor = { institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, label: ctx.principal.label, ip: ctx.koa.ip || null, requestId: ctx.requestId };
      try {
        const inv = await resendInvitation(deps(), ctx.institution, actor, id, latest);
        ctx.flash('success', ctx.t('mobility:student.invitation.resent', { email: inv.email }));
      } catch (e) {
        if (!(e instanceof InvitationRefused)) throw e;
        if (e.reason === 'notFound') throw notFound(ctx);
        ctx.flash('error', ctx.t(`mobility:student.invitation.refused.${e.reason}`));
      }
      return seeOther(ctx, `/mobility/files/${id}#mobility-invitation`);
    },
  });
}
