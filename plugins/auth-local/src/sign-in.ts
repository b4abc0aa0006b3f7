import { coreServices } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { field, normaliseEmail, renderWithStatus, seeOther, type Ctx } from './http.js';
import { clearPending, completeSignIn, getPending, proceed, PROVIDER, throttleFor, upgradeHash } from './flow.js';
import { hashPassword, needsRehash, verifyPassword, MAX_LENGTH } from './passwords.js';
import { store } from './store.js';
import { checkTotp } from './totp.js';
import { fmtDateTime } from './strings.js';
import type { Settings } from './settings.js';


/** A hash of a random password with today's parameters: unknown addresses are checked against it, so they cost the same work. */
let decoy: Promise<string> | null = null;
let decoyParams = '';
function decoyHash(s: Settings): Promise<string> {
  const key = JSON.stringify(s.scrypt);
  if (!decoy || decoyParams !== key) {
    decoyParams = key;
    decoy = hashPassword(`decoy-${Math.random()}-${Date.now()}`, s.scrypt);
  }
  return decoy;
}

interface FormState {
  email: string;
  error?: string | null;
  fieldErrors?: { email?: string; password?: string };
}

const showForm = (ctx: Ctx, status: number, st: FormState) =>
  renderWithStatus(ctx, status, 'auth-local/sign-in', { title: ctx.t('auth-local:signIn.title'), email: st.email, error: st.error ?? null, fieldErrors: st.fieldErrors ?? {} });

const showCode = (ctx: Ctx, status: number, error: string | null) =>
  renderWithStatus(ctx, status, 'auth-local/sign-in-code', { title: ctx.t('auth-local:code.title'), error });

function locked(ctx: Ctx, until: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  ctx.koa.set('Retry-After', String(minutes * 60));
  return ctx.t('auth-local:signIn.errors.locked', { time: fmtDateTime(ctx.language, until), minutes });
}

/** Audit, once per window, that a network reached its limit of failed sign-ins. */
const ipLimited = (ctx: Ctx, s: Settings, ip: string) =>
  ctx.resolve(coreServices.audit).record(ctx, { action: 'auth-local.ip.limited', outcome: 'failure', detail: { ip, failures: s.ipMaxFailures, minutes: s.ipWindowMinutes } });

