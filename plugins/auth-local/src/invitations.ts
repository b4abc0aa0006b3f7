import { coreServices, SmileError, ErrorCodes } from '@smile/sdk';
import type { Knex } from 'knex';
import type { RegisterApi, RoleInfo } from '@smile/sdk';
import { field, fields, mailOrigin, newToken, normaliseEmail, renderWithStatus, seeOther, tokenHash, type Ctx } from './http.js';
import { store, statusOf, type Invitation } from './store.js';
import { fmtDateTime, tr } from './strings.js';
import { throttleFor } from './flow.js';
import type { Settings } from './settings.js';

const PERMISSION = 'auth-local:guests.manage';

interface InviteValues {
  email: string;
  displayName: string;
  roles: string[];
  components: string[];
}
type InviteErrors = Partial<Record<'email' | 'displayName' | 'roles' | 'components', string>>;

/**
 * May this manager act on an invitation limited to `components`? A manager whose permission is
 * limited to some components invites only into those (and sees only those invitations).
 */
function inScope(ctx: Ctx, components: string[]): boolean {
  const scope = ctx.scopeOf(PERMISSION);
  return scope === 'all' || (components.length > 0 && components.every((c) => scope.includes(c)));
}

/** Roles a guest may be given: those open to people from outside the institution. */
export async function externalRoles(ctx: Ctx): Promise<RoleInfo[]> {
  return (await ctx.resolve(coreServices.roles).list(ctx.institution.id)).filter((r) => r.externalAccess);
}

async function page(ctx: Ctx, s: Settings, status: number, values: InviteValues, errors: InviteErrors): Promise<void> {
  const roles = ctx.resolve(coreServices.roles);
  const [all, components, invitations, accounts] = await Promise.all([
    roles.list(ctx.institution.id), roles.components(ctx.institution.id), store.invitations(ctx.db), store.accounts(ctx.db),
  ]);
  const names = new Map(all.map((r) => [r.key, r.name[ctx.language]]));
  const th = throttleFor(ctx, s);
  const now = Date.now();
  const scope = ctx.scopeOf(PERMISSION);
  await renderWithStatus(ctx, status, 'auth-local/invitations', {
    title: ctx.t('auth-local:invitations.title'),
    values, errors, days: s.invitationDays,
    roles: all.filter((r) => r.externalAccess).map((r) => ({ key: r.key, name: r.name[ctx.language] })),
    components: components.filter((c) => scope === 'all' || scope.includes(c.code)).map((c) => ({ code: c.code, name: c.name[ctx.language] })),
    scoped: scope !== 'all',
    invitations: invitations.filter((i) => inScope(ctx, i.components)).map((i) => ({ ...i, status: statusOf(i, now), roleNames: i.roles.map((k) => names.get(k) ?? k) })),
    // accounts are institution-wide: a manager limited to some components does not list or unlock them
    accounts: scope !== 'all' ? [] : await Promise.all(accounts.map(async (a) => ({ ...a, lockedUntil: await th.lockedUntil(a.email) }))),
    fmt: (d: Date) => fmtDateTime(ctx.language, d),
  });
}

/** The invitation mail, in French then English: the guest's language is not known yet. */
function invitationMail(ctx: Ctx, i: Invitation, token: string, roleInfos: RoleInfo[]) {
  const link = `${mailOrigin(ctx)}/local/accept?token=${token}`;
  const body = (lang: 'fr' | 'en') => {
    const roles = i.roles.map((k) => roleInfos.find((r) => r.key === k)?.name[lang] ?? k).join(', ');
    const institution = lang === 'fr' ? ctx.institution.nameFr : ctx.institution.nameEn;
    return tr(lang, 'mail.invitation.body', {
      name: i.displayName ?? i.email, inviter: i.invitedByLabel, institution, roles, link, until: fmtDateTime(lang, i.expiresAt),
    });
  };
  return {
    institutionId: ctx.institution.id, to: i.email,
    subject: `${tr('fr', 'mail.invitation.subject', { institution: ctx.institution.nameFr })} / ${tr('en', 'mail.invitation.subject', { institution: ctx.institution.nameEn })}`,
    text: `${body('fr')}\n\n----------\n\n${body('en')}\n`,
    tag: `auth-local.invitation:${i.id}`,
  };
}

