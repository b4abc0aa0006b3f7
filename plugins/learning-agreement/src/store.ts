/**
 * Learning Agreements as stored: reading an agreement with its versions, signatures and refusals,
 * listing them, composing the full document of a version (for the PDF and the EWP XML), and
 * creating the first version when a file reaches the `la-generated` step. The signature circuit
 * builds on this class (`circuit.ts`).
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import type { AuditLog, Database, EventBus, Institution, InstanceConfig, Logger } from '@smile/sdk';
import type { CoursePickerStore } from '@smile/plugin-course-picker';
import type { MailingService } from '@smile/plugin-mailing';
import type { MobilityFile } from '@smile/plugin-mobility';
import type { Knex } from 'knex';
import { ectsTotal, isFullySigned, laDocumentHash, LA_PARTIES } from './model.js';
import type { LaDocument, LaParty, LaPreviousVersion, LaSignature } from './model.js';
import { approvedChoice, firstDocument } from './store-build.js';
import { publicOrigin } from './links.js';
import type { LaActor, LaSettings, LaState, StoredAgreement, StoredRefusal, StoredSignature, StoredVersion } from './store-types.js';

export type Db = Knex | Knex.Transaction;

/** What the store needs. */
export interface LaDeps {
  db: Database;
  audit: AuditLog;
  events: EventBus;
  mailing: MailingService;
  config: InstanceConfig;
  log: Logger;
  /** The course picker's store: Table A is what it counts (under the institution's rules) from the approved courses. */
  coursePicker: CoursePickerStore;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** An institution row (read inside a transaction: the directory's cache may query outside it). */
export function institutionOf(r: any): Institution {
  return {
    id: r.id, code: r.code, nameFr: r.name_fr, nameEn: r.name_en, schacCode: r.schac_code ?? null, erasmusCode: r.erasmus_code ?? null,
    pic: r.pic ?? null, country: r.country ?? null, hostNames: r.host_names ?? [], defaultLanguage: r.default_language === 'en' ? 'en' : 'fr',
    theme: r.theme, plugins: r.plugins ?? {}, settings: r.settings ?? {},
  };
}

/** The party whose turn it is, or `null` when every party signed. */
export function nextParty(order: readonly LaParty[], signatures: readonly { party: LaParty }[]): LaParty | null {
  return order.find((p) => !signatures.some((s) => s.party === p)) ?? null;
}

/** A stored signature as the document carries it. */
export const docSignature = (s: StoredSignature): LaSignature => ({
  party: s.party, name: s.name, ...(s.position ? { position: s.position } : {}), email: s.email, timestamp: s.signedAt.toISOString(),
  ...(s.ip ? { ip: s.ip } : {}), hashSigned: s.hashSigned, ...(s.onPaper ? { onPaper: true } : {}),
});

/** Storage of Learning Agreements: reads and the creation of the first version. */
export class LaStore {
  constructor(protected readonly deps: LaDeps, protected readonly settingsOf: (institution: Institution) => LaSettings) {}

  protected knex(): Knex {
    return this.deps.db.knex;
  }

  /** An agreement by id, with its versions (oldest first), or `null`. */
  async byId(institutionId: number, id: number, db: Db = this.knex()): Promise<StoredAgreement | null> {
    const row = await db('learning_agreements').where({ institution_id: institutionId, id }).first();
    return row ? this.load(db, row) : null;
  }

  /** The agreement of a mobility file, or `null`. */
  async byFile(institutionId: number, fileId: number, db: Db = this.knex()): Promise<StoredAgreement | null> {
    const row = await db('learning_agreements').where({ institution_id: institutionId, file_id: fileId }).first();
    return row ? this.load(db, row) : null;
  }

  protected async load(db: Db, row: any): Promise<StoredAgreement> {
    const versions = await db('la_versions').where({ institution_id: row.institution_id, agreement_id: row.id }).orderBy('number');
    const ids = versions.map((v: any) => v.id);
    const [sigs, refusals] = ids.length
      ? await Promise.all([
        db('la_signatures').whereIn('version_id', ids).orderBy('signed_at').orderBy('id'),
        db('la_refusals').whereIn('version_id', ids),
      ])
      : [[], []];
    const latest = row.latest_version as number;
    const out: StoredVersion[] = versions.map((v: any) => {
      const signatures: StoredSignature[] = sigs.filter((s: any) => s.version_id === v.id).map((s: any) => ({
        id: s.id, party: s.party, name: s.signer_name, position: s.position ?? null, email: s.email, signedAt: new Date(s.signed_at),
        ip: s.ip ?? null, hashSigned: s.hash_signed, onPaper: s.on_paper, scanId: s.scan_id ?? null, personId: s.person_id ?? null,
        viaLink: s.link_id != null, recordedBy: s.recorded_by ?? null,
      }));
      const r = refusals.find((x: any) => x.version_id === v.id);
      const refusal: StoredRefusal | null = r ? { party: r.party, name: r.name, email: r.email ?? null, comment: r.comment, refusedAt: new Date(r.refused_at) } : null;
      const status: StoredVersion['status'] = isFullySigned(signatures.map(docSignature)) ? 'signed' : refusal ? 'refused' : v.number < latest ? 'superseded' : 'pending';
      return {
        id: v.id, number: v.number, kind: v.kind, document: json<LaDocument>(v.document), hash: v.hash, createdBy: v.created_by_label,
        createdAt: new Date(v.created_at), signatures, refusal, status,
      };
    });
    return {
      id: row.id, institutionId: row.institution_id, fileId: row.file_id, omobilityId: row.omobility_id, academicYear: row.academic_year,
      state: row.state, latestVersion: latest, choiceMissing: row.choice_missing, version: row.version,
      createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at), versions: out,
    };
  }

  /**
   * Agreements of an institution, newest first, filtered by state and academic year, limited to
   * the files of `scope` (component codes; files without a component need `'all'`).
   */
  async list(institutionId: number, filter: { state?: LaState; year?: number; scope: 'all' | string[]; limit?: number; offset?: number }) {
    const q = this.knex()('learning_agreements as a')
      .join('mobility_files as f', 'f.id', 'a.file_id')
      .leftJoin('components as c', 'c.id', 'f.component_id')
      .where('a.institution_id', institutionId)
      .select('a.*', 'f.first_name', 'f.last_name', 'f.home_name', 'f.home_schac', 'c.code as component_code')
      .orderBy([{ column: 'a.updated_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
      .limit(filter.limit ?? 100).offset(filter.offset ?? 0);
    if (filter.state) q.where('a.state', filter.state);
    if (filter.year) q.where('a.academic_year', filter.year);
    if (filter.scope !== 'all') q.whereIn('c.code', filter.scope.length ? filter.scope : ['\u0000']);
    return (await q).map((r: any) => ({
      id: r.id as number, fileId: r.file_id as number, omobilityId: r.omobility_id as string, academicYear: r.academic_year as number,
      state: r.state as LaState, latestVersion: r.latest_version as number, student: { firstName: r.first_name as string, lastName: r.last_name as string },
      home: { name: (r.home_name ?? null) as string | null, schac: (r.home_schac ?? null) as string | null }, component: (r.component_code ?? null) as string | null,
      updatedAt: new Date(r.updated_at),
    }));
  }

  /** The component code of an agreement's file (for scope checks), `null` when none. */
  async componentOf(institutionId: number, fileId: number): Promise<string | null> {
    const r = await this.knex()('mobility_files as f').leftJoin('components as c', 'c.id', 'f.component_id')
      .where({ 'f.institution_id': institutionId, 'f.id': fileId }).first('c.code');
    return r?.code ?? null;
  }

  /**
   * The full document of a version, as the PDF and the EWP XML render it: its content, its
   * signatures, the earlier versions that were signed (with theirs), the institution's branding.
   * Without `number`, the latest version.
   */
  fullDocument(a: StoredAgreement, number = a.latestVersion, branding?: LaDocument['branding']): LaDocument {
    const v = a.versions.find((x) => x.number === number);
    if (!v) throw new Error(`learning-agreement: no version ${number} of agreement ${a.id}`);
    const previousVersions: LaPreviousVersion[] = a.versions
      .filter((x) => x.number < number && x.status === 'signed')
      .map((x) => ({ version: x.number, hash: x.hash, changes: x.document.changes, signatures: x.signatures.map(docSignature) }));
    return {
      ...v.document,
      signatures: v.signatures.map(docSignature),
      ...(previousVersions.length ? { previousVersions } : {}),
      branding: branding ?? v.document.branding,
    };
  }

  /** A scanned paper signature's bytes, or `null`. */
  async scan(institutionId: number, agreementId: number, scanId: number) {
    const r = await this.knex()('la_scans').where({ institution_id: institutionId, agreement_id: agreementId, id: scanId }).first();
    return r ? { name: r.original_name as string, mediaType: r.media_type as string, data: Buffer.from(r.data) } : null;
  }

  /** The plugin settings for an institution id, read in `db`. */
  protected async institutionAndSettings(db: Db, institutionId: number): Promise<{ institution: Institution; settings: LaSettings }> {
    const institution = institutionOf(await db('institutions').where({ id: institutionId }).first());
    return { institution, settings: this.settingsOf(institution) };
  }

  /**
   * Create the agreement and its first version for a file that reached `la-generated`, in the
   * transition's transaction. Idempotent: a file that already has one keeps it (a file sent back
   * and validated again does not get a second agreement).
   */
  async createForFile(trx: Knex.Transaction, actor: LaActor, file: MobilityFile): Promise<{ agreementId: number; created: boolean }> {
    const existing = await trx('learning_agreements').where({ institution_id: file.institutionId, file_id: file.id }).first();
    if (existing) return { agreementId: existing.id, created: false };
    const { institution, settings } = await this.institutionAndSettings(trx, file.institutionId);
    const choice = await approvedChoice(trx, this.deps.coursePicker, file, this.deps.log);
    const component = file.componentId ? await trx('components').where({ id: file.componentId }).first() : null;
    const componentName = component ? (institution.defaultLanguage === 'en' ? component.name_en ?? component.name_fr : component.name_fr ?? component.name_en) ?? null : null;
    const omobilityId = randomUUID();
    const doc = firstDocument({ file, institution, settings, choice, omobilityId, origin: publicOrigin(institution, this.deps.config), componentName });
    const [row] = await trx('learning_agreements').insert({
      institution_id: file.institutionId, file_id: file.id, omobility_id: omobilityId, academic_year: file.academicYear,
      state: 'draft', latest_version: 1, choice_missing: !choice.available,
    }).returning('*');
    await this.insertVersion(trx, actor, row.id, 1, 'first', doc);
    await this.deps.audit.record(actor, {
      action: 'learning-agreement.agreement.create', targetType: 'learning_agreement', targetId: row.id,
      detail: { fileId: file.id, components: doc.tables.studied.length, ects: ectsTotal(doc.tables.studied), choiceMissing: !choice.available },
    }, { trx });
    await this.deps.events.emit('learning-agreement.agreement.created', { agreementId: row.id, fileId: file.id }, { trx, institutionId: file.institutionId });
    if (!choice.available) this.deps.log.warn({ file: file.id }, 'learning agreement built without an approved course choice');
    return { agreementId: row.id, created: true };
  }

  protected async insertVersion(trx: Knex.Transaction, actor: LaActor, agreementId: number, number: number, kind: 'first' | 'change', doc: LaDocument): Promise<number> {
    const stored: LaDocument = { ...doc, version: number, signatures: [] };
    delete stored.previousVersions;
    const [v] = await trx('la_versions').insert({
      institution_id: actor.institutionId, agreement_id: agreementId, number, kind, document: JSON.stringify(stored),
      hash: laDocumentHash(stored), created_by: actor.personId ?? null, created_by_label: actor.label,
    }).returning('id');
    return typeof v === 'object' ? v.id : v;
  }
}

/** Every party, for validation of posted values. */
export const isParty = (p: unknown): p is LaParty => typeof p === 'string' && (LA_PARTIES as readonly string[]).includes(p);
