import type { TenantDb } from '@smile/sdk';

/** A local account as stored. */
export interface Account {
  id: number;
  personId: number;
  email: string;
  passwordHash: string;
  passwordChangedAt: Date;
  totpSecret: string | null;
  totpEnabledAt: Date | null;
  createdAt: Date;
  lastSignInAt: Date | null;
}

/** An invitation as stored (never the token: only its hash is kept). */
export interface Invitation {
  id: number;
  email: string;
  displayName: string | null;
  roles: string[];
  components: string[];
  expiresAt: Date;
  invitedBy: number | null;
  invitedByLabel: string;
  createdAt: Date;
  lastSentAt: Date;
  sendCount: number;
  acceptedAt: Date | null;
  accountId: number | null;
  revokedAt: Date | null;
}

export type InvitationStatus = 'pending' | 'accepted' | 'expired' | 'revoked';

export const ACCOUNTS = 'auth_local_accounts';
export const INVITATIONS = 'auth_local_invitations';

const toAccount = (r: any): Account => ({
  id: r.id, personId: r.person_id, email: r.email, passwordHash: r.password_hash, passwordChangedAt: new Date(r.password_changed_at),
  totpSecret: r.totp_secret ?? null, totpEnabledAt: r.totp_enabled_at ? new Date(r.totp_enabled_at) : null,
  createdAt: new Date(r.created_at), lastSignInAt: r.last_sign_in_at ? new Date(r.last_sign_in_at) : null,
});

const toInvitation = (r: any): Invitation => ({
  id: r.id, email: r.email, displayName: r.display_name ?? null, roles: r.roles ?? [], components: r.components ?? [],
  expiresAt: new Date(r.expires_at), invitedBy: r.invited_by ?? null, invitedByLabel: r.invited_by_label, createdAt: new Date(r.created_at),
  lastSentAt: new Date(r.last_sent_at), sendCount: r.send_count, acceptedAt: r.accepted_at ? new Date(r.accepted_at) : null,
  accountId: r.account_id ?? null, revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
});

/** Where an invitation stands now. */
export function statusOf(i: Invitation, now = Date.now()): InvitationStatus {
  if (i.acceptedAt) return 'accepted';
  if (i.revokedAt) return 'revoked';
  return i.expiresAt.getTime() <= now ? 'expired' : 'pending';
}

/** Reads and writes accounts and invitations. Every method takes the tenant handle it works on. */
export const store = {
  async accountByEmail(db: TenantDb, email: string): Promise<Account | null> {
    const r = await db.table(ACCOUNTS).where({ email }).first();
    return r ? toAccount(r) : null;
  },
  async account(db: TenantDb, id: number): Promise<Account | null> {
    const r = await db.table(ACCOUNTS).where({ id }).first();
    return r ? toAccount(r) : null;
  },
  async accountOfPerson(db: TenantDb, personId: number): Promise<Account | null> {
    const r = await db.table(ACCOUNTS).where({ person_id: personId }).orderBy('id').first();
    return r ? toAccount(r) : null;
  },
  async accounts(db: TenantDb): Promise<Array<Account & { displayName: string }>> {
    const rows = await db.table(ACCOUNTS)
      .join('persons', 'persons.id', `${ACCOUNTS}.person_id`)
      .select(`${ACCOUNTS}.*`, 'persons.display_name')
      .orderBy(`${ACCOUNTS}.email`);
    return rows.map((r: any) => ({ ...toAccount(r), displayName: r.display_name }));
  },
  async createAccount(db: TenantDb, a: { personId: number; email: string; passwordHash: string; invitationId: number | null }): Promise<Account> {
    const [r] = await db.insert(ACCOUNTS, { person_id: a.personId, email: a.email, password_hash: a.passwordHash, invitation_id: a.invitationId });
    return toAccount(r);
  },
  async setPassword(db: TenantDb, id: number, passwordHash: string, changed: boolean): Promise<void> {
    // a re-hash with stronger parameters is not a password change: reset links stay valid
    await db.table(ACCOUNTS).where({ id }).update({ password_hash: passwordHash, ...(changed ? { password_changed_at: db.knex.fn.now() } : {}) });
  },
  async setTotp(db: TenantDb, id: number, secret: string | null): Promise<void> {
    await db.table(ACCOUNTS).where({ id }).update({ totp_secret: secret, totp_enabled_at: secret ? db.knex.fn.now() : null });
  },
  async signedIn(db: TenantDb, id: number): Promise<void> {
    await db.table(ACCOUNTS).where({ id }).update({ last_sign_in_at: db.knex.fn.now() });
  },

  async invitations(db: TenantDb): Promise<Invitation[]> {
    return (await db.table(INVITATIONS).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500)).map(toInvitation);
  },
  async invitation(db: TenantDb, id: number): Promise<Invitation | null> {
    const r = await db.table(INVITATIONS).where({ id }).first();
    return r ? toInvitation(r) : null;
  },
  /** The invitation a link's token hash names; `lock` takes a row lock (inside a transaction). */
  async invitationByHash(db: TenantDb, hash: string, lock = false): Promise<Invitation | null> {
    const q = db.table(INVITATIONS).where({ token_hash: hash }).first();
    if (lock) q.forUpdate();
    const r = await q;
    return r ? toInvitation(r) : null;
  },
  async pendingInvitationFor(db: TenantDb, email: string): Promise<Invitation | null> {
    const r = await db.table(INVITATIONS).where({ email }).whereNull('accepted_at').whereNull('revoked_at').where('expires_at', '>', db.knex.fn.now()).first();
    return r ? toInvitation(r) : null;
  },
  async createInvitation(db: TenantDb, i: { email: string; displayName: string | null; roles: string[]; components: string[]; tokenHash: string; expiresAt: Date; invitedBy: number | null; invitedByLabel: string }): Promise<Invitation> {
    const [r] = await db.insert(INVITATIONS, {
      email: i.email, display_name: i.displayName, roles: i.roles, components: i.components, token_hash: i.tokenHash, expires_at: i.expiresAt,
      invited_by: i.invitedBy, invited_by_label: i.invitedByLabel.slice(0, 300),
    });
    return toInvitation(r);
  },
  /** A new link (the old one stops working) and a new expiry. */
  async renewInvitation(db: TenantDb, id: number, tokenHash: string, expiresAt: Date): Promise<void> {
    await db.table(INVITATIONS).where({ id }).update({ token_hash: tokenHash, expires_at: expiresAt, last_sent_at: db.knex.fn.now(), send_count: db.knex.raw('send_count + 1') });
  },
  async revokeInvitation(db: TenantDb, id: number): Promise<void> {
    await db.table(INVITATIONS).where({ id }).update({ revoked_at: db.knex.fn.now() });
  },
  async acceptInvitation(db: TenantDb, id: number, accountId: number): Promise<void> {
    await db.table(INVITATIONS).where({ id }).update({ accepted_at: db.knex.fn.now(), account_id: accountId });
  },
};
