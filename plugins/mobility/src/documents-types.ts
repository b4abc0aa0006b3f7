/**
 * The kinds of documents an institution asks for: labels in both languages, a size limit and the
 * media types accepted. Seeded when missing (per code, so an edited or deactivated type is kept),
 * edited on `/mobility/config/document-types` with a version check.
 * @packageDocumentation
 */
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { AuditActor, AuditLog, Bilingual, Database } from '@smile/sdk';
import type { Knex } from 'knex';
import { KNOWN_MEDIA_TYPES, type MediaType } from './documents-content.js';

type Db = Knex | Knex.Transaction;

/** A document type of an institution. */
export interface DocumentType {
  id: number;
  code: string;
  label: Bilingual;
  maxBytes: number;
  /** Checked against the content, not the name. */
  mediaTypes: MediaType[];
  position: number;
  active: boolean;
  version: number;
}

const MB = 1024 * 1024;
/** The platform refuses any upload over 50 MB before a handler runs: no type may allow more. */
export const MAX_MB = 50;
const ALL: MediaType[] = ['application/pdf', 'image/jpeg', 'image/png'];

/** The types every institution starts with. */
export const DEFAULT_DOCUMENT_TYPES: ReadonlyArray<{ code: string; fr: string; en: string; mediaTypes: MediaType[] }> = [
  { code: 'passport', fr: 'Passeport ou carte d’identité', en: 'Passport or ID card', mediaTypes: ALL },
  { code: 'transcript', fr: 'Relevé de notes', en: 'Transcript of records', mediaTypes: ALL },
  { code: 'language-certificate', fr: 'Certificat de langue', en: 'Language certificate', mediaTypes: ALL },
  { code: 'health-insurance', fr: 'Attestation d’assurance maladie', en: 'Health insurance certificate', mediaTypes: ALL },
  { code: 'photo', fr: 'Photo d’identité', en: 'ID photo', mediaTypes: ['image/jpeg', 'image/png'] },
];

/** What the configuration form sends. */
export interface DocumentTypeInput {
  code: string;
  labelFr: string;
  labelEn: string;
  /** Megabytes, as typed (`10`, `2.5`, `2,5`). */
  maxMb: string;
  mediaTypes: string[];
  active: boolean;
}

/** Field → problem code (`required`, `format`, `taken`, `range`): the page words them. */
export type TypeProblems = Partial<Record<'code' | 'labelFr' | 'labelEn' | 'maxMb' | 'mediaTypes', string>>;

const CODE = /^[a-z][a-z0-9-]{1,63}$/;

function toType(r: any): DocumentType {
  return {
    id: r.id, code: r.code, label: { fr: r.label_fr, en: r.label_en }, maxBytes: Number(r.max_bytes),
    mediaTypes: (r.media_types ?? []).filter((m: string) => (KNOWN_MEDIA_TYPES as readonly string[]).includes(m)), position: r.position,
    active: r.active, version: r.version ?? 1,
  };
}

/** `10` / `2.5` / `2,5` → bytes, or `null`. */
export function parseMegabytes(s: string): number | null {
  const t = s.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(t)) return null;
  const n = Number(t);
  return n > 0 && n <= MAX_MB ? Math.round(n * MB) : null;
}

/** The document types of each institution, seeded once per process per institution. */
export class DocumentTypes {
  private readonly seeded = new Set<number>();

  constructor(private readonly db: Database, private readonly audit: AuditLog) {}

  /** Insert the default types an institution lacks (by code). Idempotent, safe to race. */
  async ensureSeeded(institutionId: number, db: Db = this.db.knex): Promise<void> {
    if (this.seeded.has(institutionId)) return;
    await db('mobility_document_types')
      .insert(DEFAULT_DOCUMENT_TYPES.map((x, i) => ({
        institution_id: institutionId, code: x.code, label_fr: x.fr, label_en: x.en, max_bytes: 10 * MB, media_types: x.mediaTypes, position: i, active: true,
      })))
      .onConflict(['institution_id', 'code']).ignore();
    this.seeded.add(institutionId);
  }

