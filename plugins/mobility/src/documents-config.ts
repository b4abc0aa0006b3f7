/**
 * `/mobility/config/document-types`: the institution's document types, a form to add one, and an
 * edit form per type (labels, size limit, formats, active). Errors in place; an edit made on an
 * older version is refused and the form keeps what was typed.
 * @packageDocumentation
 */
import { ErrorCodes, SmileError, formField, formFields, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { KNOWN_MEDIA_TYPES, MEDIA_LABELS, megabytes } from './documents-content.js';
import type { DocumentType, DocumentTypeInput, TypeProblems } from './documents-types.js';
import { docsOf } from './documents-view.js';
import { pick, renderWithStatus, statusOf, type Ctx, type Lang } from './manager-common.js';
import { PERMISSIONS } from './permissions.js';

export const DOCUMENT_TYPES_PATH = '/mobility/config/document-types';

const mbText = (bytes: number, lang: Lang): string =>
  new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2, useGrouping: false }).format(bytes / 1024 / 1024);

function inputOf(ctx: Ctx, code: string): DocumentTypeInput {
  return {
    code,
    labelFr: formField(ctx.body, 'labelFr'),
    labelEn: formField(ctx.body, 'labelEn'),
    maxMb: formField(ctx.body, 'maxMb'),
    mediaTypes: formFields(ctx.body, 'mediaTypes'),
    active: formField(ctx.body, 'active') === 'on',
  };
}

const valuesOf = (ctx: Ctx, t: DocumentType): DocumentTypeInput => ({
  code: t.code, labelFr: t.label.fr, labelEn: t.label.en, maxMb: mbText(t.maxBytes, ctx.language as Lang), mediaTypes: t.mediaTypes, active: t.active,
});

interface FormState {
  /** `null`: the creation form. */
  editing: DocumentType | null;
  values: DocumentTypeInput;
  version: number | null;
  problems: TypeProblems;
  error: string | null;
}

async function show(ctx: Ctx, state: FormState, status = 200): Promise<void> {
  const lang = ctx.language as Lang;
  const types = await docsOf(ctx).types.list(ctx.institution.id);
  const problems = Object.fromEntries(Object.entries(state.problems).map(([k, v]) => [k, ctx.t(`mobility:documents.types.problems.${v}`)]));
  await renderWithStatus(ctx, status, 'mobility/documents-types', {
    title: state.editing ? ctx.t('mobility:documents.types.editTitle', { label: pick(lang, state.editing.label) }) : ctx.t('mobility:documents.types.title'),
    types: types.map((t) => ({
      code: t.code, label: pick(lang, t.label), max: megabytes(t.maxBytes, lang), formats: t.mediaTypes.map((m) => MEDIA_LABELS[m]).join(', '),
      active: t.active, href: `${DOCUMENT_TYPES_PATH}/${t.code}`,
    })),
    editing: state.editing ? { code: state.editing.code, label: pick(lang, state.editing.label) } : null,
    action: state.editing ? `${DOCUMENT_TYPES_PATH}/${state.editing.code}` : DOCUMENT_TYPES_PATH,
    values: state.values, version: state.version, problems, error: state.error,
    mediaOptions: KNOWN_MEDIA_TYPES.map((m) => ({ value: m, label: MEDIA_LABELS[m] })),
  });
}

const blank = (): DocumentTypeInput => ({ code: '', labelFr: '', labelEn: '', maxMb: '10', mediaTypes: [...KNOWN_MEDIA_TYPES], active: true });

async function typeOf(ctx: Ctx): Promise<DocumentType> {
  const code = String(ctx.params.code ?? '');
  const type = (await docsOf(ctx).types.list(ctx.institution.id)).find((t) => t.code === code);
  if (!type) throw new SmileError(ErrorCodes.NOT_FOUND, ctx.t('mobility:documents.errors.notFound'), { status: 404 });
  return type;
}

export function registerDocumentTypeRoutes(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: DOCUMENT_TYPES_PATH,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      await show(ctx, { editing: null, values: blank(), version: null, problems: {}, error: null });
    },
  });

  r.route({
    method: 'POST',
    path: DOCUMENT_TYPES_PATH,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const types = docsOf(ctx).types;
      const input = inputOf(ctx, formField(ctx.body, 'code'));
      const problems = types.problems(input, null, await types.list(ctx.institution.id));
      if (Object.keys(problems).length) return show(ctx, { editing: null, values: input, version: null, problems, error: null }, 422);
      try {
        const saved = await types.save({ institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, label: ctx.principal.label, ip: ctx.koa.ip, requestId: ctx.requestId }, input, null);
        ctx.flash('success', ctx.t('mobility:documents.types.created', { label: pick(ctx.language as Lang, saved.label) }));
        return seeOther(ctx, DOCUMENT_TYPES_PATH);
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        return show(ctx, { editing: null, values: input, version: null, problems: { code: 'taken' }, error: null }, 409);
      }
    },
  });

  r.route({
    method: 'GET',
    path: `${DOCUMENT_TYPES_PATH}/:code`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const type = await typeOf(ctx);
      await show(ctx, { editing: type, values: valuesOf(ctx, type), version: type.version, problems: {}, error: null });
    },
  });

  r.route({
    method: 'POST',
    path: `${DOCUMENT_TYPES_PATH}/:code`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const type = await typeOf(ctx);
      const types = docsOf(ctx).types;
      const input = inputOf(ctx, type.code);
      const version = Number(formField(ctx.body, 'version'));
      const problems = types.problems(input, type, []);
      if (Object.keys(problems).length) return show(ctx, { editing: type, values: input, version: Number.isInteger(version) ? version : type.version, problems, error: null }, 422);
      try {
        const saved = await types.save(
          { institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, label: ctx.principal.label, ip: ctx.koa.ip, requestId: ctx.requestId },
          input, { code: type.code, expectedVersion: version },
        );
        ctx.flash('success', ctx.t('mobility:documents.types.saved', { label: pick(ctx.language as Lang, saved.label) }));
        return seeOther(ctx, DOCUMENT_TYPES_PATH);
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        // keep what was typed, on the version saved now: a second save is a deliberate overwrite
        const fresh = await typeOf(ctx);
        return show(ctx, { editing: fresh, values: input, version: fresh.version, problems: {}, error: ctx.t('mobility:documents.types.conflict') }, 409);
      }
    },
  });
}
