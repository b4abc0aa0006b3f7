import { coreServices } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { field, institutionName, renderWithStatus, seeOther, type Ctx } from './http.js';
import { store, type Account } from './store.js';
import { checkPassword, hashPassword, MIN_LENGTH, verifyPassword } from './passwords.js';
import { completeSignIn, getPending, localIdentity, throttleFor, totpRequired } from './flow.js';
import { checkTotp, groupSecret, newTotpSecret, qrSvg, totpUri } from './totp.js';
import { fmtDateTime } from './strings.js';
import type { Settings } from './settings.js';

const SETUP_KEY = 'authLocalTotpSetup';
const SETUP_MINUTES = 15;

/** The local account of the signed-in person in this institution, or null. */
async function signedInAccount(ctx: Ctx): Promise<Account | null> {
  if (ctx.principal.kind !== 'user' || !ctx.principal.personId) return null;
  return store.accountOfPerson(ctx.db, ctx.principal.personId);
}

type AccountErrors = Partial<Record<'current' | 'password' | 'confirm' | 'disableCode', string>>;

async function accountPage(ctx: Ctx, s: Settings, account: Account, status = 200, errors: AccountErrors = {}): Promise<void> {
  const rolesSvc = ctx.resolve(coreServices.roles);
  const [person, all, given] = await Promise.all([
    ctx.resolve(coreServices.identity).person(account.personId), rolesSvc.list(ctx.institution.id), rolesSvc.assignments(ctx.institution.id, account.personId),
  ]);
  const names = new Map(all.map((r) => [r.key, r.name[ctx.language]]));
  await renderWithStatus(ctx, status, 'auth-local/account', {
    title: ctx.t('auth-local:account.title'), account, displayName: person?.displayName ?? account.email, institutionName: institutionName(ctx),
    roles: given.map((a) => ({ name: names.get(a.role) ?? a.role, components: a.components })),
    totpRequired: await totpRequired(ctx, s, account), minLength: MIN_LENGTH, errors,
    fmt: (d: Date) => fmtDateTime(ctx.language, d),
  });
}

/** Who is setting up TOTP: a signed-in local user, or someone whose roles require it before their first session. */
async function setupAccount(ctx: Ctx): Promise<{ account: Account; pending: boolean } | null> {
  const signedIn = await signedInAccount(ctx);
  if (signedIn) return { account: signedIn, pending: false };
  const p = getPending(ctx, 'setup');
  const account = p ? await store.account(ctx.db, p.accountId) : null;
  return account ? { account, pending: true } : null;
}

interface SetupState {
  accountId: number;
  secret: string;
  until: number;
}

/** The secret being set up: kept in the server-side session so that reloading the page shows the same QR code. */
function setupSecret(ctx: Ctx, account: Account): string {
  const cur = ctx.session.get<SetupState>(SETUP_KEY);
  if (cur && cur.accountId === account.id && cur.until > Date.now() && typeof cur.secret === 'string') return cur.secret;
  const secret = newTotpSecret();
  ctx.session.set(SETUP_KEY, { accountId: account.id, secret, until: Date.now() + SETUP_MINUTES * 60_000 } satisfies SetupState);
  return secret;
}

async function setupPage(ctx: Ctx, s: Settings, account: Account, pending: boolean, status = 200, error: string | null = null): Promise<void> {
  const secret = setupSecret(ctx, account);
  const issuer = s.totpIssuer ?? institutionName(ctx);
  const uri = totpUri(secret, issuer, account.email);
  await renderWithStatus(ctx, status, 'auth-local/totp-setup', {
    title: ctx.t('auth-local:totp.setupTitle'), qr: await qrSvg(uri, ctx.t('auth-local:totp.qrLabel')), secret: groupSecret(secret),
    issuer, email: account.email, pending, error,
  });
}

/** Send anonymous visitors to the sign-in page; tell people signed in another way that this page is not for them. */
async function needLocal(ctx: Ctx): Promise<void> {
  if (ctx.principal.kind === 'user') {
    return renderWithStatus(ctx, 404, 'auth-local/not-local', { title: ctx.t('auth-local:account.title') });
  }
  ctx.flash('info', ctx.t('auth-local:account.signInFirst'));
  seeOther(ctx, '/local/sign-in');
}