  /** Every type of the institution (inactive ones too), in order. */
  async list(institutionId: number, db?: Db): Promise<DocumentType[]> {
    // a transaction's caller has seeded already (the embedded database has one connection)
    if (!db) await this.ensureSeeded(institutionId);
    const rows = await (db ?? this.db.knex)('mobility_document_types').where({ institution_id: institutionId }).orderBy(['position', 'code']);
    return rows.map(toType);
  }

  /** What is wrong with a form (`existing`: the type being edited, whose code cannot change). */
  problems(input: DocumentTypeInput, existing: DocumentType | null, all: DocumentType[]): TypeProblems {
    const p: TypeProblems = {};
    if (!existing) {
      if (!input.code) p.code = 'required';
      else if (!CODE.test(input.code)) p.code = 'format';
      else if (all.some((t) => t.code === input.code)) p.code = 'taken';
    }
    if (!input.labelFr.trim()) p.labelFr = 'required';
    else if (input.labelFr.length > 200) p.labelFr = 'long';
    if (!input.labelEn.trim()) p.labelEn = 'required';
    else if (input.labelEn.length > 200) p.labelEn = 'long';
    if (!input.maxMb.trim()) p.maxMb = 'required';
    else if (parseMegabytes(input.maxMb) === null) p.maxMb = 'range';
    if (!input.mediaTypes.length) p.mediaTypes = 'required';
    else if (input.mediaTypes.some((m) => !(KNOWN_MEDIA_TYPES as readonly string[]).includes(m))) p.mediaTypes = 'format';
    return p;
  }

  /**
   * Create a type, or update `existing` as it was at `expectedVersion` (another edit since then is
   * a CONFLICT). The caller checked {@link problems} first; they are checked again here. Audited.
   */
  async save(actor: AuditActor & { institutionId: number }, input: DocumentTypeInput, existing: { code: string; expectedVersion: number } | null): Promise<DocumentType> {
    const inst = actor.institutionId;
    return this.db.knex.transaction(async (trx) => {
      const all = await this.list(inst, trx);
      const current = existing ? all.find((t) => t.code === existing.code) ?? null : null;
      if (existing && !current) throw new SmileError(ErrorCodes.NOT_FOUND, `no document type "${existing.code}"`, { status: 404 });
      if (existing && current!.version !== existing.expectedVersion) {
        throw new SmileError(ErrorCodes.CONFLICT, 'this document type was changed meanwhile: reload the page to see the changes', { status: 409 });
      }
      const problems = this.problems(input, current, all);
      if (Object.keys(problems).length) throw new SmileError(ErrorCodes.VALIDATION, `invalid document type: ${JSON.stringify(problems)}`, { status: 422 });
      const values = {
        label_fr: input.labelFr.trim(), label_en: input.labelEn.trim(), max_bytes: parseMegabytes(input.maxMb)!,
        media_types: KNOWN_MEDIA_TYPES.filter((m) => input.mediaTypes.includes(m)), active: input.active, updated_at: new Date(),
      };
      let row: any;
      if (current) {
        [row] = await trx('mobility_document_types').where({ id: current.id, version: current.version }).update({ ...values, version: current.version + 1 }).returning('*');
      } else {
        const position = all.reduce((m, t) => Math.max(m, t.position), -1) + 1;
        try {
          [row] = await trx('mobility_document_types').insert({ ...values, institution_id: inst, code: input.code, position }).returning('*');
        } catch (e) {
          throw new SmileError(ErrorCodes.CONFLICT, `a document type "${input.code}" was created meanwhile`, { status: 409, cause: e });
        }
      }
      const after = toType(row);
      await this.audit.record(actor, {
        action: `mobility.document-type.${current ? 'update' : 'create'}`, targetType: 'mobility_document_type', targetId: after.id,
        before: current ? { label: current.label, maxBytes: current.maxBytes, mediaTypes: current.mediaTypes, active: current.active } : null,
        after: { code: after.code, label: after.label, maxBytes: after.maxBytes, mediaTypes: after.mediaTypes, active: after.active },
      }, { trx });
      return after;
    });
  }
}
