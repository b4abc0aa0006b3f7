/**
 * Linking a person to their file: invitations (a single-use link mailed to the nominee; only the
 * token's SHA-256 is stored), their claim by the signed-in person, and the link made at sign-in
 * when the identity carries the file's European Student Identifier. Never on an e-mail alone.
 * @packageDocumentation
 */
import { createHash, randomBytes } from 'node:crypto';
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { AuditActor, AuditLog, InstanceConfig, Institution, Roles } from '@smile/sdk';
import type { MailingService } from '@smile/plugin-mailing';
import type { Knex } from 'knex';
import { normaliseEsi } from './intake-duplicates.js';
import { publicOrigin } from '@smile/sdk';
import { languageForCountry } from './student-common.js';
import { roleLineage } from './role-lineage.js';

const DAY = 86_400_000;
/** How long an invitation link stays valid. */
export const INVITATION_DAYS = 60;
const ESI_PREFIX = 'urn:schac:personaluniquecode:int:esi:';
/** schacPersonalUniqueCode, as an IdP sends it when the attribute is not mapped to its friendly name. */
const SCHAC_PUC_OID = 'urn:oid:1.3.6.1.4.1.25178.1.2.14';

/** What the invitation functions need. */
export interface InvitationDeps {
  knex: Knex;
  audit: AuditLog;
  roles: Roles;
  mailing: () => MailingService;
  config: () => InstanceConfig;
}

/** One invitation, as the manager block shows it. */
export interface Invitation {
  id: number;
  email: string;
  language: 'fr' | 'en';
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
/** A token has the shape of ours (256 random bits, base64url): anything else is refused without a query. */
export const isToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

const toInvitation = (r: any): Invitation => ({
  id: r.id, email: r.email, language: r.language, createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at),
  usedAt: r.used_at ? new Date(r.used_at) : null, revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
});

/** The file's most recent invitation, or `null`. */
export async function latestInvitation(knex: Knex, institutionId: number, fileId: number): Promise<Invitation | null> {
  const r = await knex('mobility_invitations').where({ institution_id: institutionId, file_id: fileId }).orderBy('id', 'desc').first();
  return r ? toInvitation(r) : null;
}

/** Why an invitation cannot be sent. */
export class InvitationRefused extends SmileError {
  constructor(readonly reason: 'noEmail' | 'linked' | 'stale' | 'notFound') {
    super(reason === 'stale' ? ErrorCodes.CONFLICT : reason === 'notFound' ? ErrorCodes.NOT_FOUND : ErrorCodes.VALIDATION, `invitation refused: ${reason}`, {
      status: reason === 'stale' ? 409 : reason === 'notFound' ? 404 : 422,
    });
  }
}

/**
 * Create an invitation for a locked file row and queue its mail, inside `trx`: the row exists
 * only if the mail is queued, and the reverse. The previous live invitation is revoked first.
 */
async function issue(deps: InvitationDeps, trx: Knex.Transaction, institution: Institution, actor: AuditActor, file: any, resend: boolean): Promise<Invitation> {
  const now = new Date();
  const revoked = await trx('mobility_invitations').where({ institution_id: institution.id, file_id: file.id }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: now });
  const token = randomBytes(32).toString('base64url');
  const language: 'fr' | 'en' = file.language === 'fr' || file.language === 'en' ? file.language : languageForCountry(file.home_country);
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * DAY);
  const [row] = await trx('mobility_invitations').insert({
    institution_id: institution.id, file_id: file.id, token_hash: tokenHash(token), email: file.email, language,
    created_by: actor.personId ?? null, created_at: now, expires_at: expiresAt,
  }).returning('*');
  const visit = await trx('mobility_file_steps').where({ institution_id: institution.id, file_id: file.id, state: 'active' }).first('deadline_at');
  const { outboxId } = await deps.mailing().send({ institutionId: institution.id }, {
    key: 'invitation', language, to: file.email, tag: `mobility.file:${file.id}`, trx,
    values: {
      student: { firstName: file.first_name, lastName: file.last_name },
      home: { name: file.home_name ?? '' },
      link: `${publicOrigin(institution, deps.config())}/mobility/join/${token}`,
      // no deadline on the step: the link's own expiry is the date that matters
      deadline: visit?.deadline_at ? new Date(visit.deadline_at) : expiresAt,
    },
  });
  await trx('mobility_invitations').where({ id: row.id }).update({ outbox_id: outboxId });
  await deps.audit.record(actor, {
    action: resend ? 'mobility.invitation.resent' : 'mobility.invitation.sent', targetType: 'mobility_file', targetId: file.id,
    detail: { invitation: row.id, language, revoked },
  }, { trx });
  return toInvitation(row);
}

