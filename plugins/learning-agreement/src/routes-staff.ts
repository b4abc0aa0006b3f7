/**
 * The staff's Learning Agreement page, `/learning-agreements/:id`, reached from the file's page:
 * the latest version and its history, downloads (PDF in French and English, EWP XML, scans), the
 * receiving institution's signature or refusal (any holder of the sign privilege, for the
 * institution), a signature given on paper with its scan, a new signing link for the sending side.
 * @packageDocumentation
 */
import { formField, formFile, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { paths } from './links.js';
import { LA_PARTIES, type LaParty } from './model.js';
import {
  actorOf, agreementView, ewpXml, intParam, laOf, notFound, refusal, renderWithStatus, sendPdf, versionQuery, type Ctx,
} from './routes-common.js';
import type { FieldErrors } from './routes-forms.js';
import { PERMISSIONS, type StoredAgreement } from './store-types.js';

const BASE = '/learning-agreements/:id';
const VIEW = 'learning-agreement/staff';
/** Scans are kept in the database: a limit well above a scanned A4 page set. */
export const MAX_SCAN_BYTES = 10 * 1024 * 1024;

const inScope = (scope: 'all' | string[], code: string | null) => scope === 'all' || (!!code && scope.includes(code));

async function staffAgreement(ctx: Ctx): Promise<{ agreement: StoredAgreement; component: string | null }> {
  const svc = laOf(ctx);
  const agreement = await svc.byId(ctx.institution.id, intParam(ctx));
  if (!agreement) throw notFound(ctx);
  const component = await svc.componentOf(ctx.institution.id, agreement.fileId);
  const scopes = [PERMISSIONS.read, PERMISSIONS.sign, PERMISSIONS.manage].map((p) => ctx.scopeOf(p));
  if (!scopes.some((s) => inScope(s, component))) throw notFound(ctx);
  return { agreement, component };
}

interface Extra {
  error?: string | null;
  sign?: { name: string; position: string; email: string; errors: FieldErrors };
  refuse?: { comment: string; errors: FieldErrors };
  paper?: { party: string; name: string; position: string; email: string; date: string; errors: FieldErrors };
}

function locals(ctx: Ctx, a: StoredAgreement, component: string | null, extra: Extra = {}) {
  const view = agreementView(ctx, a);
  const unsigned = view.latest.refusal || view.latest.status === 'signed' ? [] : LA_PARTIES.filter((p) => !view.latest.signatures.some((s) => s.party === p));
  return {
    ...view,
    title: ctx.t('learning-agreement:la.staff.title', { name: `${view.doc.student.givenNames} ${view.doc.student.familyName}` }),
    base: paths.staff(a.id),
    fileHref: `/mobility/files/${a.fileId}`,
    mayRead: ctx.can(PERMISSIONS.read, { component }),
    maySign: view.next === 'receiving' && ctx.can(PERMISSIONS.sign, { component }),
    mayManage: ctx.can(PERMISSIONS.manage, { component }),
    unsigned,
    sign: extra.sign ?? { name: ctx.principal.label, position: '', email: '', errors: {} },
    refuse: extra.refuse ?? { comment: '', errors: {} },
    paper: extra.paper ?? { party: unsigned[0] ?? '', name: '', position: '', email: '', date: '', errors: {} },
    error: extra.error ?? null,
    maxScanMb: MAX_SCAN_BYTES / 1024 / 1024,
  };
}

/** The media type a scan's first bytes show (PDF, JPEG, PNG), or `null`. */
export function sniffScan(data: Buffer): string | null {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

const fieldError = (field: string | undefined, prefix: string): FieldErrors =>
  field === 'name' || field === 'email' || field === 'comment' ? { [`${prefix}-${field}`]: field === 'email' ? 'email' : 'required' } : {};

export function registerStaff(r: RegisterApi<any>): void {
  r.route({
    method: 'GET', path: BASE, permission: PERMISSIONS.read,
    async handler(ctx) {
      const { agreement, component } = await staffAgreement(ctx);
      await ctx.render(VIEW, locals(ctx, agreement, component));
    },
  });

  r.route({
    method: 'GET', path: `${BASE}/pdf`, permission: PERMISSIONS.read,
    async handler(ctx) {
      const { agreement } = await staffAgreement(ctx);
      await sendPdf(ctx, agreement, versionQuery(ctx));
    },
  });

  r.route({
    method: 'GET', path: `${BASE}/xml`, permission: PERMISSIONS.read,
    async handler(ctx) {
      const { agreement, component } = await staffAgreement(ctx);
      const out = ewpXml(ctx, agreement);
      if ('problems' in out) {
        return renderWithStatus(ctx, 422, VIEW, locals(ctx, agreement, component, { error: ctx.t('learning-agreement:la.errors.ewp', { problems: out.problems.join('; ') }) }));
      }
      ctx.koa.set('Content-Disposition', `attachment; filename="learning-agreement-${agreement.id}.xml"`);
      ctx.koa.type = 'application/xml';
      ctx.koa.body = out.xml;
    },
  });

  r.route({
    method: 'GET', path: `${BASE}/scans/:scan`, permission: PERMISSIONS.read,
    async handler(ctx) {
      const { agreement } = await staffAgreement(ctx);
      const scan = await laOf(ctx).scan(ctx.institution.id, agreement.id, intParam(ctx, 'scan'));
      if (!scan) throw notFound(ctx);
      ctx.koa.set('Content-Disposition', `attachment; filename="scan-${agreement.id}-${intParam(ctx, 'scan')}"`);
      ctx.koa.set('X-Content-Type-Options', 'nosniff');
      ctx.koa.type = scan.mediaType;
      ctx.koa.body = scan.data;
    },
  });

  r.route({
    method: 'POST', path: `${BASE}/sign`, permission: PERMISSIONS.sign,
    async handler(ctx) {
      const { agreement, component } = await staffAgreement(ctx);
      const v = { name: formField(ctx.body, 'name'), position: formField(ctx.body, 'position'), email: formField(ctx.body, 'email') };
      if (!ctx.can(PERMISSIONS.sign, { component })) throw notFound(ctx);
      try {
        await laOf(ctx).sign(actorOf(ctx), agreement.id, { via: 'person', party: 'receiving' }, {
          versionNumber: Number(formField(ctx.body, 'version')), hash: formField(ctx.body, 'hash') || undefined, ...v, ip: ctx.koa.ip,
        });
        ctx.flash('success', ctx.t('learning-agreement:la.signed'));
        return seeOther(ctx, paths.staff(agreement.id));
      } catch (e) {
        const x = refusal(ctx, e);
        const fresh = (await laOf(ctx).byId(ctx.institution.id, agreement.id))!;
        return renderWithStatus(ctx, x.status, VIEW, locals(ctx, fresh, component, { error: x.message, sign: { ...v, errors: fieldError(x.field, 'sign') } }));
      }
    },
  });

  r.route({
    method: 'POST', path: `${BASE}/refuse`, permission: PERMISSIONS.sign,
    async handler(ctx) {
      const { agreement, component } = await staffAgreement(ctx);
      if (!ctx.can(PERMISSIONS.sign, { component })) throw notFound(ctx);
      const comment = formField(ctx.body, 'comment', true).trim().slice(0, 5000);
      try {
        await laOf(ctx).refuse(actorOf(ctx), agreement.id, { via: 'person', party: 'receiving' }, {
          versionNumber: Number(formField(ctx.body, 'version')), hash: formField(ctx.body, 'hash') || undefined, comment, name: ctx.principal.label, ip: ctx.koa.ip,
        });
        ctx.flash('success', ctx.t('learning-agreement:la.refusedDone'));
        return seeOther(ctx, paths.staff(agreement.id));
      } catch (e) {
        const x = refusal(ctx, e);
        const fresh = (await laOf(ctx).byId(ctx.institution.id, agreement.id))!;
        return renderWithStatus(ctx, x.status, VIEW, locals(ctx, fresh, component, { error: x.message, refuse: { comment, errors: fieldError(x.field, 'refuse') } }));
      }
    },
  });

  r.route({
    method: 'POST', path: `${BASE}/paper`, permission: PERMISSIONS.manage,
    async handler(ctx) {
      const { agreement, component } = await staffAgreement(ctx);
      if (!ctx.can(PERMISSIONS.manage, { component })) throw notFound(ctx);
      const f = (n: string) => formField(ctx.body, n);
      const paper = { party: f('party'), name: f('name'), position: f('position'), email: f('email'), date: f('date'), errors: {} as FieldErrors };
      const file = formFile(ctx.body, 'scan');
      const mediaType = file && file.data.length > 0 ? sniffScan(file.data) : null;
      if (!(LA_PARTIES as readonly string[]).includes(paper.party)) paper.errors['paper-party'] = 'required';
      if (!paper.name) paper.errors['paper-name'] = 'required';
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(paper.email)) paper.errors['paper-email'] = 'email';
      const signedAt = paper.date ? new Date(`${paper.date}T12:00:00Z`) : null;
      if (paper.date && (!/^\d{4}-\d{2}-\d{2}$/.test(paper.date) || Number.isNaN(signedAt!.getTime()) || signedAt!.getTime() > Date.now() + 86_400_000)) paper.errors['paper-date'] = 'date';
      if (!file || file.data.length === 0) paper.errors['paper-scan'] = 'scan';
      else if (file.data.length > MAX_SCAN_BYTES) paper.errors['paper-scan'] = 'scanSize';
      else if (!mediaType) paper.errors['paper-scan'] = 'scanType';
      if (Object.keys(paper.errors).length) {
        return renderWithStatus(ctx, 422, VIEW, locals(ctx, agreement, component, { paper, error: ctx.t('learning-agreement:la.form.errors.summary') }));
      }
      try {
        await laOf(ctx).sign(actorOf(ctx), agreement.id, { via: 'paper', party: paper.party as LaParty, scan: { filename: file!.filename, mediaType: mediaType!, data: file!.data }, signedAt }, {
          versionNumber: Number(f('version')), hash: f('hash') || undefined, name: paper.name, position: paper.position, email: paper.email,
        });
        ctx.flash('success', ctx.t('learning-agreement:la.staff.paperRecorded'));
        return seeOther(ctx, paths.staff(agreement.id));
      } catch (e) {
        const x = refusal(ctx, e);
        const fresh = (await laOf(ctx).byId(ctx.institution.id, agreement.id))!;
        return renderWithStatus(ctx, x.status, VIEW, locals(ctx, fresh, component, { error: x.message, paper }));
      }
    },
  });

  r.route({
    method: 'POST', path: `${BASE}/resend-link`, permission: PERMISSIONS.manage,
    async handler(ctx) {
      const { agreement, component } = await staffAgreement(ctx);
      if (!ctx.can(PERMISSIONS.manage, { component })) throw notFound(ctx);
      try {
        await laOf(ctx).resendLink(actorOf(ctx), agreement.id, Number(formField(ctx.body, 'version')));
        ctx.flash('success', ctx.t('learning-agreement:la.staff.linkSent'));
        return seeOther(ctx, paths.staff(agreement.id));
      } catch (e) {
        const x = refusal(ctx, e);
        const fresh = (await laOf(ctx).byId(ctx.institution.id, agreement.id))!;
        return renderWithStatus(ctx, x.status, VIEW, locals(ctx, fresh, component, { error: x.message }));
      }
    },
  });
}
