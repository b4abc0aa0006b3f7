import { z } from 'zod';
import { HookStage, SmileError, ErrorCodes, coreServices, safeReturnPath } from '@smile/sdk';
import type { PermissionDefinition, RequestContext } from '@smile/sdk';
import type { Platform } from './platform.js';
import { verifyToken } from './api/tokens.js';

/** Permissions of the kernel itself. */
export const CORE_PERMISSIONS: Record<string, PermissionDefinition> = {
  'core:plugins.read': { description: { fr: 'Voir les plugins installés', en: 'See installed plugins' }, defaultRoles: ['techadmin', 'admin'] },
  'core:outbox.read': { description: { fr: 'Lire la file des courriels', en: 'Read the mail outbox' }, defaultRoles: ['techadmin', 'admin'] },
  'core:jobs.read': { description: { fr: 'Voir l’état des tâches', en: 'See job status' }, defaultRoles: ['techadmin', 'admin'] },
  'core:institution.read': { description: { fr: 'Voir la fiche de l’établissement', en: 'See the institution record' }, defaultRoles: ['manager', 'techadmin'] },
};

const institutionSchema = z.object({
  code: z.string(), nameFr: z.string(), nameEn: z.string(), schacCode: z.string().nullable(), erasmusCode: z.string().nullable(),
  pic: z.string().nullable(), country: z.string().nullable(), defaultLanguage: z.enum(['fr', 'en']),
});

