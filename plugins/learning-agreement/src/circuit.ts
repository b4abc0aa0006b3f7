/**
 * The signature circuit. Every action runs in one transaction that locks the agreement row, checks
 * that the version the person saw is still the latest (else "this version was replaced"), writes
 * only new rows (a signature, a refusal, a version — never an update of what was agreed), moves the
 * agreement's derived state and lock counter on, records an audit entry and queues the mail.
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import type { MobilityFile } from '@smile/plugin-mobility';
import type { Knex } from 'knex';
import { CircuitMail, mailFile, type Notice } from './circuit-mail.js';
import { usableLink, type SigningLink } from './links.js';
import type { LaParty } from './model.js';
import { LaStore, nextParty, type LaDeps } from './store.js';
import { changedDocument, currentComponents, editedDocument, missingForSigning, type StudentEdit } from './store-build.js';
import { LaError, type ChangeItem, type LaActor, type LaState, type StoredAgreement, type StoredVersion } from './store-types.js';
import type { Institution } from '@smile/sdk';
import type { LaSettings } from './store-types.js';

/** A signature as posted. */
export interface SignInput {
  /** The version number the signer saw. */
  versionNumber: number;
  /** The hash shown with it, when the page sent it. */
  hash?: string;
  name: string;
  position?: string | null;
  email: string;
  ip?: string | null;
}

/** A scanned document attached to a paper signature. */
export interface ScanInput {
  filename: string;
  mediaType: string;
  data: Buffer;
}

/** Who signs: a party through a person's session, a signing link, or a manager recording paper. */
export type SignAs =
  | { via: 'person'; party: LaParty }
  | { via: 'link'; token: string }
  | { via: 'paper'; party: LaParty; scan: ScanInput; signedAt?: Date | null };

interface Locked {
  agreement: StoredAgreement;
  latest: StoredVersion;
  institution: Institution;
  settings: LaSettings;
}

const clip = (s: string | null | undefined, n: number): string => (s ?? '').trim().slice(0, n);

/** The agreement store plus the circuit's actions. */
export class LaCircuit extends LaStore {
  private readonly mail: CircuitMail;

  constructor(deps: LaDeps, settingsOf: (i: Institution) => LaSettings) {
    super(deps, settingsOf);
    this.mail = new CircuitMail(deps);
  }

  /** The signing order of an institution. */
  order(institution: Institution): LaParty[] {
    return this.settingsOf(institution).signatureOrder;
  }

  private async lock(trx: Knex.Transaction, institutionId: number, id: number, versionNumber: number, hash?: string): Promise<Locked> {
    const row = await trx('learning_agreements').where({ institution_id: institutionId, id }).forUpdate().first();
    if (!row) throw new LaError('notFound', `no learning agreement ${id}`);
    const agreement = await this.load(trx, row);
    const latest = agreement.versions.at(-1)!;
    if (versionNumber !== latest.number || (hash && hash !== latest.hash)) {
      throw new LaError('stale', `this version was replaced; review the new one (version ${latest.number})`);
    }
    const { institution, settings } = await this.institutionAndSettings(trx, institutionId);
    return { agreement, latest, institution, settings };
  }

  private async notice(trx: Knex.Transaction, l: Pick<Locked, 'agreement' | 'institution' | 'settings'>): Promise<Notice> {
    return { trx, institution: l.institution, settings: l.settings, file: await mailFile(trx, l.institution.id, l.agreement.fileId), agreementId: l.agreement.id };
  }

  private async setState(trx: Knex.Transaction, a: StoredAgreement, state: LaState, latestVersion = a.latestVersion): Promise<void> {
    await trx('learning_agreements').where({ id: a.id }).update({ state, latest_version: latestVersion, version: a.version + 1, updated_at: new Date() });
  }

