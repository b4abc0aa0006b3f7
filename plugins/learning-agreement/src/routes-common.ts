/**
 * What the pages share: the service of a request, the actor, a refused action as a message in the
 * user's language, ids from the URL, the view model of an agreement, and downloads.
 * @packageDocumentation
 */
import { createServiceRef, ErrorCodes, SmileError } from '@smile/sdk';
import type { RequestContext } from '@smile/sdk';
import type { LaCircuit } from './circuit.js';
import { currentComponents, missingForSigning } from './store-build.js';
import { nextParty } from './store.js';
import { LaError, type LaActor, type StoredAgreement } from './store-types.js';
import { laToEwpXml, ewpProblems } from './ewp-xml.js';
import { renderLaPdf } from './pdf.js';
import type { LaParty } from './model.js';

export type Ctx = RequestContext<any, any, any>;
export type Lang = 'fr' | 'en';

/** The Learning Agreement service (store and circuit). */
export const laService = createServiceRef<LaCircuit>({ id: 'learning-agreement.service' });

export const laOf = (ctx: Ctx): LaCircuit => ctx.resolve(laService);

/** The actor of a request, with where it came from (audit). */
export const actorOf = (ctx: Ctx, label?: string): LaActor => ({
  institutionId: ctx.institution.id, personId: ctx.principal.personId ?? null, label: label ?? ctx.principal.label,
  ip: ctx.koa.ip ?? null, requestId: ctx.requestId,
});

export const notFound = (ctx: Ctx): SmileError => new SmileError(ErrorCodes.NOT_FOUND, ctx.t('learning-agreement:la.errors.notFound'), { status: 404 });

/** A positive integer from the URL, or a 404. */
export function intParam(ctx: Ctx, name = 'id'): number {
  const raw = String(ctx.params[name] ?? '');
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw notFound(ctx);
  return Number(raw);
}

/** The message of a refused action in the user's language; anything else is rethrown. */
export function refusal(ctx: Ctx, e: unknown): { status: number; message: string; field?: string } {
  if (!(e instanceof LaError)) throw e;
  const missing = (e.details.missing ?? []).map((m) => ctx.t(`learning-agreement:la.missing.${m}`)).join(', ');
  return { status: e.status, message: ctx.t(`learning-agreement:la.errors.${e.reason}`, { missing }), field: e.details.field };
}

/** Render a view, then set a status other than 200. */
export async function renderWithStatus(ctx: Ctx, status: number, view: string, locals: Record<string, unknown>): Promise<void> {
  await ctx.render(view, locals);
  ctx.koa.status = status;
}

const TERMS: Record<string, string> = { '1/2': 'S1', '2/2': 'S2', '1/1': 'Y' };
/** A term as the forms and pages show it. */
export const termCode = (t: { number: number; total: number } | undefined): string => (t ? TERMS[`${t.number}/${t.total}`] ?? `${t.number}/${t.total}` : '');

/** What every agreement page shows: the latest version, its signers, the history. */
export function agreementView(ctx: Ctx, a: StoredAgreement) {
  const svc = laOf(ctx);
  const order = svc.order(ctx.institution);
  const latest = a.versions.at(-1)!;
  const next = latest.refusal ? null : nextParty(order, latest.signatures);
  const doc = latest.document;
  const lastRefusal = [...a.versions].reverse().find((v) => v.refusal)?.refusal ?? null;
  return {
    agreement: a,
    latest,
    doc,
    current: currentComponents(doc),
    order,
    next,
    missing: missingForSigning(doc).map((m) => ctx.t(`learning-agreement:la.missing.${m}`)),
    refusal: latest.refusal ?? (a.state === 'refused' ? lastRefusal : null),
    partyLabel: (p: LaParty) => ctx.t(`learning-agreement:la.party.${p}`),
    stateLabel: ctx.t(`learning-agreement:la.state.${a.state}`),
    versions: [...a.versions].reverse(),
    termCode,
  };
}

/** Send a PDF of a version, named after the student and the version. */
export async function sendPdf(ctx: Ctx, a: StoredAgreement, versionNumber?: number): Promise<void> {
  const lang: Lang = ctx.query.lang === 'fr' || ctx.query.lang === 'en' ? ctx.query.lang : ctx.language;
  const n = versionNumber ?? a.latestVersion;
  if (!a.versions.some((v) => v.number === n)) throw notFound(ctx);
  const pdf = await renderLaPdf(laOf(ctx).fullDocument(a, n), lang);
  ctx.koa.set('Content-Disposition', `attachment; filename="learning-agreement-${a.id}-v${n}-${lang}.pdf"`);
  ctx.koa.type = 'application/pdf';
  ctx.koa.body = pdf;
}

/** The version asked for with `?version=`, or the latest. */
export function versionQuery(ctx: Ctx): number | undefined {
  const v = String(ctx.query.version ?? '');
  return /^[1-9][0-9]{0,5}$/.test(v) ? Number(v) : undefined;
}

/** The EWP XML of an agreement, or the reasons it cannot be published (422). */
export function ewpXml(ctx: Ctx, a: StoredAgreement): { xml: string } | { problems: string[] } {
  const doc = laOf(ctx).fullDocument(a);
  const problems = ewpProblems(doc);
  return problems.length ? { problems } : { xml: laToEwpXml([doc]) };
}
