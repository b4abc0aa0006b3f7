/**
 * Documents of mobility files: uploads checked before anything is stored, replacements that keep
 * the history, decisions with optimistic locking, and what a step still lacks.
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { ErrorCodes, SmileError, createServiceRef } from '@smile/sdk';
import type { AuditActor, AuditLog, Database, EventBus, Logger } from '@smile/sdk';
import type { Knex } from 'knex';
import { MEDIA_LABELS, isPlainFileName, sniffMediaType, type MediaType } from './documents-content.js';
import { DocumentTypes, type DocumentType } from './documents-types.js';
import { newDocumentKey, type DocumentStorage } from './storage.js';
import { OPEN_STATUSES, type MobilityFile } from './types.js';

type Db = Knex | Knex.Transaction;

/** Where a document stands. */
export type DocumentStatus = 'pending' | 'accepted' | 'refused';

/** One upload of a document. The current one of a type has `supersededAt === null`. */
export interface MobilityDocument {
  id: number;
  fileId: number;
  typeCode: string;
  originalName: string;
  sizeBytes: number;
  mediaType: MediaType;
  sha256: string;
  status: DocumentStatus;
  replacesId: number | null;
  supersededAt: Date | null;
  uploadedBy: number | null;
  uploadedByLabel: string;
  uploadedAt: Date;
  decidedBy: number | null;
  decidedByLabel: string | null;
  decidedAt: Date | null;
  comment: string | null;
  version: number;
  /** Internal: where the bytes are. */
  storageKey: string;
}

/** Who uploads or decides: an audit actor (with request id and address when there is a request). */
export type DocumentActor = AuditActor & { institutionId: number; personId?: number | null };

/**
 * Why an upload or a decision was refused. `reason` names the message (`documents.errors.<reason>`
 * in the locale files), `vars` fill it; `key` is the form field at fault.
 */
export class DocumentRefusal extends SmileError {
  readonly vars: Record<string, string | number>;

  constructor(readonly reason: string, message: string, opts: { status?: number; key?: string; vars?: Record<string, string | number> } = {}) {
    super(opts.status === 409 ? ErrorCodes.CONFLICT : opts.status === 404 ? ErrorCodes.NOT_FOUND : ErrorCodes.VALIDATION, message, { status: opts.status ?? 422, key: opts.key });
    this.vars = opts.vars ?? {};
  }
}


function toDocument(r: any): MobilityDocument {
  return {
    id: r.id, fileId: r.file_id, typeCode: r.type_code, originalName: r.original_name, sizeBytes: Number(r.size_bytes),
    mediaType: r.media_type, sha256: r.sha256, status: r.status, replacesId: r.replaces_id ?? null,
    supersededAt: r.superseded_at ? new Date(r.superseded_at) : null, uploadedBy: r.uploaded_by ?? null, uploadedByLabel: r.uploaded_by_label,
    uploadedAt: new Date(r.uploaded_at), decidedBy: r.decided_by ?? null, decidedByLabel: r.decided_by_label ?? null,
    decidedAt: r.decided_at ? new Date(r.decided_at) : null, comment: r.decision_comment ?? null, version: r.version, storageKey: r.storage_key,
  };
}

const isUniqueViolation = (e: unknown): boolean => (e as { code?: string })?.code === '23505';

interface Deps {
  db: Database;
  audit: AuditLog;
  events: EventBus;
  log: Logger;
}

/** What an upload brings. `expectedCurrent` is the current document the form showed (`null`: none). */
export interface UploadInput {
  typeCode: string;
  name: string;
  data: Buffer;
  expectedCurrent?: { id: number | null; version: number | null };
}

/** The documents of mobility files (service `mobility.documents`). */
export class DocumentStore {
  /** The institution's document types (seeded when missing). */
  readonly types: DocumentTypes;

  constructor(private readonly deps: Deps) {
    this.types = new DocumentTypes(deps.db, deps.audit);
  }

  private knex(): Knex {
    return this.deps.db.knex;
  }