  /**
   * Sign the latest version. Refused when it was replaced meanwhile, when the party already signed,
   * when it is not the party's turn (paper signatures may come in any order), when the version was
   * refused, or when the first version still lacks what the student must enter.
   */
  async sign(actor: LaActor, agreementId: number, as: SignAs, input: SignInput): Promise<{ state: LaState; party: LaParty; next: LaParty | null }> {
    const name = clip(input.name, 300);
    const email = clip(input.email, 320);
    if (!name) throw new LaError('invalid', 'the name of the signer is required', { field: 'name' });
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new LaError('invalid', 'a valid e-mail address is required', { field: 'email' });
    return this.knex().transaction(async (trx) => {
      const l = await this.lock(trx, actor.institutionId, agreementId, input.versionNumber, input.hash);
      let link: SigningLink | null = null;
      if (as.via === 'link') {
        link = await usableLink(trx, actor.institutionId, as.token, { forUpdate: true });
        if (link.versionId !== l.latest.id) throw new LaError('stale', 'this version was replaced; review the new one');
      }
      const party = as.via === 'link' ? link!.party : as.party;
      const v = l.latest;
      if (v.signatures.some((s) => s.party === party)) throw new LaError('alreadySigned', `the ${party} party already signed version ${v.number}`);
      if (v.refusal) throw new LaError('refused', `version ${v.number} was refused and went back to the student`);
      const order = l.settings.signatureOrder;
      if (as.via !== 'paper' && nextParty(order, v.signatures) !== party) throw new LaError('notYourTurn', `it is not the ${party} party's turn to sign`);
      const missing = missingForSigning(v.document);
      if (missing.length) throw new LaError('incomplete', `the agreement is incomplete: ${missing.join(', ')}`, { missing });

      let scanId: number | null = null;
      if (as.via === 'paper') {
        const [s] = await trx('la_scans').insert({
          institution_id: actor.institutionId, agreement_id: agreementId, original_name: clip(as.scan.filename, 255) || 'scan',
          media_type: as.scan.mediaType, size_bytes: as.scan.data.length, sha256: createHash('sha256').update(as.scan.data).digest('hex'),
          data: as.scan.data, uploaded_by: actor.personId ?? null,
        }).returning('id');
        scanId = typeof s === 'object' ? s.id : s;
      }
      const signedAt = as.via === 'paper' && as.signedAt ? as.signedAt : new Date();
      await trx('la_signatures').insert({
        institution_id: actor.institutionId, version_id: v.id, party, signer_name: name, position: clip(input.position, 300) || null, email,
        signed_at: signedAt, ip: as.via === 'paper' ? null : clip(input.ip, 64) || null, hash_signed: v.hash, on_paper: as.via === 'paper',
        scan_id: scanId, person_id: as.via === 'person' ? actor.personId ?? null : null, link_id: link?.id ?? null,
        recorded_by: as.via === 'paper' ? actor.personId ?? null : null,
      });
      if (link) {
        const used = await trx('la_signing_links').where({ id: link.id }).whereNull('used_at').update({ used_at: new Date() });
        if (!used) throw new LaError('linkUsed', 'this signing link has already been used');
      }
      const signatures = [...v.signatures, { party }];
      const next = nextParty(order, signatures);
      const state: LaState = next ? 'signing' : 'signed';
      await this.setState(trx, l.agreement, state);
      await this.deps.audit.record(actor, {
        action: as.via === 'paper' ? 'learning-agreement.signature.paper' : 'learning-agreement.signature.create',
        targetType: 'learning_agreement', targetId: agreementId,
        after: { version: v.number, party, hash: v.hash, state },
        detail: { name, email, position: input.position ?? null, via: as.via, scanId, linkId: link?.id ?? null },
      }, { trx });
      await this.deps.events.emit('learning-agreement.version.signed', { agreementId, version: v.number, party, state }, { trx, institutionId: actor.institutionId });
      const n = await this.notice(trx, l);
      if (next) await this.mail.turn(n, next, v);
      else await this.mail.signed(n);
      return { state, party, next };
    });
  }