/** The kernel's own routes and taps, declared through the same registry as plugins'. */
export function registerCoreRoutes(p: Platform) {
  const r = p.registry.api({ id: 'core', settings: {} } as any, new Set());
  // API tokens: `Authorization: Bearer smile_…`, valid only for their own institution
  r.hooks.resolvePrincipal.tap({ stage: HookStage.FIRST }, async ({ koa, institution }) => {
    const auth = koa.get('authorization');
    if (!auth.startsWith('Bearer ')) return undefined;
    const row = await verifyToken(p.db.knex, auth.slice(7).trim());
    if (!row || row.institution_id !== institution.id) {
      return { kind: 'anonymous', label: 'invalid token', permissions: new Set(), invalidToken: true } as any;
    }
    return { kind: 'token', label: `token:${row.prefix}`, permissions: new Set(row.permissions), tokenId: row.id };
  });

  // A signed-in person: permissions from their roles in this institution (scoped ones kept apart)
  r.hooks.resolvePrincipal.tap({ stage: HookStage.EARLY }, async ({ institution, session }) => {
    const personId = session.get<number>('personId');
    if (typeof personId !== 'number') return undefined;
    // a session opened by a sign-in method this institution has since disabled is not honoured
    const provider = session.get<string>('provider');
    if (provider && p.plugins.some((x) => x.id === provider) && !p.isEnabled(provider, institution)) {
      session.signOut();
      return undefined;
    }
    const { permissions, scoped, roles } = await p.roles.principalFor(institution.id, personId);
    return { kind: 'user', label: session.get<string>('label') ?? `person:${personId}`, permissions, scoped, roles, personId };
  });

  // Sign-in: the methods are the auth plugins' `signin` navigation entries; one method → go straight to it.
  r.route({
    method: 'GET', path: '/sign-in', public: true,
    async handler(ctx) {
      const methods = p.registry.nav.filter((n) => n.def.area === 'signin' && p.isEnabled(n.plugin, ctx.institution));
      // the page that sent the visitor here gets them back after sign-in, whichever method they pick
      const back = safeReturnPath(ctx.query.return);
      const href = (h: string) => (back === '/' ? h : `${h}${h.includes('?') ? '&' : '?'}return=${encodeURIComponent(back)}`);
      if (methods.length === 1) return ctx.koa.redirect(href(methods[0]!.def.href));
      await ctx.render('core/sign-in', { title: ctx.t('core:signIn.title'), methods: methods.map((m) => ({ href: href(m.def.href), label: m.def.label[ctx.language] })) });
    },
  });
  // The account page is open to every signed-in person, whatever their roles (none, at first sign-in)
  const signedIn = (ctx: RequestContext) => {
    if (ctx.principal.kind !== 'user' || !ctx.principal.personId) throw new SmileError(ErrorCodes.UNAUTHENTICATED, ctx.t('core:account.needSignIn'), { status: 401 });
    return ctx.principal.personId;
  };
  r.route({
    method: 'GET', path: '/account', public: true,
    async handler(ctx) {
      const personId = signedIn(ctx);
      const person = await p.identity.person(personId);
      const roleNames = new Map((await p.roles.list(ctx.institution.id)).map((x) => [x.key, x.name[ctx.language]]));
      const roles = (await p.roles.assignments(ctx.institution.id, personId)).map((a) => ({ ...a, name: roleNames.get(a.role) ?? a.role }));
      const fmt = new Intl.DateTimeFormat(ctx.language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });
      const identities = (await p.db.knex('person_identities').where({ person_id: personId }).orderBy('id')).map((i: any) => ({
        provider: i.provider, issuer: i.issuer, lastSignIn: i.last_sign_in_at ? fmt.format(new Date(i.last_sign_in_at)) : null,
      }));
      await ctx.render('core/account', { title: ctx.t('core:account.title'), person, roles, identities, institutionName: ctx.language === 'fr' ? ctx.institution.nameFr : ctx.institution.nameEn });
    },
  });
  r.route({
    method: 'POST', path: '/account/sign-out-everywhere', public: true,
    async handler(ctx) {
      const personId = signedIn(ctx);
      const n = await p.identity.signOutEverywhere(personId);
      ctx.session.signOut();
      await p.resolve(coreServices.audit).record(ctx, { action: 'core.sign-out.everywhere', targetType: 'person', targetId: personId, detail: { sessions: n } });
      ctx.flash('info', ctx.t('core:account.signedOutEverywhere', { count: n }));
      ctx.koa.redirect('/');
    },
  });
  r.route({
    method: 'POST', path: '/sign-out', public: true,
    handler(ctx) {
      // a sign-in method with its own logout (SAML single logout) said where: the POST goes on there, token included
      const url = ctx.session.get<string>('signOutUrl');
      if (typeof url === 'string' && /^\/[a-z]/.test(url) && url !== '/sign-out') {
        ctx.koa.status = 307;
        ctx.koa.redirect(url);
        return;
      }
      ctx.session.signOut();
      ctx.flash('info', ctx.t('core:signIn.signedOut'));
      ctx.koa.redirect('/');
    },
  });

  r.api({
    method: 'GET', path: '/institution', public: true, summary: 'The institution this host serves',
    response: institutionSchema,
    handler: (ctx) => {
      const i = ctx.institution;
      return { code: i.code, nameFr: i.nameFr, nameEn: i.nameEn, schacCode: i.schacCode, erasmusCode: i.erasmusCode, pic: i.pic, country: i.country, defaultLanguage: i.defaultLanguage };
    },
  });

  r.api({
    method: 'GET', path: '/plugins', permission: 'core:plugins.read', summary: 'Installed plugins and whether this institution uses them',
    response: z.array(z.object({ id: z.string(), version: z.string(), kind: z.string(), maturity: z.string(), enabled: z.boolean() })),
    handler: (ctx) => p.plugins.map((x) => ({ id: x.id, version: x.version, kind: x.manifest.kind, maturity: x.manifest.maturity, enabled: p.isEnabled(x.id, ctx.institution) })),
  });

  r.api({
    method: 'GET', path: '/outbox', permission: 'core:outbox.read', summary: 'Messages in the mail outbox, newest first',
    query: z.object({ status: z.enum(['queued', 'sending', 'sent', 'failed']).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }),
    response: z.array(z.object({
      id: z.number(), recipient: z.string(), subject: z.string(), status: z.string(), attempts: z.number(),
      lastError: z.string().nullable(), createdAt: z.string(), sentAt: z.string().nullable(), tag: z.string().nullable(),
    })),
    handler: async (ctx) => {
      const q = ctx.db.table('mail_outbox').orderBy('id', 'desc').limit(ctx.query.limit);
      if (ctx.query.status) q.where({ status: ctx.query.status });
      const rows = await q;
      return rows.map((m: any) => ({
        id: Number(m.id), recipient: m.recipient, subject: m.subject, status: m.status, attempts: m.attempts, lastError: m.last_error,
        createdAt: new Date(m.created_at).toISOString(), sentAt: m.sent_at ? new Date(m.sent_at).toISOString() : null, tag: m.tag,
      }));
    },
  });

  r.api({
    method: 'GET', path: '/jobs', permission: 'core:jobs.read', summary: 'Job queue counts per job',
    response: z.object({ kind: z.string(), jobs: z.record(z.string(), z.object({ waiting: z.number(), active: z.number(), failed: z.number(), completed: z.number() })) }),
    handler: async () => ({ kind: p.jobs.kind, jobs: await p.jobs.stats() }),
  });
}
