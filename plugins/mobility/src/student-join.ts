/**
 * `/mobility/join/:token`, the link of the invitation mail. Public (the nominee may not be signed
 * in yet) and checked here: a visitor is asked to sign in with their home institution's account
 * and brought back; a signed-in person confirms, and the POST claims the file. GET changes
 * nothing, so a link opened by a mail scanner or a third-party page cannot claim a file.
 * @packageDocumentation
 */
import { coreServices, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { renderWithStatus, type Ctx } from './manager-common.js';
import { claimInvitation, JoinRefused, peekInvitation, type JoinState } from './student-invitations.js';
import { ME } from './student-space.js';

const STATUS: Record<Exclude<JoinState, 'ok' | 'mine'>, number> = { unknown: 404, expired: 410, used: 410, revoked: 410, taken: 409 };

const signedIn = (ctx: Ctx): number | null => (ctx.principal.kind === 'user' && ctx.principal.personId ? ctx.principal.personId : null);
const tokenOf = (ctx: Ctx): string => String(ctx.params.token ?? '').slice(0, 100);

async function problem(ctx: Ctx, state: Exclude<JoinState, 'ok' | 'mine'>): Promise<void> {
  await renderWithStatus(ctx, STATUS[state], 'mobility/student-join', { title: ctx.t('mobility:student.join.problemTitle'), mode: 'problem', problem: ctx.t(`mobility:student.join.problems.${state}`) });
}

async function askSignIn(ctx: Ctx, status = 200): Promise<void> {
  const back = `/mobility/join/${encodeURIComponent(tokenOf(ctx))}`;
  await renderWithStatus(ctx, status, 'mobility/student-join', {
    title: ctx.t('mobility:student.join.title'), mode: 'signin', signInHref: `/sign-in?return=${encodeURIComponent(back)}`,
  });
}

export function registerJoin(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: '/mobility/join/:token',
    public: true,
    async handler(ctx) {
      const personId = signedIn(ctx);
      const peek = await peekInvitation(ctx.db.knex as any, ctx.institution.id, tokenOf(ctx), personId);
      if (peek.state === 'mine') {
        ctx.flash('info', ctx.t('mobility:student.join.already'));
        return seeOther(ctx, `${ME}/${peek.fileId}`);
      }
      if (peek.state !== 'ok') return problem(ctx, peek.state);
      if (!personId) return askSignIn(ctx);
      await ctx.render('mobility/student-join', { title: ctx.t('mobility:student.join.title'), mode: 'confirm', name: peek.name, home: peek.home, action: `/mobility/join/${encodeURIComponent(tokenOf(ctx))}` });
    },
  });

  r.route({
    method: 'POST',
    path: '/mobility/join/:token',
    public: true,
    async handler(ctx) {
      const personId = signedIn(ctx);
      if (!personId) return askSignIn(ctx, 401);
      const actor = { institutionId: ctx.institution.id, personId, label: ctx.principal.label, ip: ctx.koa.ip || null, requestId: ctx.requestId };
      try {
        const { fileId, already } = await claimInvitation(
          { knex: ctx.resolve(coreServices.database).knex, audit: ctx.resolve(coreServices.audit), roles: ctx.resolve(coreServices.roles) },
          actor, tokenOf(ctx),
        );
        ctx.flash('success', ctx.t(already ? 'mobility:student.join.already' : 'mobility:student.join.linked'));
        return seeOther(ctx, `${ME}/${fileId}`);
      } catch (e) {
        if (e instanceof JoinRefused) return problem(ctx, e.reason);
        throw e;
      }
    },
  });
}