  /**
   * Refuse the latest version with a mandatory comment: it goes back to the student, who makes a
   * new version. Only the party whose turn it is may refuse.
   */
  async refuse(actor: LaActor, agreementId: number, as: { via: 'person'; party: LaParty } | { via: 'link'; token: string },
    input: { versionNumber: number; hash?: string; comment: string; name: string; email?: string | null; ip?: string | null }): Promise<void> {
    const comment = clip(input.comment, 5000);
    if (!comment) throw new LaError('comment', 'a comment is required to refuse', { field: 'comment' });
    const name = clip(input.name, 300);
    if (!name) throw new LaError('invalid', 'the name is required', { field: 'name' });
    await this.knex().transaction(async (trx) => {
      const l = await this.lock(trx, actor.institutionId, agreementId, input.versionNumber, input.hash);
      let link: SigningLink | null = null;
      if (as.via === 'link') {
        link = await usableLink(trx, actor.institutionId, as.token, { forUpdate: true });
        if (link.versionId !== l.latest.id) throw new LaError('stale', 'this version was replaced; review the new one');
      }
      const party = as.via === 'link' ? link!.party : as.party;
      const v = l.latest;
      if (v.refusal) throw new LaError('refused', `version ${v.number} was already refused`);
      if (v.status === 'signed') throw new LaError('signed', `version ${v.number} is signed by every party`);
      if (v.signatures.some((s) => s.party === party)) throw new LaError('alreadySigned', `the ${party} party already signed version ${v.number}`);
      if (nextParty(l.settings.signatureOrder, v.signatures) !== party) throw new LaError('notYourTurn', `it is not the ${party} party's turn`);
      await trx('la_refusals').insert({
        institution_id: actor.institutionId, version_id: v.id, party, name, email: clip(input.email, 320) || null, comment,
        ip: clip(input.ip, 64) || null, person_id: as.via === 'person' ? actor.personId ?? null : null, link_id: link?.id ?? null,
      });
      if (link) await trx('la_signing_links').where({ id: link.id }).update({ used_at: new Date() });
      await this.setState(trx, l.agreement, 'refused');
      await this.deps.audit.record(actor, {
        action: 'learning-agreement.version.refuse', targetType: 'learning_agreement', targetId: agreementId,
        after: { version: v.number, party, state: 'refused' }, detail: { name, via: as.via, linkId: link?.id ?? null },
      }, { trx });
      await this.mail.refused(await this.notice(trx, l), comment);
    });
  }

  /**
   * The student's edit of the first version (Table B, the sending coordinator, the language
   * level): a new version, allowed while the latest has no signature or was refused.
   */
  async editFirst(actor: LaActor, agreementId: number, input: { versionNumber: number; edit: StudentEdit }): Promise<number> {
    return this.knex().transaction(async (trx) => {
      const l = await this.lock(trx, actor.institutionId, agreementId, input.versionNumber);
      const v = l.latest;
      if (v.kind !== 'first' || (v.signatures.length > 0 && !v.refusal)) throw new LaError('locked', 'this version has signatures: it can no longer be changed');
      const number = v.number + 1;
      const id = await this.insertVersion(trx, actor, agreementId, number, 'first', editedDocument(v.document, number, input.edit));
      await this.setState(trx, l.agreement, 'draft', number);
      await this.deps.audit.record(actor, {
        action: 'learning-agreement.version.create', targetType: 'learning_agreement', targetId: agreementId,
        after: { version: number, kind: 'first' }, detail: { recognised: input.edit.recognised.length },
      }, { trx });
      await this.announce(trx, l, actor, { id, number });
      return number;
    });
  }