const expiry = (s: Settings) => new Date(Date.now() + s.invitationDays * 24 * 60 * 60_000);

async function invitationOr404(ctx: Ctx): Promise<Invitation> {
  const id = String(ctx.params.id ?? '');
  const inv = /^[1-9][0-9]{0,9}$/.test(id) ? await store.invitation(ctx.db, Number(id)) : null;
  // another institution's invitation is simply not found
  if (!inv || !inScope(ctx, inv.components)) throw new SmileError(ErrorCodes.NOT_FOUND, ctx.t('auth-local:invitations.notFound'), { status: 404 });
  return inv;
}

/** Who is acting, for the invitation record and the mail ("… invites you"). */
const inviterOf = (ctx: Ctx) => ({ id: ctx.principal.personId ?? null, label: ctx.principal.label });

/** `/local/invitations`: invite guests, follow, resend or revoke invitations, unlock accounts. */
export function registerInvitations(r: RegisterApi<Settings>): void {
  const s = r.settings;
  const empty: InviteValues = { email: '', displayName: '', roles: [], components: [] };

  r.nav({ href: '/local/invitations', label: { fr: 'Comptes invités', en: 'Guest accounts' }, area: 'main', permission: PERMISSION, weight: 80 });

  r.route({ method: 'GET', path: '/local/invitations', permission: PERMISSION, handler: (ctx) => page(ctx, s, 200, empty, {}) });

  r.route({
    method: 'POST',
    path: '/local/invitations',
    permission: PERMISSION,
    async handler(ctx) {
      const values: InviteValues = {
        email: field(ctx.body, 'email'), displayName: field(ctx.body, 'displayName'),
        roles: [...new Set(fields(ctx.body, 'roles'))], components: [...new Set(fields(ctx.body, 'components'))],
      };
      const errors: InviteErrors = {};
      const email = normaliseEmail(values.email);
      const rolesSvc = ctx.resolve(coreServices.roles);
      const all = await rolesSvc.list(ctx.institution.id);
      const known = new Set((await rolesSvc.components(ctx.institution.id)).map((c) => c.code));
      if (!email) errors.email = ctx.t('auth-local:invitations.errors.email');
      else if (await store.accountByEmail(ctx.db, email)) errors.email = ctx.t('auth-local:invitations.errors.hasAccount');
      else if (await store.pendingInvitationFor(ctx.db, email)) errors.email = ctx.t('auth-local:invitations.errors.pending');
      if (values.displayName.length > 300) errors.displayName = ctx.t('auth-local:invitations.errors.tooLong', { max: 300 });
      if (values.roles.length === 0) errors.roles = ctx.t('auth-local:invitations.errors.noRole');
      else {
        const refused = values.roles.filter((k) => !all.some((x) => x.key === k && x.externalAccess));
        if (refused.length) errors.roles = ctx.t('auth-local:invitations.errors.notExternal', { roles: refused.map((k) => all.find((x) => x.key === k)?.name[ctx.language] ?? k).join(', ') });
      }
      const unknown = values.components.filter((c) => !known.has(c));
      if (unknown.length) errors.components = ctx.t('auth-local:invitations.errors.component', { components: unknown.join(', ') });
      else if (!inScope(ctx, values.components)) errors.components = ctx.t('auth-local:invitations.errors.scope');
      if (Object.keys(errors).length) return page(ctx, s, 422, values, errors);

      const token = newToken();
      const inviter = inviterOf(ctx);
      const mailer = ctx.resolve(coreServices.mailer);
      const audit = ctx.resolve(coreServices.audit);
      await ctx.db.transaction(async (tdb) => {
        const trx = tdb.knex as Knex.Transaction;
        const inv = await store.createInvitation(tdb, {
          email: email!, displayName: values.displayName || null, roles: values.roles, components: values.components,
          tokenHash: tokenHash(token), expiresAt: expiry(s), invitedBy: inviter.id, invitedByLabel: inviter.label,
        });
        await mailer.queue(invitationMail(ctx, inv, token, all), { trx });
        await audit.record(ctx, {
          action: 'auth-local.invitation.sent', targetType: 'auth-local.invitation', targetId: inv.id,
          after: { email: inv.email, roles: inv.roles, components: inv.components, expiresAt: inv.expiresAt.toISOString() },
        }, { trx });
      });
      ctx.flash('success', ctx.t('auth-local:invitations.sent', { email: email! }));
      seeOther(ctx, '/local/invitations');
    },
  });

  r.route({
    method: 'POST',
    path: '/local/invitations/:id/resend',
    permission: PERMISSION,
    async handler(ctx) {
      const inv = await invitationOr404(ctx);
      const status = statusOf(inv);
      if (status === 'accepted' || status === 'revoked') {
        ctx.flash('error', ctx.t(`auth-local:invitations.cannotResend.${status}`));
        return seeOther(ctx, '/local/invitations');
      }
      // a new link: the token of the first mail is not kept anywhere, and it stops working now
      const token = newToken();
      const all = await ctx.resolve(coreServices.roles).list(ctx.institution.id);
      const mailer = ctx.resolve(coreServices.mailer);
      const audit = ctx.resolve(coreServices.audit);
      const expiresAt = expiry(s);
      await ctx.db.transaction(async (tdb) => {
        const trx = tdb.knex as Knex.Transaction;
        await store.renewInvitation(tdb, inv.id, tokenHash(token), expiresAt);
        await mailer.queue(invitationMail(ctx, { ...inv, expiresAt }, token, all), { trx });
        await audit.record(ctx, {
          action: 'auth-local.invitation.resent', targetType: 'auth-local.invitation', targetId: inv.id,
          before: { expiresAt: inv.expiresAt.toISOString() }, after: { expiresAt: expiresAt.toISOString() },
        }, { trx });
      });
      ctx.flash('success', ctx.t('auth-local:invitations.resent', { email: inv.email }));
      seeOther(ctx, '/local/invitations');
    },
  });

  r.route({
    method: 'POST',
    path: '/local/invitations/:id/revoke',
    permission: PERMISSION,
    async handler(ctx) {
      const inv = await invitationOr404(ctx);
      const status = statusOf(inv);
      if (status === 'accepted' || status === 'revoked') {
        ctx.flash('error', ctx.t(`auth-local:invitations.cannotRevoke.${status}`));
        return seeOther(ctx, '/local/invitations');
      }
      const audit = ctx.resolve(coreServices.audit);
      await ctx.db.transaction(async (tdb) => {
        await store.revokeInvitation(tdb, inv.id);
        await audit.record(ctx, { action: 'auth-local.invitation.revoked', targetType: 'auth-local.invitation', targetId: inv.id, detail: { email: inv.email, was: status } }, { trx: tdb.knex as Knex.Transaction });
      });
      ctx.flash('success', ctx.t('auth-local:invitations.revoked', { email: inv.email }));
      seeOther(ctx, '/local/invitations');
    },
  });

  r.route({
    method: 'POST',
    path: '/local/accounts/:id/unlock',
    permission: PERMISSION,
    async handler(ctx) {
      const id = String(ctx.params.id ?? '');
      const account = /^[1-9][0-9]{0,9}$/.test(id) && ctx.scopeOf(PERMISSION) === 'all' ? await store.account(ctx.db, Number(id)) : null;
      if (!account) throw new SmileError(ErrorCodes.NOT_FOUND, ctx.t('auth-local:invitations.notFound'), { status: 404 });
      await throttleFor(ctx, s).unlock(account.email);
      await ctx.resolve(coreServices.audit).record(ctx, { action: 'auth-local.account.unlocked', targetType: 'auth-local.account', targetId: account.id, detail: { email: account.email } });
      ctx.flash('success', ctx.t('auth-local:accounts.unlocked', { email: account.email }));
      seeOther(ctx, '/local/invitations');
    },
  });
}