/**
 * The invitation of a new file (event `mobility.file.created`): only for a file with an e-mail and
 * no person, and only once (an event may be delivered twice). Returns whether one was sent.
 */
export async function inviteNewFile(deps: InvitationDeps, institution: Institution, fileId: number): Promise<boolean> {
  return deps.knex.transaction(async (trx) => {
    const file = await trx('mobility_files').where({ institution_id: institution.id, id: fileId }).forUpdate().first();
    if (!file || !file.email || file.person_id) return false;
    if (await trx('mobility_invitations').where({ institution_id: institution.id, file_id: fileId }).first('id')) return false;
    await issue(deps, trx, institution, { institutionId: institution.id, label: 'system' }, file, false);
    return true;
  });
}

/**
 * Send a new invitation (the previous link stops working). `expectedLatest` is the id of the
 * invitation the manager's page showed (`null`: none): someone else re-sent meanwhile → `stale`,
 * so one click never mails twice.
 */
export async function resendInvitation(deps: InvitationDeps, institution: Institution, actor: AuditActor, fileId: number, expectedLatest: number | null): Promise<Invitation> {
  return deps.knex.transaction(async (trx) => {
    const file = await trx('mobility_files').where({ institution_id: institution.id, id: fileId }).forUpdate().first();
    if (!file) throw new InvitationRefused('notFound');
    const latest = await trx('mobility_invitations').where({ institution_id: institution.id, file_id: fileId }).orderBy('id', 'desc').first('id');
    if ((latest?.id ?? null) !== expectedLatest) throw new InvitationRefused('stale');
    if (file.person_id) throw new InvitationRefused('linked');
    if (!file.email) throw new InvitationRefused('noEmail');
    return issue(deps, trx, institution, actor, file, true);
  });
}

/** Where a link stands for the person holding it. */
export type JoinState = 'ok' | 'unknown' | 'expired' | 'used' | 'revoked' | 'taken' | 'mine';

/** Why a claim was refused. */
export class JoinRefused extends SmileError {
  constructor(readonly reason: Exclude<JoinState, 'ok' | 'mine'>) {
    super(reason === 'taken' ? ErrorCodes.CONFLICT : ErrorCodes.NOT_FOUND, `invitation refused: ${reason}`, { status: reason === 'unknown' ? 404 : reason === 'taken' ? 409 : 410 });
  }
}

function stateOf(inv: any, file: any, personId: number | null, now: Date): JoinState {
  if (!inv || !file) return 'unknown';
  if (file.person_id && personId !== null && file.person_id === personId) return 'mine';
  if (file.person_id) return 'taken';
  if (inv.used_at) return 'used';
  if (inv.revoked_at) return 'revoked';
  if (new Date(inv.expires_at) <= now) return 'expired';
  return 'ok';
}

/** What a link leads to, without changing anything: its state and the file's names. */
export async function peekInvitation(knex: Knex, institutionId: number, token: string, personId: number | null): Promise<{ state: JoinState; fileId: number | null; name: string; home: string }> {
  if (!isToken(token)) return { state: 'unknown', fileId: null, name: '', home: '' };
  const inv = await knex('mobility_invitations').where({ institution_id: institutionId, token_hash: tokenHash(token) }).first();
  const file = inv ? await knex('mobility_files').where({ institution_id: institutionId, id: inv.file_id }).first() : null;
  return { state: stateOf(inv, file, personId, new Date()), fileId: file?.id ?? null, name: file ? `${file.first_name} ${file.last_name}` : '', home: file?.home_name ?? '' };
}

/** Does the person hold `student` (or a role under it: doctoral, trainee) in the institution? Read outside any transaction. */
async function holdsStudent(roles: Roles, institutionId: number, personId: number): Promise<boolean> {
  const [assignments, list] = await Promise.all([roles.assignments(institutionId, personId), roles.list(institutionId)]);
  return assignments.some((a) => roleLineage(list, a.role).includes('student'));
}