  /**
   * A change proposal during the mobility: components deleted and added with their reasons,
   * applied to the last signed version's changes (approved changes accumulate). It becomes a
   * new version of kind `change` and goes through the same circuit.
   */
  async proposeChange(actor: LaActor, agreementId: number, input: { versionNumber: number; items: ChangeItem[] }): Promise<number> {
    if (input.items.length === 0) throw new LaError('invalid', 'a change proposal needs at least one component deleted or added', { field: 'items' });
    for (const i of input.items) {
      if (i.reason === 'other' && !clip(i.reasonText, 500)) throw new LaError('invalid', 'the reason "other" needs an explanation', { field: 'reasonText' });
      if (!clip(String(i.component.title ?? ''), 300)) throw new LaError('invalid', 'every component needs a title', { field: 'title' });
    }
    return this.knex().transaction(async (trx) => {
      const l = await this.lock(trx, actor.institutionId, agreementId, input.versionNumber);
      const base = [...l.agreement.versions].reverse().find((v) => v.status === 'signed');
      if (!base) throw new LaError('noSignedVersion', 'changes can be proposed once the agreement is signed by every party');
      const v = l.latest;
      if (v !== base && v.kind === 'change' && v.signatures.length > 0 && !v.refusal) throw new LaError('changeInProgress', 'a change proposal is already being signed');
      const present = currentComponents(base.document);
      const key = (c: { code?: unknown; title?: unknown }) => `${String(c.code ?? '')}\u0000${String(c.title ?? '')}`;
      for (const i of input.items.filter((x) => x.change === 'deleted')) {
        if (!(present[i.table] as Array<{ code?: string; title: string }>).some((c) => key(c) === key(i.component))) {
          throw new LaError('invalid', `"${String(i.component.title)}" is not in the agreement`, { field: 'items' });
        }
      }
      const number = v.number + 1;
      const id = await this.insertVersion(trx, actor, agreementId, number, 'change', changedDocument(base.document, number, input.items));
      await trx('la_change_proposals').insert({
        institution_id: actor.institutionId, agreement_id: agreementId, version_id: id, base_version_id: base.id,
        items: JSON.stringify(input.items), proposed_by: actor.personId ?? null, proposed_by_label: actor.label,
      });
      await this.setState(trx, l.agreement, 'draft', number);
      await this.deps.audit.record(actor, {
        action: 'learning-agreement.change.propose', targetType: 'learning_agreement', targetId: agreementId,
        after: { version: number, kind: 'change', base: base.number }, detail: { items: input.items.map((i) => ({ table: i.table, change: i.change, reason: i.reason })) },
      }, { trx });
      const n = await this.notice(trx, l);
      await this.mail.changeProposed(n);
      await this.announce(trx, l, actor, { id, number }, n);
      return number;
    });
  }

  /** A new version is out: tell the first signer, unless it is the student who just made it. */
  private async announce(trx: Knex.Transaction, l: Locked, actor: LaActor, v: { id: number; number: number }, n?: Notice): Promise<void> {
    const first = l.settings.signatureOrder[0]!;
    const file = await trx('mobility_files').where({ id: l.agreement.fileId }).first('person_id');
    if (first === 'student' && actor.personId != null && actor.personId === file?.person_id) return;
    const row = await trx('la_versions').where({ id: v.id }).first('document');
    const document = typeof row.document === 'string' ? JSON.parse(row.document) : row.document;
    await this.mail.turn(n ?? (await this.notice(trx, l)), first, { id: v.id, document });
  }

  /** Mail a new signing link to the sending coordinator (the old one stops working), when it is their turn. */
  async resendLink(actor: LaActor, agreementId: number, versionNumber: number): Promise<void> {
    await this.knex().transaction(async (trx) => {
      const l = await this.lock(trx, actor.institutionId, agreementId, versionNumber);
      const v = l.latest;
      if (v.refusal) throw new LaError('refused', `version ${v.number} was refused`);
      if (nextParty(l.settings.signatureOrder, v.signatures) !== 'sending') throw new LaError('notYourTurn', 'it is not the sending institution\'s turn');
      await this.mail.turn(await this.notice(trx, l), 'sending', v);
      await this.deps.audit.record(actor, { action: 'learning-agreement.link.resend', targetType: 'learning_agreement', targetId: agreementId, detail: { version: v.number } }, { trx });
    });
  }

  /** The mobility file reached `la-generated`: build the agreement and tell the first signer. */
  async onGenerated(trx: Knex.Transaction, actor: LaActor, file: MobilityFile): Promise<void> {
    const { agreementId, created } = await this.createForFile(trx, actor, file);
    if (!created) return;
    const row = await trx('learning_agreements').where({ id: agreementId }).first();
    const agreement = await this.load(trx, row);
    const { institution, settings } = await this.institutionAndSettings(trx, file.institutionId);
    const v = agreement.versions[0]!;
    await this.mail.turn(await this.notice(trx, { agreement, institution, settings }), settings.signatureOrder[0]!, v);
  }

  /** The link a token opens, for its page (no lock): the refusal says why it cannot be used. */
  link(institutionId: number, token: string): Promise<SigningLink> {
    return usableLink(this.knex(), institutionId, token);
  }

  /** The agreement a link belongs to. */
  async agreementOfLink(institutionId: number, link: SigningLink): Promise<StoredAgreement | null> {
    const v = await this.knex()('la_versions').where({ institution_id: institutionId, id: link.versionId }).first('agreement_id');
    return v ? this.byId(institutionId, v.agreement_id) : null;
  }
}