  /** Every document of a file, current and replaced, newest first within each type. */
  async list(institutionId: number, fileId: number, db: Db = this.knex()): Promise<MobilityDocument[]> {
    const rows = await db('mobility_documents').where({ institution_id: institutionId, file_id: fileId }).orderBy([{ column: 'type_code' }, { column: 'uploaded_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    return rows.map(toDocument);
  }

  /** One document of a file, or `null`. */
  async get(institutionId: number, fileId: number, documentId: number): Promise<MobilityDocument | null> {
    const r = await this.knex()('mobility_documents').where({ institution_id: institutionId, file_id: fileId, id: documentId }).first();
    return r ? toDocument(r) : null;
  }

  /** The bytes of a document, or `null` when the storage lost them. */
  async content(doc: MobilityDocument, storage: DocumentStorage): Promise<Buffer | null> {
    return storage.get(doc.storageKey);
  }

  /**
   * Check an upload against its type, store the bytes under a new random key, then record it in
   * one transaction (replacing the current document of that type, which stays as history).
   * Refused with a {@link DocumentRefusal} — and nothing stored — for a closed file, an unknown or
   * inactive type, a name holding a path or control characters, an empty or too large file,
   * content of a type the document type does not accept; for the student (`byStudent`), an
   * accepted document; for anyone, a current document that changed since the form was shown.
   */
  async upload(actor: DocumentActor, file: MobilityFile, input: UploadInput, opts: { byStudent: boolean; storage: DocumentStorage }): Promise<MobilityDocument> {
    const inst = actor.institutionId;
    if (!OPEN_STATUSES.has(file.status)) throw new DocumentRefusal('closed', 'this file is closed: it takes no more documents', { status: 409 });
    const type = (await this.types.list(inst)).find((t) => t.code === input.typeCode && t.active);
    if (!type) throw new DocumentRefusal('unknownType', `unknown document type "${input.typeCode}"`, { key: 'type' });
    if (!isPlainFileName(input.name)) throw new DocumentRefusal('badName', 'the file name is empty, holds a path or control characters', { key: 'file' });
    if (!input.data.length) throw new DocumentRefusal('empty', 'the file is empty', { key: 'file' });
    if (input.data.length > type.maxBytes) throw new DocumentRefusal('tooBig', `the file is larger than the ${type.maxBytes} bytes allowed`, { status: 413, key: 'file', vars: { max: type.maxBytes } });
    const mediaType = sniffMediaType(input.data);
    if (!mediaType || !type.mediaTypes.includes(mediaType)) {
      const accepted = type.mediaTypes.map((m) => MEDIA_LABELS[m] ?? m).join(', ');
      throw new DocumentRefusal('badContent', `the content is not one of the accepted types (${accepted})`, { status: 415, key: 'file', vars: { accepted } });
    }

    const key = newDocumentKey(inst, file.id);
    const sha256 = createHash('sha256').update(input.data).digest('hex');
    await opts.storage.put(key, input.data, mediaType);
    try {
      return await this.knex().transaction(async (trx) => {
        const row = await trx('mobility_files').where({ institution_id: inst, id: file.id }).forUpdate().first();
        if (!row || !OPEN_STATUSES.has(row.status)) throw new DocumentRefusal('closed', 'this file is closed: it takes no more documents', { status: 409 });
        const current = await trx('mobility_documents').where({ institution_id: inst, file_id: file.id, type_code: type.code }).whereNull('superseded_at').forUpdate().first();
        const expected = input.expectedCurrent;
        if (expected && ((current?.id ?? null) !== expected.id || (current && expected.version !== null && current.version !== expected.version))) {
          throw new DocumentRefusal('changedMeanwhile', 'this document changed meanwhile: reload the page to see its state', { status: 409, vars: { status: current?.status ?? 'none' } });
        }
        if (opts.byStudent && current?.status === 'accepted') {
          throw new DocumentRefusal('acceptedLocked', 'this document was accepted: it can no longer be replaced', { status: 409, key: 'file' });
        }
        const now = new Date();
        if (current) await trx('mobility_documents').where({ id: current.id }).update({ superseded_at: now, version: current.version + 1 });
        const [inserted] = await trx('mobility_documents').insert({
          institution_id: inst, file_id: file.id, type_code: type.code, storage_key: key, original_name: input.name,
          size_bytes: input.data.length, media_type: mediaType, sha256, status: 'pending', replaces_id: current?.id ?? null,
          uploaded_by: actor.personId ?? null, uploaded_by_label: actor.label, uploaded_at: now,
        }).returning('*');
        await this.deps.audit.record(actor, {
          action: 'mobility.document.upload', targetType: 'mobility_document', targetId: inserted.id,
          before: current ? { id: current.id, status: current.status } : null,
          after: { fileId: file.id, type: type.code, size: input.data.length, mediaType, sha256 },
        }, { trx });
        await this.deps.events.emit('mobility.document.uploaded', { fileId: file.id, documentId: inserted.id, type: type.code, comment: null }, { trx, institutionId: inst });
        return toDocument(inserted);
      });
    } catch (e) {
      // the bytes were stored first (a slow upload must not hold the file row); nothing recorded: remove them
      await opts.storage.delete(key).catch((err) => this.deps.log.error({ err: String(err), key }, 'a refused document could not be removed from the storage'));
      if (isUniqueViolation(e)) throw new DocumentRefusal('changedMeanwhile', 'another document of this type was uploaded meanwhile', { status: 409 });
      throw e;
    }
  }

  /**
   * Accept or refuse the current document `documentId` of a file, as it was at `version`. A refusal
   * needs a comment (it tells the student what to fix). A document replaced or decided meanwhile
   * is a conflict. Audited; event `mobility.document.accepted` / `.refused` after commit.
   */
  async decide(
    actor: DocumentActor,
    fileId: number,
    documentId: number,
    input: { decision: 'accept' | 'refuse'; comment?: string | null; version: number },
  ): Promise<MobilityDocument> {
    const inst = actor.institutionId;
    const comment = input.comment?.trim() || null;
    if (input.decision === 'refuse' && !comment) throw new DocumentRefusal('commentRequired', 'a refusal needs a comment for the student', { key: 'comment' });
    return this.knex().transaction(async (trx) => {
      const file = await trx('mobility_files').where({ institution_id: inst, id: fileId }).forUpdate().first();
      const row = file ? await trx('mobility_documents').where({ institution_id: inst, file_id: fileId, id: documentId }).forUpdate().first() : null;
      if (!row) throw new DocumentRefusal('notFound', `no document ${documentId} on file ${fileId}`, { status: 404 });
      if (!OPEN_STATUSES.has(file.status)) throw new DocumentRefusal('closed', 'this file is closed', { status: 409 });
      if (row.superseded_at || row.version !== input.version) {
        throw new DocumentRefusal('decidedMeanwhile', `this document was ${row.superseded_at ? 'replaced' : row.status} meanwhile`, {
          status: 409, vars: { status: row.superseded_at ? 'replaced' : row.status },
        });
      }
      const status: DocumentStatus = input.decision === 'accept' ? 'accepted' : 'refused';
      const now = new Date();
      const [updated] = await trx('mobility_documents').where({ id: row.id }).update({
        status, decided_by: actor.personId ?? null, decided_by_label: actor.label, decided_at: now, decision_comment: comment, version: row.version + 1,
      }).returning('*');
      await this.deps.audit.record(actor, {
        action: `mobility.document.${input.decision}`, targetType: 'mobility_document', targetId: row.id,
        before: { status: row.status }, after: { status }, detail: { fileId, type: row.type_code, comment: comment !== null },
      }, { trx });
      await this.deps.events.emit(`mobility.document.${status}`, { fileId, documentId: row.id, type: row.type_code, comment }, { trx, institutionId: inst });
      return toDocument(updated);
    });
  }

  /**
   * Of `codes`, the document types a file still lacks: no current document, or a refused one
   * (`refused: true`: it must be replaced). Pending and accepted documents count as given.
   */
  async missing(db: Db, institutionId: number, fileId: number, codes: readonly string[]): Promise<Array<{ code: string; refused: boolean }>> {
    if (!codes.length) return [];
    const rows = await db('mobility_documents').where({ institution_id: institutionId, file_id: fileId }).whereNull('superseded_at').whereIn('type_code', [...codes]).select('type_code', 'status');
    const status = new Map(rows.map((r: any) => [r.type_code as string, r.status as DocumentStatus]));
    return [...new Set(codes)].filter((c) => status.get(c) !== 'pending' && status.get(c) !== 'accepted').map((code) => ({ code, refused: status.get(code) === 'refused' }));
  }
}

export type { DocumentType };

/** The documents of mobility files. */
export const documentsService = createServiceRef<DocumentStore>({ id: 'mobility.documents' });