/** `/local/sign-in` (email + password) and `/local/sign-in/code` (the TOTP step). */
export function registerSignIn(r: RegisterApi<Settings>): void {
  const s = r.settings;

  r.nav({ href: '/local/sign-in', area: 'signin', label: { fr: 'Compte invité (e-mail et mot de passe)', en: 'Guest account (email and password)' } });

  r.route({
    method: 'GET',
    path: '/local/sign-in',
    public: true,
    async handler(ctx) {
      await showForm(ctx, 200, { email: '' });
    },
  });

  r.route({
    method: 'POST',
    path: '/local/sign-in',
    public: true,
    async handler(ctx) {
      const typed = field(ctx.body, 'email');
      const password = field(ctx.body, 'password', true);
      const email = normaliseEmail(typed);
      if (!typed || !password) {
        const fieldErrors = { email: typed ? undefined : ctx.t('auth-local:signIn.errors.noEmail'), password: password ? undefined : ctx.t('auth-local:signIn.errors.noPassword') };
        return showForm(ctx, 422, { email: typed, fieldErrors });
      }
      if (!email) return showForm(ctx, 422, { email: typed, fieldErrors: { email: ctx.t('auth-local:signIn.errors.badEmail') } });
      clearPending(ctx);

      const th = throttleFor(ctx, s);
      const ip = ctx.koa.ip || 'unknown';
      if (await th.ipBlocked(ip)) {
        ctx.koa.set('Retry-After', String(s.ipWindowMinutes * 60));
        return showForm(ctx, 429, { email: typed, error: ctx.t('auth-local:signIn.errors.ipLimited', { minutes: s.ipWindowMinutes }) });
      }
      const identity = ctx.resolve(coreServices.identity);
      const audit = ctx.resolve(coreServices.audit);
      const account = await store.accountByEmail(ctx.db, email);
      const until = await th.lockedUntil(email);
      if (until) {
        // the password is not even checked: while locked, a right guess looks like a wrong one;
        // the attempt still counts against the network, which bounds these audit rows too
        if (await th.ipFailure(ip)) await ipLimited(ctx, s, ip);
        await identity.signInFailed(ctx, { provider: PROVIDER, reason: 'locked', subject: account ? String(account.id) : undefined, detail: { email } });
        return showForm(ctx, 429, { email: typed, error: locked(ctx, until) });
      }

      // an unknown address costs the same scrypt work as a wrong password
      const ok = account ? await verifyPassword(password, account.passwordHash) : (await verifyPassword(password, await decoyHash(s)), false);
      if (!ok || !account) {
        const outcome = await th.failure(email, ip);
        await identity.signInFailed(ctx, { provider: PROVIDER, reason: account ? 'bad-password' : 'unknown-account', subject: account ? String(account.id) : undefined, detail: { email } });
        if (outcome.ipLimitReached) await ipLimited(ctx, s, ip);
        if (outcome.locked) {
          await audit.record(ctx, {
            action: 'auth-local.account.locked', outcome: 'failure', targetType: account ? 'auth-local.account' : undefined, targetId: account?.id ?? null,
            detail: { email, known: !!account, until: outcome.locked.until.toISOString(), minutes: outcome.locked.minutes },
          });
          return showForm(ctx, 429, { email: typed, error: locked(ctx, outcome.locked.until) });
        }
        return showForm(ctx, 401, { email: typed, error: ctx.t('auth-local:signIn.errors.wrong') });
      }

      await th.success(email);
      if (password.length <= MAX_LENGTH * 4 && needsRehash(account.passwordHash, s.scrypt)) await upgradeHash(ctx, account, password, s.scrypt);
      await proceed(ctx, s, account, '/', ctx.t('auth-local:signIn.welcome'));
    },
  });

  r.route({
    method: 'GET',
    path: '/local/sign-in/code',
    public: true,
    async handler(ctx) {
      if (!getPending(ctx, 'totp')) {
        ctx.flash('info', ctx.t('auth-local:code.expired'));
        return seeOther(ctx, '/local/sign-in');
      }
      await showCode(ctx, 200, null);
    },
  });

  r.route({
    method: 'POST',
    path: '/local/sign-in/code',
    public: true,
    async handler(ctx) {
      const pending = getPending(ctx, 'totp');
      const account = pending ? await store.account(ctx.db, pending.accountId) : null;
      if (!pending || !account?.totpSecret) {
        clearPending(ctx);
        ctx.flash('info', ctx.t('auth-local:code.expired'));
        return seeOther(ctx, '/local/sign-in');
      }
      const code = field(ctx.body, 'code');
      if (!code) return showCode(ctx, 422, ctx.t('auth-local:code.errors.missing'));
      const th = throttleFor(ctx, s);
      const identity = ctx.resolve(coreServices.identity);
      const until = await th.lockedUntil(account.email);
      if (until) {
        clearPending(ctx);
        await identity.signInFailed(ctx, { provider: PROVIDER, reason: 'locked', subject: String(account.id), detail: { email: account.email } });
        ctx.flash('error', locked(ctx, until));
        return seeOther(ctx, '/local/sign-in');
      }
      const result = await checkTotp(ctx.resolve(coreServices.kv), `${ctx.institution.id}:${account.id}`, account.totpSecret, code);
      if (result !== 'ok') {
        const outcome = await th.failure(account.email, ctx.koa.ip || 'unknown');
        await identity.signInFailed(ctx, { provider: PROVIDER, reason: 'bad-totp', subject: String(account.id), detail: { email: account.email, replayed: result === 'replayed' } });
        if (outcome.locked) {
          clearPending(ctx);
          await ctx.resolve(coreServices.audit).record(ctx, {
            action: 'auth-local.account.locked', outcome: 'failure', targetType: 'auth-local.account', targetId: account.id,
            detail: { email: account.email, known: true, until: outcome.locked.until.toISOString(), minutes: outcome.locked.minutes },
          });
          ctx.flash('error', locked(ctx, outcome.locked.until));
          return seeOther(ctx, '/local/sign-in');
        }
        return showCode(ctx, 401, ctx.t(result === 'replayed' ? 'auth-local:code.errors.replayed' : 'auth-local:code.errors.wrong'));
      }
      await th.success(account.email);
      await completeSignIn(ctx, account);
      ctx.flash('success', ctx.t('auth-local:signIn.welcome'));
      seeOther(ctx, '/');
    },
  });
}
