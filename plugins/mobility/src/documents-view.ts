/**
 * What the documents block shows, for the student on their own file and for the office: the
 * documents the current step requires and those already sent, each with its state, the decision's
 * comment, a download link, the upload or replace form, and the accept / refuse forms for managers.
 * The block is the same on the documents page and inside a file's page (`fileSections`).
 * @packageDocumentation
 */
import { ErrorCodes, SmileError } from '@smile/sdk';
import { MEDIA_LABELS, humanSize, megabytes } from './documents-content.js';
import { documentsService, type DocumentStore, type MobilityDocument } from './documents-store.js';
import type { DocumentType } from './documents-types.js';
import { fileInScope, inScope, pick, readScope, storeOf, type Ctx, type Lang } from './manager-common.js';
import { PERMISSIONS } from './permissions.js';
import { OPEN_STATUSES, type MobilityFile } from './types.js';

export type Audience = 'student' | 'manager';

/** Errors of one form of the block: field (`file`, `type`, `comment`, `form`) → message. */
export type FormErrors = Record<string, Record<string, string>>;

/** What a refused form keeps: the comment typed, the type chosen. */
export interface Typed {
  comment?: Record<string, string>;
  addType?: string;
}

export const docsOf = (ctx: Ctx): DocumentStore => ctx.resolve(documentsService);

/** The documents address of a file for an audience. */
export const docBase = (audience: Audience, fileId: number): string => (audience === 'student' ? `/mobility/me/${fileId}/documents` : `/mobility/files/${fileId}/documents`);

/** May the request's person manage (upload for, decide on) this file? */
export const canManage = (ctx: Ctx, file: MobilityFile): boolean => inScope(ctx.scopeOf(PERMISSIONS.manage), file.componentCode);

/** The file `id` for the audience, or a 404: the student's own file, or a file in the staff member's read scope. */
export async function fileFor(ctx: Ctx, audience: Audience, id: number): Promise<MobilityFile> {
  const file = await storeOf(ctx).file(ctx.institution.id, id);
  const ok = !!file && (audience === 'student'
    ? ctx.principal.personId != null && file.personId === ctx.principal.personId
    : fileInScope(readScope(ctx), file));
  if (!ok) throw new SmileError(ErrorCodes.NOT_FOUND, ctx.t('mobility:documents.errors.notFound'), { status: 404 });
  return file!;
}

/** "PDF, JPEG or PNG, 10 MB at most" for a type. */
export const typeHint = (ctx: Ctx, type: DocumentType): string =>
  ctx.t('mobility:documents.upload.hint', { formats: type.mediaTypes.map((m) => MEDIA_LABELS[m]).join(', '), max: megabytes(type.maxBytes, ctx.language as Lang) });

function docView(ctx: Ctx, base: string, d: MobilityDocument) {
  return {
    id: d.id, version: d.version, status: d.status, name: d.originalName, href: `${base}/${d.id}`,
    size: humanSize(d.sizeBytes, ctx.language as Lang), format: MEDIA_LABELS[d.mediaType] ?? d.mediaType,
    statusLabel: ctx.t(`mobility:documents.status.${d.status}`),
    uploadedBy: d.uploadedByLabel, uploadedAt: d.uploadedAt, decidedBy: d.decidedByLabel, decidedAt: d.decidedAt, comment: d.comment,
  };
}

/** The block's locals, all under `docs` so that they cannot clash with those of a page including it. */
export async function blockLocals(ctx: Ctx, file: MobilityFile, audience: Audience, opts: { errors?: FormErrors; typed?: Typed; returnTo?: string } = {}) {
  const lang = ctx.language as Lang;
  const docs = docsOf(ctx);
  const [types, all, process] = await Promise.all([
    docs.types.list(ctx.institution.id),
    docs.list(ctx.institution.id, file.id),
    storeOf(ctx).process(ctx.institution.id, file.processId),
  ]);
  const base = docBase(audience, file.id);
  const open = OPEN_STATUSES.has(file.status);
  const manager = audience === 'manager' && canManage(ctx, file);
  const step = process.steps.find((s) => s.key === file.currentStep);
  const required = new Set(open ? step?.requiredDocuments ?? [] : []);
  const codes = [...required, ...all.map((d) => d.typeCode).filter((c) => !required.has(c))];
  const rows = [...new Set(codes)].map((code) => {
    const type = types.find((t) => t.code === code);
    const versions = all.filter((d) => d.typeCode === code);
    const current = versions.find((d) => d.supersededAt === null) ?? null;
    const uploadable = open && !!type?.active && (audience === 'student' ? current?.status !== 'accepted' : manager);
    return {
      code, label: type ? pick(lang, type.label) : code, required: required.has(code),
      current: current ? docView(ctx, base, current) : null,
      history: versions.filter((d) => d !== current).map((d) => docView(ctx, base, d)),
      uploadable, hint: type ? typeHint(ctx, type) : '',
      accept: type ? type.mediaTypes.join(',') : '',
      decidable: manager && open && !!current,
    };
  });
  const addable = open && (audience === 'student' || manager) ? types.filter((t) => t.active && !rows.some((r) => r.code === t.code)) : [];
  const errors = opts.errors ?? {};
  return {
    docs: {
      audience, base, open, rows, errors, fileId: file.id,
      returnTo: opts.returnTo ?? base,
      stepLabel: step ? pick(lang, step.label) : '',
      add: addable.map((t) => ({ code: t.code, label: pick(lang, t.label), hint: typeHint(ctx, t) })),
      addType: opts.typed?.addType ?? '',
      comment: opts.typed?.comment ?? {},
      summary: Object.entries(errors).flatMap(([form, fields]) => Object.entries(fields).map(([field, message]) => ({ href: `#${fieldId(form, field)}`, message }))),
    },
  };
}

/** The HTML id of a field of a form of the block (forms: `type-<code>`, `add`, `decision-<id>`). */
export const fieldId = (form: string, field: string): string => `doc-${form}-${field}`;
