import { coreServices } from '@smile/sdk';
import type { SignInIdentity } from '@smile/sdk';
import { seeOther, type Ctx } from './http.js';
import { store, type Account } from './store.js';
import { Throttle } from './throttle.js';
import { hashPassword, type ScryptParams } from './passwords.js';
import type { Settings } from './settings.js';

export const PROVIDER = 'auth-local';
/** Minutes a half-done sign-in (password given, code awaited) stays usable. */
const PENDING_MINUTES = { totp: 5, setup: 15 } as const;
const PENDING_KEY = 'authLocalPending';

/** A sign-in that passed the password and waits for a TOTP code, or for the TOTP set-up its roles require. */
export interface Pending {
  step: 'totp' | 'setup';
  accountId: number;
  until: number;
}

/** The identity a local account asserts: issuer `local:<institution code>`, subject the account id. */
export function localIdentity(ctx: Ctx, account: Account, displayName?: string): SignInIdentity {
  return {
    provider: PROVIDER, issuer: `local:${ctx.institution.code}`, subject: String(account.id),
    attributes: { mail: [account.email] }, email: account.email, ...(displayName ? { displayName } : {}),
  };
}

export const throttleFor = (ctx: Ctx, s: Settings): Throttle => new Throttle(ctx.resolve(coreServices.kv), s, ctx.institution.id);

/** Remember, in the (pre-sign-in) session, that the password was right and what remains to do. */
export function setPending(ctx: Ctx, step: Pending['step'], accountId: number): void {
  ctx.session.set(PENDING_KEY, { step, accountId, until: Date.now() + PENDING_MINUTES[step] * 60_000 } satisfies Pending);
}

export function clearPending(ctx: Ctx): void {
  if (ctx.session.get(PENDING_KEY) !== undefined) ctx.session.set(PENDING_KEY, undefined);
}

/** The pending sign-in of this browser, if still fresh. */
export function getPending(ctx: Ctx, step?: Pending['step']): Pending | null {
  const p = ctx.session.get<Pending>(PENDING_KEY);
  if (!p || typeof p.accountId !== 'number' || typeof p.until !== 'number' || p.until < Date.now()) return null;
  if (step && p.step !== step) return null;
  return p;
}

/** Do the roles this person holds (given, or from the rules) require a second factor? */
export async function totpRequired(ctx: Ctx, s: Settings, account: Account): Promise<boolean> {
  const required = new Set(s.totpRequiredRoles);
  if (required.size === 0) return false;
  const roles = ctx.resolve(coreServices.roles);
  const given = await roles.assignments(ctx.institution.id, account.personId);
  if (given.some((a) => required.has(a.role))) return true;
  const byRules = await roles.previewRules(ctx.institution.id, { mail: [account.email] });
  return byRules.some((r) => required.has(r.role));
}

/** Start the signed-in session (the core audits the sign-in) and note it on the account. */
export async function completeSignIn(ctx: Ctx, account: Account): Promise<void> {
  const identity = ctx.resolve(coreServices.identity);
  const person = await identity.person(account.personId);
  clearPending(ctx);
  await identity.signIn(ctx, localIdentity(ctx, account, person?.displayName), { personId: account.personId });
  await store.signedIn(ctx.db, account.id);
}

/**
 * The password (or an accepted invitation) proved who this is: ask for the code, send to the
 * set-up its roles require, or sign in and go to `landing`.
 */
export async function proceed(ctx: Ctx, s: Settings, account: Account, landing: string, welcome: string): Promise<void> {
  if (account.totpSecret) {
    setPending(ctx, 'totp', account.id);
    return seeOther(ctx, '/local/sign-in/code');
  }
  if (await totpRequired(ctx, s, account)) {
    setPending(ctx, 'setup', account.id);
    ctx.flash('info', ctx.t('auth-local:totp.requiredFirst'));
    return seeOther(ctx, '/local/totp/setup');
  }
  await completeSignIn(ctx, account);
  ctx.flash('success', welcome);
  seeOther(ctx, landing);
}

/** Re-hash with today's parameters after a successful sign-in, when the stored hash is weaker. */
export async function upgradeHash(ctx: Ctx, account: Account, password: string, params: ScryptParams): Promise<void> {
  await store.setPassword(ctx.db, account.id, await hashPassword(password, params), false);
}
