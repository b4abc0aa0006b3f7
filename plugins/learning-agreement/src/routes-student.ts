/**
 * The student's Learning Agreement page, `/mobility/me/:id/learning-agreement` (the file `:id`
 * must be the signed-in person's): the latest version, the form for Table B and the sending
 * coordinator (a new version while nobody signed), the signature, change proposals once signed,
 * the PDF in French and English, the history.
 * @packageDocumentation
 */
import { formField, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { mobilityService } from '@smile/plugin-mobility';
import type { MobilityFile } from '@smile/plugin-mobility';
import { paths } from './links.js';
import { currentComponents } from './store-build.js';
import { LA_ADD_REASONS, LA_DELETE_REASONS } from './model.js';
import {
  actorOf, agreementView, intParam, laOf, notFound, refusal, renderWithStatus, sendPdf, versionQuery, type Ctx,
} from './routes-common.js';
import { blankChange, CEFR_LEVELS, editValuesOf, parseChange, parseEdit, TERM_CODES, type ChangeValues, type EditValues, type FieldErrors } from './routes-forms.js';
import { PERMISSIONS, type StoredAgreement } from './store-types.js';

const BASE = '/mobility/me/:id/learning-agreement';

async function ownAgreement(ctx: Ctx): Promise<{ file: MobilityFile; agreement: StoredAgreement }> {
  const id = intParam(ctx);
  const personId = ctx.principal.personId;
  const file = personId ? await ctx.resolve(mobilityService).file(ctx.institution.id, id) : null;
  if (!file || file.personId !== personId) throw notFound(ctx);
  const agreement = await laOf(ctx).byFile(ctx.institution.id, file.id);
  if (!agreement) throw notFound(ctx);
  return { file, agreement };
}

interface Extra {
  error?: string | null;
  editValues?: EditValues;
  editErrors?: FieldErrors;
  changeValues?: ChangeValues;
  changeErrors?: FieldErrors;
  signValues?: { name: string; email: string };
  signErrors?: FieldErrors;
}

/** Everything the page shows; `extra` keeps what was typed in a refused form. */
function locals(ctx: Ctx, file: MobilityFile, a: StoredAgreement, extra: Extra = {}) {
  const view = agreementView(ctx, a);
  const latest = view.latest;
  const signed = [...a.versions].reverse().find((v) => v.status === 'signed') ?? null;
  const canEdit = latest.kind === 'first' && (latest.signatures.length === 0 || !!latest.refusal);
  const canPropose = !!signed && (latest === signed || !!latest.refusal || (latest.kind === 'change' && latest.signatures.length === 0));
  const base = `/mobility/me/${file.id}/learning-agreement`;
  return {
    ...view,
    title: ctx.t('learning-agreement:la.student.title'),
    file, base, canEdit, canPropose, signedVersion: signed,
    canSign: view.next === 'student',
    editValues: extra.editValues ?? editValuesOf(latest.document),
    editErrors: extra.editErrors ?? {},
    changeValues: extra.changeValues ?? blankChange(),
    changeErrors: extra.changeErrors ?? {},
    changeBase: signed ? signed.document : null,
    changeComponents: signed ? currentComponents(signed.document) : null,
    signValues: extra.signValues ?? { name: `${file.firstName} ${file.lastName}`, email: file.email ?? '' },
    signErrors: extra.signErrors ?? {},
    error: extra.error ?? null,
    cefrLevels: CEFR_LEVELS, termCodes: TERM_CODES, deleteReasons: LA_DELETE_REASONS, addReasons: LA_ADD_REASONS,
    backHref: `/mobility/me/${file.id}`,
  };
}

const VIEW = 'learning-agreement/student';

/** The summary of field errors, in the order of the form. */
const firstError = (ctx: Ctx, errors: FieldErrors) => (Object.keys(errors).length ? ctx.t('learning-agreement:la.form.errors.summary') : null);

export function registerStudent(r: RegisterApi<any>): void {
  r.route({
    method: 'GET', path: BASE, permission: PERMISSIONS.self,
    async handler(ctx) {
      const { file, agreement } = await ownAgreement(ctx);
      await ctx.render(VIEW, locals(ctx, file, agreement));
    },
  });

  r.route({
    method: 'GET', path: `${BASE}/pdf`, permission: PERMISSIONS.self,
    async handler(ctx) {
      const { agreement } = await ownAgreement(ctx);
      await sendPdf(ctx, agreement, versionQuery(ctx));
    },
  });

  r.route({
    method: 'POST', path: `${BASE}/edit`, permission: PERMISSIONS.self,
    async handler(ctx) {
      const { file, agreement } = await ownAgreement(ctx);
      const { values, errors, edit } = parseEdit(ctx.body);
      if (!edit) return renderWithStatus(ctx, 422, VIEW, locals(ctx, file, agreement, { editValues: values, editErrors: errors, error: firstError(ctx, errors) }));
      try {
        const n = await laOf(ctx).editFirst(actorOf(ctx), agreement.id, { versionNumber: Number(formField(ctx.body, 'version')), edit });
        ctx.flash('success', ctx.t('learning-agreement:la.student.saved', { version: n }));
        return seeOther(ctx, paths.student(file.id));
      } catch (e) {
        const x = refusal(ctx, e);
        const fresh = (await laOf(ctx).byId(ctx.institution.id, agreement.id))!;
        return renderWithStatus(ctx, x.status, VIEW, locals(ctx, file, fresh, { editValues: values, error: x.message }));
      }
    },
  });

  r.route({
    method: 'POST', path: `${BASE}/sign`, permission: PERMISSIONS.self,
    async handler(ctx) {
      const { file, agreement } = await ownAgreement(ctx);
      const signValues = { name: formField(ctx.body, 'name'), email: formField(ctx.body, 'email') };
      try {
        await laOf(ctx).sign(actorOf(ctx), agreement.id, { via: 'person', party: 'student' }, {
          versionNumber: Number(formField(ctx.body, 'version')), hash: formField(ctx.body, 'hash') || undefined,
          name: signValues.name, email: signValues.email, ip: ctx.koa.ip,
        });
        ctx.flash('success', ctx.t('learning-agreement:la.signed'));
        return seeOther(ctx, paths.student(file.id));
      } catch (e) {
        const x = refusal(ctx, e);
        const fresh = (await laOf(ctx).byId(ctx.institution.id, agreement.id))!;
        const signErrors: FieldErrors = x.field === 'name' || x.field === 'email' ? { [`sign-${x.field}`]: x.field === 'email' ? 'email' : 'required' } : {};
        return renderWithStatus(ctx, x.status, VIEW, locals(ctx, file, fresh, { signValues, signErrors, error: x.message }));
      }
    },
  });

  r.route({
    method: 'POST', path: `${BASE}/change`, permission: PERMISSIONS.self,
    async handler(ctx) {
      const { file, agreement } = await ownAgreement(ctx);
      const signed = [...agreement.versions].reverse().find((v) => v.status === 'signed');
      if (!signed) {
        return renderWithStatus(ctx, 409, VIEW, locals(ctx, file, agreement, { error: ctx.t('learning-agreement:la.errors.noSignedVersion') }));
      }
      const { values, errors, items } = parseChange(ctx.body, signed.document);
      if (Object.keys(errors).length) {
        return renderWithStatus(ctx, 422, VIEW, locals(ctx, file, agreement, { changeValues: values, changeErrors: errors, error: firstError(ctx, errors) }));
      }
      try {
        const n = await laOf(ctx).proposeChange(actorOf(ctx), agreement.id, { versionNumber: Number(formField(ctx.body, 'version')), items });
        ctx.flash('success', ctx.t('learning-agreement:la.student.proposed', { version: n }));
        return seeOther(ctx, paths.student(file.id));
      } catch (e) {
        const x = refusal(ctx, e);
        const fresh = (await laOf(ctx).byId(ctx.institution.id, agreement.id))!;
        return renderWithStatus(ctx, x.status, VIEW, locals(ctx, file, fresh, { changeValues: values, error: x.message }));
      }
    },
  });
}