/** `/local/account`: change the password, enable or disable the second factor. */
export function registerAccount(r: RegisterApi<Settings>): void {
  const s = r.settings;

  // public, and checked here: the page is for people signed in with a local account, whatever their roles
  r.route({
    method: 'GET',
    path: '/local/account',
    public: true,
    async handler(ctx) {
      const account = await signedInAccount(ctx);
      if (!account) return needLocal(ctx);
      await accountPage(ctx, s, account);
    },
  });

  r.route({
    method: 'POST',
    path: '/local/account/password',
    public: true,
    async handler(ctx) {
      const account = await signedInAccount(ctx);
      if (!account) return needLocal(ctx);
      const current = field(ctx.body, 'current', true);
      const password = field(ctx.body, 'password', true);
      const errors: AccountErrors = {};
      const th = throttleFor(ctx, s);
      if (await th.lockedUntil(account.email)) errors.current = ctx.t('auth-local:account.errors.locked');
      else if (!current || !(await verifyPassword(current, account.passwordHash))) {
        // someone at an unattended screen must not be able to try passwords forever
        await th.failure(account.email, ctx.koa.ip || 'unknown');
        errors.current = ctx.t('auth-local:account.errors.current');
      }
      const problems = checkPassword(password, field(ctx.body, 'confirm', true), account.email);
      const pw = problems.filter((p) => p !== 'mismatch');
      if (pw.length) errors.password = pw.map((p) => ctx.t(`auth-local:password.errors.${p}`, { min: MIN_LENGTH })).join(' ');
      if (problems.includes('mismatch')) errors.confirm = ctx.t('auth-local:password.errors.mismatch');
      if (!errors.password && current && current === password) errors.password = ctx.t('auth-local:account.errors.same');
      if (Object.keys(errors).length) return accountPage(ctx, s, account, 422, errors);

      await store.setPassword(ctx.db, account.id, await hashPassword(password, s.scrypt), true);
      // other devices signed in with the old password are signed out; this one gets a fresh session
      const identity = ctx.resolve(coreServices.identity);
      const ended = await identity.signOutEverywhere(account.personId);
      const person = await identity.person(account.personId);
      await identity.signIn(ctx, localIdentity(ctx, account, person?.displayName), { personId: account.personId });
      await ctx.resolve(coreServices.audit).record(ctx, {
        action: 'auth-local.password.changed', targetType: 'auth-local.account', targetId: account.id, detail: { email: account.email, sessionsEnded: ended },
      });
      ctx.flash('success', ctx.t('auth-local:account.passwordChanged'));
      seeOther(ctx, '/local/account');
    },
  });

  r.route({
    method: 'GET',
    path: '/local/totp/setup',
    public: true,
    async handler(ctx) {
      ctx.koa.set('Cache-Control', 'no-store');
      const who = await setupAccount(ctx);
      if (!who) return needLocal(ctx);
      if (who.account.totpSecret) {
        ctx.flash('info', ctx.t('auth-local:totp.alreadyOn'));
        return seeOther(ctx, '/local/account');
      }
      await setupPage(ctx, s, who.account, who.pending);
    },
  });

  r.route({
    method: 'POST',
    path: '/local/totp/setup',
    public: true,
    async handler(ctx) {
      ctx.koa.set('Cache-Control', 'no-store');
      const who = await setupAccount(ctx);
      if (!who) return needLocal(ctx);
      const { account, pending } = who;
      if (account.totpSecret) return seeOther(ctx, '/local/account');
      const state = ctx.session.get<SetupState>(SETUP_KEY);
      if (!state || state.accountId !== account.id || state.until < Date.now()) {
        return setupPage(ctx, s, account, pending, 422, ctx.t('auth-local:totp.errors.setupExpired'));
      }
      const code = field(ctx.body, 'code');
      const result = code ? await checkTotp(ctx.resolve(coreServices.kv), `${ctx.institution.id}:${account.id}`, state.secret, code) : 'bad';
      if (result !== 'ok') {
        return setupPage(ctx, s, account, pending, 422, ctx.t(code ? (result === 'replayed' ? 'auth-local:code.errors.replayed' : 'auth-local:totp.errors.wrong') : 'auth-local:code.errors.missing'));
      }
      await store.setTotp(ctx.db, account.id, state.secret);
      ctx.session.set(SETUP_KEY, undefined);
      await ctx.resolve(coreServices.audit).record(ctx, { action: 'auth-local.totp.enabled', targetType: 'auth-local.account', targetId: account.id, detail: { email: account.email } });
      if (pending) {
        await completeSignIn(ctx, { ...account, totpSecret: state.secret });
        ctx.flash('success', ctx.t('auth-local:totp.enabledWelcome'));
        return seeOther(ctx, '/');
      }
      ctx.flash('success', ctx.t('auth-local:totp.enabled'));
      seeOther(ctx, '/local/account');
    },
  });

  r.route({
    method: 'POST',
    path: '/local/totp/disable',
    public: true,
    async handler(ctx) {
      const account = await signedInAccount(ctx);
      if (!account) return needLocal(ctx);
      if (!account.totpSecret) return seeOther(ctx, '/local/account');
      if (await totpRequired(ctx, s, account)) return accountPage(ctx, s, account, 422, { disableCode: ctx.t('auth-local:totp.errors.required') });
      const code = field(ctx.body, 'code');
      const result = code ? await checkTotp(ctx.resolve(coreServices.kv), `${ctx.institution.id}:${account.id}`, account.totpSecret, code) : 'bad';
      if (result !== 'ok') {
        if (code) await throttleFor(ctx, s).failure(account.email, ctx.koa.ip || 'unknown');
        return accountPage(ctx, s, account, 422, { disableCode: ctx.t(code ? (result === 'replayed' ? 'auth-local:code.errors.replayed' : 'auth-local:totp.errors.wrong') : 'auth-local:code.errors.missing') });
      }
      await store.setTotp(ctx.db, account.id, null);
      await ctx.resolve(coreServices.audit).record(ctx, { action: 'auth-local.totp.disabled', targetType: 'auth-local.account', targetId: account.id, detail: { email: account.email } });
      ctx.flash('success', ctx.t('auth-local:totp.disabled'));
      seeOther(ctx, '/local/account');
    },
  });
}
