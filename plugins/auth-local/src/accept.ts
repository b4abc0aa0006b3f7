import { coreServices } from '@smile/sdk';
import type { Knex } from 'knex';
import type { AuditActor, RegisterApi } from '@smile/sdk';
import { field, isToken, renderWithStatus, secretPage, tokenHash, type Ctx } from './http.js';
import { store, statusOf, type Account, type Invitation } from './store.js';
import { checkPassword, hashPassword, MIN_LENGTH } from './passwords.js';
import { externalRoles } from './invitations.js';
import { localIdentity, proceed, PROVIDER } from './flow.js';
import type { Settings } from './settings.js';

/** Why a link does not open a form: each has its own explanation. */
type Refusal = 'invalid' | 'expired' | 'accepted' | 'revoked' | 'rolesChanged';

async function refuse(ctx: Ctx, reason: Refusal): Promise<void> {
  await renderWithStatus(ctx, reason === 'invalid' ? 404 : 410, 'auth-local/link-invalid', {
    title: ctx.t('auth-local:accept.title'), message: ctx.t(`auth-local:accept.refused.${reason}`), signIn: reason === 'accepted',
  });
}

/** The invitation a link's token opens, or why it does not. */
async function open(ctx: Ctx, token: string): Promise<Invitation | Refusal> {
  if (!isToken(token)) return 'invalid';
  const inv = await store.invitationByHash(ctx.db, tokenHash(token));
  if (!inv) return 'invalid';
  const status = statusOf(inv);
  return status === 'pending' ? inv : status;
}

interface FormLocals {
  token: string;
  invitation: Invitation;
  displayName: string;
  errors: Partial<Record<'displayName' | 'password' | 'confirm', string>>;
}

const showForm = (ctx: Ctx, status: number, l: FormLocals) =>
  renderWithStatus(ctx, status, 'auth-local/accept', { title: ctx.t('auth-local:accept.title'), minLength: MIN_LENGTH, ...l });

/** `/local/accept?token=…`: the guest chooses a password; person, identity, account and roles are created at once. */
export function registerAccept(r: RegisterApi<Settings>): void {
  const s = r.settings;

  r.route({
    method: 'GET',
    path: '/local/accept',
    public: true,
    async handler(ctx) {
      secretPage(ctx);
      const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
      const inv = await open(ctx, token);
      if (typeof inv === 'string') return refuse(ctx, inv);
      await showForm(ctx, 200, { token, invitation: inv, displayName: inv.displayName ?? '', errors: {} });
    },
  });

  r.route({
    method: 'POST',
    path: '/local/accept',
    public: true,
    async handler(ctx) {
      secretPage(ctx);
      const token = field(ctx.body, 'token');
      const inv = await open(ctx, token);
      if (typeof inv === 'string') return refuse(ctx, inv);

      const displayName = field(ctx.body, 'displayName').replace(/\s+/g, ' ');
      const password = field(ctx.body, 'password', true);
      const confirm = field(ctx.body, 'confirm', true);
      const errors: FormLocals['errors'] = {};
      if (!displayName) errors.displayName = ctx.t('auth-local:accept.errors.name');
      else if (displayName.length > 300) errors.displayName = ctx.t('auth-local:accept.errors.nameTooLong', { max: 300 });
      const problems = checkPassword(password, confirm, inv.email);
      const pw = problems.filter((p) => p !== 'mismatch');
      if (pw.length) errors.password = pw.map((p) => ctx.t(`auth-local:password.errors.${p}`, { min: MIN_LENGTH })).join(' ');
      if (problems.includes('mismatch')) errors.confirm = ctx.t('auth-local:password.errors.mismatch');
      if (Object.keys(errors).length) return showForm(ctx, 422, { token, invitation: inv, displayName, errors });

      // a role may have been closed to outsiders since the invitation was sent
      const external = new Set((await externalRoles(ctx)).map((x) => x.key));
      if (inv.roles.some((k) => !external.has(k))) return refuse(ctx, 'rolesChanged');

      // hashed before the transaction: it takes a while, and the embedded database has one connection
      const passwordHash = await hashPassword(password, s.scrypt);
      const identity = ctx.resolve(coreServices.identity);
      const roles = ctx.resolve(coreServices.roles);
      const audit = ctx.resolve(coreServices.audit);
      // the roles were chosen by the inviter: the assignments are theirs
      const actor: AuditActor = {
        institutionId: ctx.institution.id, personId: inv.invitedBy, label: `${inv.invitedByLabel} (invitation ${inv.id})`.slice(0, 300),
        ip: ctx.koa.ip || null, requestId: ctx.requestId,
      };
      const account = await ctx.db.transaction(async (tdb): Promise<Account | Refusal> => {
        const trx = tdb.knex as Knex.Transaction;
        // locked: two tabs posting the same link cannot both create an account
        const current = await store.invitationByHash(tdb, tokenHash(token), true);
        if (!current || statusOf(current) !== 'pending') return current ? (statusOf(current) as Refusal) : 'invalid';
        if (await store.accountByEmail(tdb, current.email)) return 'accepted';
        const person = await identity.createPerson({ displayName, email: current.email }, { trx });
        const created = await store.createAccount(tdb, { personId: person.id, email: current.email, passwordHash, invitationId: current.id });
        const id = localIdentity(ctx, created);
        await identity.linkIdentity(person.id, { provider: id.provider, issuer: id.issuer, subject: id.subject }, { trx });
        for (const role of current.roles) await roles.assign(actor, person.id, role, current.components, { trx });
        await store.acceptInvitation(tdb, current.id, created.id);
        await audit.record(ctx, {
          action: 'auth-local.invitation.accepted', targetType: 'auth-local.invitation', targetId: current.id,
          detail: { email: current.email, accountId: created.id, personId: person.id, roles: current.roles, components: current.components, provider: PROVIDER },
        }, { trx });
        return created;
      });
      if (typeof account === 'string') return refuse(ctx, account);
      await proceed(ctx, s, account, '/local/account', ctx.t('auth-local:accept.welcome', { name: displayName }));
    },
  });
}