/**
 * The signed-in person claims the file of an invitation. One transaction: the invitation and the
 * file are locked and checked (unknown, expired, used, replaced, or a file linked to someone
 * else → {@link JoinRefused}, nothing changed), the file gets the person, the invitation is used,
 * the person gets the `student` role when they hold none under it, and it is audited.
 */
export async function claimInvitation(deps: Pick<InvitationDeps, 'knex' | 'audit' | 'roles'>, actor: AuditActor & { institutionId: number; personId: number }, token: string): Promise<{ fileId: number; already: boolean }> {
  if (!isToken(token)) throw new JoinRefused('unknown');
  const inst = actor.institutionId;
  const isStudent = await holdsStudent(deps.roles, inst, actor.personId);
  return deps.knex.transaction(async (trx) => {
    const inv = await trx('mobility_invitations').where({ institution_id: inst, token_hash: tokenHash(token) }).forUpdate().first();
    const file = inv ? await trx('mobility_files').where({ institution_id: inst, id: inv.file_id }).forUpdate().first() : null;
    const state = stateOf(inv, file, actor.personId, new Date());
    if (state !== 'ok' && state !== 'mine') throw new JoinRefused(state);
    const now = new Date();
    if (state === 'ok') await trx('mobility_files').where({ id: file.id }).update({ person_id: actor.personId, version: file.version + 1, updated_at: now });
    if (!inv.used_at) await trx('mobility_invitations').where({ id: inv.id }).update({ used_at: now, used_by: actor.personId });
    if (!isStudent) await deps.roles.assign(actor, actor.personId, 'student', [], { trx });
    await deps.audit.record(actor, { action: 'mobility.file.claim', targetType: 'mobility_file', targetId: file.id, detail: { invitation: inv.id, roleGiven: !isStudent, already: state === 'mine' } }, { trx });
    return { fileId: file.id as number, already: state === 'mine' };
  });
}

/** The ESIs among a sign-in's attributes, normalised for comparison. */
export function esisOf(attributes: Record<string, string[]>): string[] {
  const values = [...(attributes.schacPersonalUniqueCode ?? []), ...(attributes[SCHAC_PUC_OID] ?? [])];
  return [...new Set(values.map(normaliseEsi).filter((v) => v.startsWith(ESI_PREFIX) && v.length > ESI_PREFIX.length))];
}

/**
 * At sign-in: link the institution's files that have no person and carry one of the identity's
 * ESIs, and give the `student` role when the person holds none under it. Returns the linked ids.
 */
export async function linkByEsi(deps: Pick<InvitationDeps, 'knex' | 'audit' | 'roles'>, institution: Institution, person: { id: number; displayName: string }, attributes: Record<string, string[]>): Promise<number[]> {
  const esis = esisOf(attributes);
  if (!esis.length) return [];
  const inst = institution.id;
  // folded as normaliseEsi folds: spaces out, lower case
  const candidates = await deps.knex('mobility_files').where({ institution_id: inst }).whereNull('person_id').whereNotNull('esi')
    .whereRaw(`lower(regexp_replace(esi, '\\s+', '', 'g')) in (${esis.map(() => '?').join(', ')})`, esis).pluck('id');
  if (!candidates.length) return [];
  const isStudent = await holdsStudent(deps.roles, inst, person.id);
  const actor = { institutionId: inst, personId: person.id, label: person.displayName };
  return deps.knex.transaction(async (trx) => {
    // locked and read again: an invitation may have been claimed meanwhile
    const rows = await trx('mobility_files').where({ institution_id: inst }).whereIn('id', candidates).whereNull('person_id').forUpdate();
    const now = new Date();
    for (const r of rows) {
      await trx('mobility_files').where({ id: r.id }).update({ person_id: person.id, version: r.version + 1, updated_at: now });
      await deps.audit.record(actor, { action: 'mobility.file.link-esi', targetType: 'mobility_file', targetId: r.id }, { trx });
    }
    if (rows.length && !isStudent) await deps.roles.assign(actor, person.id, 'student', [], { trx });
    return rows.map((r: any) => r.id as number);
  });
}
