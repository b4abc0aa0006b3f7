/**
 * The documents pages: the student on their own file (`/mobility/me/:id/documents`) and the office
 * on files in its scope (`/mobility/files/:id/documents`) see the block, upload or replace a
 * document (multipart, checked before anything is stored), download one; managers accept or refuse.
 * A refused form comes back on the documents page with the error next to its field.
 * @packageDocumentation
 */
import { coreServices, formField, formFile, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { attachmentDisposition, megabytes } from './documents-content.js';
import { DocumentRefusal, type DocumentActor } from './documents-store.js';
import { blockLocals, canManage, docBase, docsOf, fileFor, type Audience, type FormErrors, type Typed } from './documents-view.js';
import { idParam, notFound, renderWithStatus, type Ctx, type Lang } from './manager-common.js';
import { PERMISSIONS } from './permissions.js';
import { storageFor, type DocumentStorage } from './storage.js';
import type { MobilityFile } from './types.js';

/** A site-relative path under /mobility to come back to after a form, else `fallback`. */
function safeReturn(raw: string, fallback: string): string {
  return /^\/mobility\/[A-Za-z0-9/_-]{0,200}$/.test(raw) && !raw.includes('//') ? raw : fallback;
}

const actorOf = (ctx: Ctx): DocumentActor => ({
  institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, label: ctx.principal.label, ip: ctx.koa.ip, requestId: ctx.requestId,
});

async function page(ctx: Ctx, file: MobilityFile, audience: Audience, status = 200, errors: FormErrors = {}, typed: Typed = {}) {
  const locals = await blockLocals(ctx, file, audience, { errors, typed });
  const name = `${file.firstName} ${file.lastName}`;
  await renderWithStatus(ctx, status, 'mobility/documents-page', {
    ...locals,
    title: audience === 'student' ? ctx.t('mobility:documents.page.mine') : ctx.t('mobility:documents.page.title', { name }),
    back: audience === 'student' ? null : `/mobility/files/${file.id}`,
  });
}

/** A refusal's message in the reader's language. */
function refusalMessage(ctx: Ctx, e: DocumentRefusal): string {
  const vars: Record<string, string | number> = { ...e.vars };
  if (e.reason === 'tooBig') vars.max = megabytes(Number(e.vars.max), ctx.language as Lang);
  if (e.reason === 'decidedMeanwhile' || e.reason === 'changedMeanwhile') vars.status = ctx.t(`mobility:documents.meanwhile.${e.vars.status}`);
  return ctx.t(`mobility:documents.errors.${e.reason}`, vars);
}

/** The form a field error belongs to, and the field. */
function errorsFor(form: string, field: string, message: string): FormErrors {
  return { [form]: { [field]: message } };
}

export function registerDocumentRoutes(r: RegisterApi<any>): void {
  const storage = (ctx: Ctx): DocumentStorage => storageFor(r.settingsFor(ctx.institution), ctx.resolve(coreServices.config).dataDir);

  for (const audience of ['student', 'manager'] as const) {
    const prefix = audience === 'student' ? '/mobility/me/:id/documents' : '/mobility/files/:id/documents';
    const read = audience === 'student' ? PERMISSIONS.self : PERMISSIONS.read;
    const write = audience === 'student' ? PERMISSIONS.self : PERMISSIONS.manage;

    r.route({
      method: 'GET',
      path: prefix,
      permission: read,
      async handler(ctx) {
        await page(ctx, await fileFor(ctx, audience, idParam(ctx)), audience);
      },
    });

    r.route({
      method: 'POST',
      path: prefix,
      permission: write,
      async handler(ctx) {
        const file = await fileFor(ctx, audience, idParam(ctx));
        if (audience === 'manager' && !canManage(ctx, file)) throw notFound(ctx);
        const fromAdd = formField(ctx.body, 'form') === 'add';
        const typeCode = formField(ctx.body, 'type');
        const form = fromAdd ? 'add' : `type-${typeCode.replace(/[^a-z0-9-]/g, '')}`;
        const typed: Typed = { addType: fromAdd ? typeCode : '' };
        const upload = formFile(ctx.body, 'file');
        if (!upload) return page(ctx, file, audience, 422, errorsFor(form, 'file', ctx.t('mobility:documents.errors.noFile')), typed);
        const rawCurrent = formField(ctx.body, 'current');
        const rawVersion = formField(ctx.body, 'version');
        const expectedCurrent = fromAdd && !rawCurrent
          ? { id: null, version: null }
          : /^\d{1,10}$/.test(rawCurrent) ? { id: Number(rawCurrent), version: /^\d{1,10}$/.test(rawVersion) ? Number(rawVersion) : null } : rawCurrent === '' ? { id: null, version: null } : undefined;
        try {
          const doc = await docsOf(ctx).upload(actorOf(ctx), file, { typeCode, name: upload.filename, data: upload.data, expectedCurrent }, { byStudent: audience === 'student', storage: storage(ctx) });
          ctx.flash('success', ctx.t('mobility:documents.upload.done', { name: doc.originalName }));
          return seeOther(ctx, `${safeReturn(formField(ctx.body, 'return'), docBase(audience, file.id))}#documents`);
        } catch (e) {
          if (!(e instanceof DocumentRefusal)) throw e;
          ctx.log.info({ file: file.id, type: typeCode, reason: e.reason }, 'document upload refused');
          const field = e.key === 'file' ? 'file' : e.key === 'type' && fromAdd ? 'type' : 'form';
          return page(ctx, file, audience, e.status, errorsFor(form, field, refusalMessage(ctx, e)), typed);
        }
      },
    });

    r.route({
      method: 'GET',
      path: `${prefix}/:docId`,
      permission: read,
      async handler(ctx) {
        const file = await fileFor(ctx, audience, idParam(ctx));
        const raw = String(ctx.params.docId ?? '');
        const doc = /^[1-9]\d{0,9}$/.test(raw) ? await docsOf(ctx).get(ctx.institution.id, file.id, Number(raw)) : null;
        const data = doc ? await docsOf(ctx).content(doc, storage(ctx)) : null;
        if (!doc || !data) throw notFound(ctx);
        ctx.koa.set('Content-Type', doc.mediaType);
        ctx.koa.set('Content-Disposition', attachmentDisposition(doc.originalName));
        ctx.koa.set('X-Content-Type-Options', 'nosniff');
        ctx.koa.set('Cache-Control', 'private, no-store');
        ctx.koa.body = data;
      },
    });
  }

  r.route({
    method: 'POST',
    path: '/mobility/files/:id/documents/:docId/decision',
    permission: PERMISSIONS.manage,
    async handler(ctx) {
      const file = await fileFor(ctx, 'manager', idParam(ctx));
      if (!canManage(ctx, file)) throw notFound(ctx);
      const raw = String(ctx.params.docId ?? '');
      if (!/^[1-9]\d{0,9}$/.test(raw)) throw notFound(ctx);
      const docId = Number(raw);
      const form = `decision-${docId}`;
      const decision = formField(ctx.body, 'decision');
      const comment = formField(ctx.body, 'comment', true).slice(0, 5000);
      const version = Number(formField(ctx.body, 'version'));
      const typed: Typed = { comment: { [docId]: comment } };
      if ((decision !== 'accept' && decision !== 'refuse') || !Number.isInteger(version)) {
        return page(ctx, file, 'manager', 400, errorsFor(form, 'form', ctx.t('mobility:documents.errors.badDecision')), typed);
      }
      try {
        const doc = await docsOf(ctx).decide(actorOf(ctx), file.id, docId, { decision, comment, version });
        ctx.flash('success', ctx.t(`mobility:documents.decision.${doc.status}`, { name: doc.originalName }));
        return seeOther(ctx, `${safeReturn(formField(ctx.body, 'return'), docBase('manager', file.id))}#documents`);
      } catch (e) {
        if (!(e instanceof DocumentRefusal)) throw e;
        if (e.status === 404) throw notFound(ctx);
        return page(ctx, file, 'manager', e.status, errorsFor(form, e.key === 'comment' ? 'comment' : 'form', refusalMessage(ctx, e)), typed);
      }
    },
  });
}
