import { coreServices } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { field, isToken, mailOrigin, newToken, normaliseEmail, renderWithStatus, secretPage, seeOther, tokenHash, type Ctx } from './http.js';
import { store, type Account } from './store.js';
import { checkPassword, hashPassword, MIN_LENGTH } from './passwords.js';
import { throttleFor } from './flow.js';
import { fmtDateTime, tr } from './strings.js';
import type { Settings } from './settings.js';

/** What the store keeps under a reset token's hash: the account, and its password date when the link was made. */
interface ResetGrant {
  accountId: number;
  changedAt: number;
}

const key = (ctx: Ctx, token: string) => `auth-local:${ctx.institution.id}:reset:${tokenHash(token)}`;

/**
 * The account a reset link is for, or null. A link dies when used (taken from the store), when it
 * expires (the store forgets it), and when the password changes by any other way (the date differs).
 */
async function grantOf(ctx: Ctx, token: string): Promise<{ grant: ResetGrant; account: Account } | null> {
  if (!isToken(token)) return null;
  const raw = await ctx.resolve(coreServices.kv).get(key(ctx, token));
  if (!raw) return null;
  let grant: ResetGrant;
  try {
    grant = JSON.parse(raw) as ResetGrant;
  } catch {
    return null;
  }
  const account = typeof grant.accountId === 'number' ? await store.account(ctx.db, grant.accountId) : null;
  if (!account || account.passwordChangedAt.getTime() !== grant.changedAt) return null;
  return { grant, account };
}

const invalid = (ctx: Ctx) =>
  renderWithStatus(ctx, 410, 'auth-local/link-invalid', { title: ctx.t('auth-local:reset.title'), message: ctx.t('auth-local:reset.invalid'), signIn: false, forgot: true });

/** `/local/forgot` (ask for a link) and `/local/reset?token=…` (choose a new password). */
export function registerReset(r: RegisterApi<Settings>): void {
  const s = r.settings;

  r.route({
    method: 'GET',
    path: '/local/forgot',
    public: true,
    handler: (ctx) => ctx.render('auth-local/forgot', { title: ctx.t('auth-local:forgot.title'), email: '', error: null, minutes: s.resetMinutes }),
  });

  r.route({
    method: 'POST',
    path: '/local/forgot',
    public: true,
    async handler(ctx) {
      const typed = field(ctx.body, 'email');
      const email = normaliseEmail(typed);
      if (!email) {
        return renderWithStatus(ctx, 422, 'auth-local/forgot', { title: ctx.t('auth-local:forgot.title'), email: typed, error: ctx.t('auth-local:signIn.errors.badEmail'), minutes: s.resetMinutes });
      }
      const account = await store.accountByEmail(ctx.db, email);
      const allowed = await throttleFor(ctx, s).resetMailAllowed(email);
      const audit = ctx.resolve(coreServices.audit);
      if (account && allowed) {
        const token = newToken();
        const grant: ResetGrant = { accountId: account.id, changedAt: account.passwordChangedAt.getTime() };
        await ctx.resolve(coreServices.kv).set(key(ctx, token), JSON.stringify(grant), s.resetMinutes * 60_000);
        const lang = ctx.language;
        const until = new Date(Date.now() + s.resetMinutes * 60_000);
        await ctx.resolve(coreServices.mailer).queue({
          institutionId: ctx.institution.id, to: account.email,
          subject: tr(lang, 'mail.reset.subject', { institution: lang === 'fr' ? ctx.institution.nameFr : ctx.institution.nameEn }),
          text: tr(lang, 'mail.reset.body', { link: `${mailOrigin(ctx)}/local/reset?token=${token}`, minutes: s.resetMinutes, until: fmtDateTime(lang, until) }),
          tag: `auth-local.reset:${account.id}`,
        });
      }
      // the same answer, and one audit row, whether or not the address has an account
      await audit.record(ctx, {
        action: 'auth-local.password.reset-requested', outcome: account && allowed ? 'success' : 'failure',
        targetType: account ? 'auth-local.account' : undefined, targetId: account?.id ?? null,
        detail: { email, known: !!account, ...(allowed ? {} : { throttled: true }) },
      });
      ctx.flash('info', ctx.t('auth-local:forgot.sent', { email, minutes: s.resetMinutes }));
      seeOther(ctx, '/local/sign-in');
    },
  });

  r.route({
    method: 'GET',
    path: '/local/reset',
    public: true,
    async handler(ctx) {
      secretPage(ctx);
      const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
      const found = await grantOf(ctx, token);
      if (!found) return invalid(ctx);
      await ctx.render('auth-local/reset', { title: ctx.t('auth-local:reset.title'), token, email: found.account.email, minLength: MIN_LENGTH, errors: {} });
    },
  });

  r.route({
    method: 'POST',
    path: '/local/reset',
    public: true,
    async handler(ctx) {
      secretPage(ctx);
      const token = field(ctx.body, 'token');
      const found = await grantOf(ctx, token);
      if (!found) return invalid(ctx);
      const { account } = found;
      const password = field(ctx.body, 'password', true);
      const problems = checkPassword(password, field(ctx.body, 'confirm', true), account.email);
      if (problems.length) {
        const pw = problems.filter((p) => p !== 'mismatch');
        const errors = {
          password: pw.length ? pw.map((p) => ctx.t(`auth-local:password.errors.${p}`, { min: MIN_LENGTH })).join(' ') : undefined,
          confirm: problems.includes('mismatch') ? ctx.t('auth-local:password.errors.mismatch') : undefined,
        };
        return renderWithStatus(ctx, 422, 'auth-local/reset', { title: ctx.t('auth-local:reset.title'), token, email: account.email, minLength: MIN_LENGTH, errors });
      }
      const passwordHash = await hashPassword(password, s.scrypt);
      // single use: of two tabs sending the same link, only one takes it
      if ((await ctx.resolve(coreServices.kv).take(key(ctx, token))) === null) return invalid(ctx);
      await store.setPassword(ctx.db, account.id, passwordHash, true);
      const ended = await ctx.resolve(coreServices.identity).signOutEverywhere(account.personId);
      // whoever locked the account by guessing, the mailbox owner gets back in
      await throttleFor(ctx, s).unlock(account.email);
      await ctx.resolve(coreServices.audit).record(ctx, {
        action: 'auth-local.password.reset', targetType: 'auth-local.account', targetId: account.id, detail: { email: account.email, sessionsEnded: ended },
      });
      ctx.flash('success', ctx.t('auth-local:reset.done'));
      seeOther(ctx, '/local/sign-in');
    },
  });
}
