/**
 * JSON API (API token or session): the list of Learning Agreements (filter by state and academic
 * year), one agreement with its versions and signatures, and its documents — the PDF and the EWP
 * `omobility-las-get-response` XML. The documents are served through `r.api` too: the response
 * schema accepts the bytes and the handler sets the content type (the core router then sends them
 * as they are), so they share the permission, the tenant check and the OpenAPI listing.
 * @packageDocumentation
 */
import { ErrorCodes, SmileError, z } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { LA_PARTIES } from './model.js';
import { ewpXml, laOf, type Ctx } from './routes-common.js';
import { renderLaPdf } from './pdf.js';
import { LA_STATES, PERMISSIONS, type StoredAgreement } from './store-types.js';

const idParams = z.object({ id: z.string().regex(/^[1-9][0-9]{0,9}$/, 'a positive whole number').transform(Number) });

const summary = z.object({
  id: z.number().int(),
  fileId: z.number().int(),
  omobilityId: z.string(),
  academicYear: z.number().int().describe('the year the academic year starts: 2026 for 2026-2027'),
  state: z.enum(LA_STATES).describe('of the latest version: draft (no signature yet), signing, refused (back to the student), signed (by every party)'),
  latestVersion: z.number().int(),
  student: z.object({ firstName: z.string(), lastName: z.string() }),
  home: z.object({ name: z.string().nullable(), schac: z.string().nullable() }),
  component: z.string().nullable(),
  updatedAt: z.string().describe('ISO 8601'),
});

const signature = z.object({
  party: z.enum(LA_PARTIES),
  name: z.string(),
  position: z.string().nullable(),
  email: z.string(),
  signedAt: z.string(),
  ip: z.string().nullable(),
  hashSigned: z.string().describe('SHA-256 of the canonical document of the version signed'),
  onPaper: z.boolean(),
  viaLink: z.boolean().describe('signed through an e-mailed signing link'),
});

const detail = summary.omit({ student: true, home: true, component: true }).extend({
  choiceMissing: z.boolean().describe('the approved course choice was not available when the first version was built'),
  createdAt: z.string(),
  versions: z.array(z.object({
    number: z.number().int(),
    kind: z.enum(['first', 'change']),
    status: z.enum(['pending', 'signed', 'refused', 'superseded']),
    hash: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    document: z.record(z.string(), z.unknown()).describe('the Learning Agreement document of this version (LaDocument, without signatures)'),
    signatures: z.array(signature),
    refusal: z.object({ party: z.enum(LA_PARTIES), name: z.string(), comment: z.string(), refusedAt: z.string() }).nullable(),
  })),
});

const binary = z.instanceof(Buffer).describe('the document itself (not JSON)');

const inScope = (scope: 'all' | string[], code: string | null) => scope === 'all' || (!!code && scope.includes(code));

async function agreementFor(ctx: Ctx, id: number): Promise<StoredAgreement> {
  const svc = laOf(ctx);
  const a = await svc.byId(ctx.institution.id, id);
  if (!a || !inScope(ctx.scopeOf(PERMISSIONS.read), await svc.componentOf(ctx.institution.id, a.fileId))) {
    throw new SmileError(ErrorCodes.NOT_FOUND, `no learning agreement ${id}`, { status: 404 });
  }
  return a;
}

export function registerApi(r: RegisterApi<any>): void {
  r.api({
    method: 'GET', path: '/learning-agreements', permission: PERMISSIONS.read,
    summary: 'Learning Agreements, newest first',
    description: 'Filter by `state` and academic `year`; a role limited to components sees the agreements of those components.',
    query: z.object({
      state: z.enum(LA_STATES).optional(),
      year: z.coerce.number().int().min(2000).max(2100).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    response: z.array(summary),
    async handler(ctx) {
      const list = await laOf(ctx).list(ctx.institution.id, { ...ctx.query, scope: ctx.scopeOf(PERMISSIONS.read) });
      return list.map((x) => ({ ...x, updatedAt: x.updatedAt.toISOString() }));
    },
  });

  // before `/:id`: the router tries routes in order, and `:id` would take "12.pdf"
  r.api({
    method: 'GET', path: '/learning-agreements/:id.pdf', permission: PERMISSIONS.read,
    summary: 'A Learning Agreement as a PDF (application/pdf)',
    description: 'The latest version, in French or English (`lang`, default the request\'s language).',
    params: idParams,
    query: z.object({ lang: z.enum(['fr', 'en']).optional() }),
    response: binary,
    async handler(ctx) {
      const a = await agreementFor(ctx, ctx.params.id);
      const pdf = await renderLaPdf(laOf(ctx).fullDocument(a), ctx.query.lang ?? ctx.language);
      ctx.koa.type = 'application/pdf';
      return pdf;
    },
  });

  r.api({
    method: 'GET', path: '/learning-agreements/:id.xml', permission: PERMISSIONS.read,
    summary: 'A Learning Agreement as EWP XML (omobility-las-get-response)',
    description: '422 when the agreement lacks what EWP requires (the message lists it).',
    params: idParams,
    response: binary,
    async handler(ctx) {
      const a = await agreementFor(ctx, ctx.params.id);
      const out = ewpXml(ctx, a);
      if ('problems' in out) throw new SmileError(ErrorCodes.VALIDATION, `cannot be published on EWP: ${out.problems.join('; ')}`, { status: 422 });
      ctx.koa.type = 'application/xml';
      return Buffer.from(out.xml, 'utf8');
    },
  });

  r.api({
    method: 'GET', path: '/learning-agreements/:id', permission: PERMISSIONS.read,
    summary: 'A Learning Agreement with its versions and signatures',
    params: idParams,
    response: detail,
    async handler(ctx) {
      const a = await agreementFor(ctx, ctx.params.id);
      return {
        id: a.id, fileId: a.fileId, omobilityId: a.omobilityId, academicYear: a.academicYear, state: a.state, latestVersion: a.latestVersion,
        choiceMissing: a.choiceMissing, createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt.toISOString(),
        versions: a.versions.map((v) => ({
          number: v.number, kind: v.kind, status: v.status, hash: v.hash, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy,
          document: v.document as unknown as Record<string, unknown>,
          signatures: v.signatures.map((s) => ({
            party: s.party, name: s.name, position: s.position, email: s.email, signedAt: s.signedAt.toISOString(), ip: s.ip,
            hashSigned: s.hashSigned, onPaper: s.onPaper, viaLink: s.viaLink,
          })),
          refusal: v.refusal ? { party: v.refusal.party, name: v.refusal.name, comment: v.refusal.comment, refusedAt: v.refusal.refusedAt.toISOString() } : null,
        })),
      };
    },
  });
}
