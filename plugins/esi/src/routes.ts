import { ErrorCodes, SmileError, applyTable, defineTable, formField as field, parseTableState, renderTable, z } from '@smile/sdk';
import type { RegisterApi, RequestContext } from '@smile/sdk';
import { parseEsi } from './esi.js';
import type { Issue } from './esi.js';
import { validateIne } from './ine.js';
import { conflictQuery, esiService } from './store.js';
import type { EsiConflict } from './store.js';
import { bilingual } from './strings.js';

type Ctx = RequestContext<any, any, any>;

/** Permissions this plugin declares (names are API: other plugins and role settings refer to them). */
export const PERMISSIONS = {
  check: 'esi:check.use',
  read: 'esi:conflicts.read',
  resolve: 'esi:conflicts.resolve',
} as const;

interface ConflictRow {
  id: number;
  esi: string;
  source: string;
  detected_at: Date;
  holder_name: string | null;
  claimant_name: string | null;
  holder_id: number;
  claimant_id: number;
}

const sources = ['sign-in', 'ine', 'manual'];
const sourceLabel = (s: string, lang: 'fr' | 'en') => (sources.includes(s) ? bilingual(`sources.${s}`)[lang] : s);
const unknownPerson = { fr: 'Personne d’un autre établissement', en: 'Person of another institution' };
const personCell = (name: unknown, id: number, lang: 'fr' | 'en') => (typeof name === 'string' && name ? name : `${unknownPerson[lang]} (#${id})`);

/** Open conflicts: newest first, search on the ESI and both names, pages in the URL. */
export const conflictsTable = defineTable<ConflictRow>({
  id: 'esi-conflicts',
  caption: bilingual('conflicts.caption'),
  columns: [
    { key: 'detected_at', label: bilingual('conflicts.col.detected'), type: 'datetime', sortable: true, firstDir: 'desc' },
    { key: 'esi', label: bilingual('conflicts.col.esi'), sortable: true, href: (row) => `/esi/conflicts/${row.id}` },
    { key: 'holder_name', label: bilingual('conflicts.col.holder'), sortable: true, format: (v, row, lang) => personCell(v, row.holder_id, lang) },
    { key: 'claimant_name', label: bilingual('conflicts.col.claimant'), sortable: true, format: (v, row, lang) => personCell(v, row.claimant_id, lang) },
    { key: 'source', label: bilingual('conflicts.col.source'), sortable: true, format: (v, _row, lang) => sourceLabel(String(v), lang) },
  ],
  search: { columns: ['esi', 'holder_name', 'claimant_name'] },
  defaultSort: { key: 'detected_at', dir: 'desc' },
  uniqueKey: 'id',
});

const message = (ctx: Ctx, issue: Issue) => ctx.t(`esi:errors.${issue.code}`, issue.vars);

/** What the check page shows for a value: an ESI (starts with `urn:`) or else an INE. */
function check(ctx: Ctx, value: string) {
  if (!value) return null;
  if (/^urn:/i.test(value) || value.includes(':')) {
    const r = parseEsi(value);
    return r.ok ? { kind: 'esi' as const, esi: r.esi } : { kind: 'invalid' as const, error: message(ctx, r.issue) };
  }
  const ine = validateIne(value);
  if (!ine.ok) return { kind: 'invalid' as const, error: message(ctx, ine.issue) };
  const esi = ctx.resolve(esiService).fromIne(value);
  return { kind: 'ine' as const, ine: ine.ine, esi: esi.ok ? esi.esi : null, esiError: esi.ok ? null : message(ctx, esi.issue) };
}

function conflictLocals(ctx: Ctx, c: EsiConflict) {
  const name = (p: EsiConflict['holder']) => p.displayName ?? `${ctx.t('esi:conflicts.person', { name: ctx.language === 'fr' ? unknownPerson.fr : unknownPerson.en, id: p.id })}`;
  return { conflict: c, holderName: name(c.holder), claimantName: name(c.claimant), source: sourceLabel(c.source, ctx.language), canResolve: ctx.can(PERMISSIONS.resolve) };
}

async function loadConflict(ctx: Ctx): Promise<EsiConflict> {
  const id = String(ctx.params.id ?? '');
  const c = /^[1-9][0-9]{0,9}$/.test(id) ? await ctx.resolve(esiService).conflict(ctx.institution.id, Number(id)) : null;
  if (!c) throw new SmileError(ErrorCodes.NOT_FOUND, ctx.t('esi:conflicts.notFound'), { status: 404 });
  return c;
}

async function showConflict(ctx: Ctx, c: EsiConflict, error: string | null, status = 200): Promise<void> {
  await ctx.render('esi/conflict', { title: ctx.t('esi:conflicts.detailTitle', { id: c.id }), ...conflictLocals(ctx, c), error });
  ctx.koa.status = status;
}

const validateResponse = z.union([
  z.object({ valid: z.literal(true), esi: z.string(), qualifier: z.string(), qualifierKind: z.enum(['country', 'sho']), code: z.string(), form: z.enum(['v1', 'draft']) }),
  z.object({ valid: z.literal(false), reason: z.string(), message: z.string() }),
]);

/** Pages for managers (check tool, conflicts) and the public validation API. */
export function registerRoutes(r: RegisterApi): void {
  r.route({
    method: 'GET',
    path: '/esi',
    permission: PERMISSIONS.check,
    async handler(ctx) {
      const value = field(ctx.query, 'value').slice(0, 1100);
      await ctx.render('esi/check', { title: ctx.t('esi:check.title'), value, result: check(ctx, value), canReadConflicts: ctx.can(PERMISSIONS.read) });
    },
  });

  r.route({
    method: 'GET',
    path: '/esi/conflicts',
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const state = parseTableState(conflictsTable, ctx.query);
      const base = conflictQuery(ctx.db.knex, ctx.institution.id).where('c.status', 'open');
      const table = await applyTable(base, conflictsTable, state);
      await renderTable(ctx, { view: 'esi/conflicts', table, baseUrl: '/esi/conflicts', locals: { title: ctx.t('esi:conflicts.title'), canCheck: ctx.can(PERMISSIONS.check) } });
    },
  });

  r.route({
    method: 'GET',
    path: '/esi/conflicts/:id',
    permission: PERMISSIONS.read,
    async handler(ctx) {
      await showConflict(ctx, await loadConflict(ctx), null);
    },
  });

  r.route({
    method: 'POST',
    path: '/esi/conflicts/:id',
    permission: PERMISSIONS.resolve,
    async handler(ctx) {
      const c = await loadConflict(ctx);
      if (c.status !== 'open') return showConflict(ctx, c, ctx.t('esi:conflicts.alreadyResolved'), 409);
      const keep = field(ctx.body, 'keep');
      if (keep !== 'holder' && keep !== 'claimant') {
        ctx.log.info({ conflict: c.id }, 'ESI conflict not resolved: no person chosen');
        return showConflict(ctx, c, ctx.t('esi:conflicts.chooseOne'), 422);
      }
      try {
        await ctx.resolve(esiService).resolve(ctx, ctx.institution.id, c.id, keep);
      } catch (e) {
        if ((e as { status?: number }).status !== 409) throw e;
        return showConflict(ctx, (await ctx.resolve(esiService).conflict(ctx.institution.id, c.id)) ?? c, ctx.t('esi:conflicts.alreadyResolved'), 409);
      }
      const { holderName, claimantName } = conflictLocals(ctx, c);
      ctx.flash('success', ctx.t('esi:conflicts.resolved', { name: keep === 'holder' ? holderName : claimantName }));
      ctx.koa.status = 303;
      ctx.koa.redirect('/esi/conflicts');
    },
  });

  r.api({
    method: 'GET',
    path: '/esi/validate',
    public: true,
    summary: 'Validate and normalise a European Student Identifier',
    description:
      'Returns the normalised ESI (ESI specification v1.0; the superseded draft form is rewritten), or the reason it is refused, in the language of the request.',
    query: z.object({ value: z.string().max(2000) }),
    response: validateResponse,
    handler(ctx) {
      const r = parseEsi(ctx.query.value);
      if (!r.ok) return { valid: false as const, reason: r.issue.code, message: message(ctx, r.issue) };
      const { value, qualifier, qualifierKind, code, form } = r.esi;
      return { valid: true as const, esi: value, qualifier, qualifierKind, code, form };
    },
  });

  r.api({
    method: 'GET',
    path: '/esi/from-ine',
    public: true,
    summary: 'Build the ESI of a French student from the INE',
    description: 'Validates the INE (format and check key where the format has one); provisional INEs are refused.',
    query: z.object({ ine: z.string().max(100) }),
    response: z.union([
      z.object({ valid: z.literal(true), esi: z.string(), ine: z.string(), format: z.string(), keyChecked: z.boolean() }),
      z.object({ valid: z.literal(false), reason: z.string(), message: z.string() }),
    ]),
    handler(ctx) {
      const r = ctx.resolve(esiService).fromIne(ctx.query.ine);
      if (!r.ok) return { valid: false as const, reason: r.issue.code, message: message(ctx, r.issue) };
      return { valid: true as const, esi: r.esi, ine: r.ine.ine, format: r.ine.format, keyChecked: r.ine.keyChecked };
    },
  });

  r.api({
    method: 'GET',
    path: '/esi/conflicts',
    permission: PERMISSIONS.read,
    summary: 'Open ESI conflicts about people of this institution',
    response: z.array(
      z.object({
        id: z.number(),
        esi: z.string(),
        holder: z.object({ id: z.number(), displayName: z.string().nullable(), email: z.string().nullable() }),
        claimant: z.object({ id: z.number(), displayName: z.string().nullable(), email: z.string().nullable() }),
        source: z.string(),
        detectedAt: z.string(),
      }),
    ),
    async handler(ctx) {
      const list = await ctx.resolve(esiService).conflicts(ctx.institution.id);
      return list.map((c) => ({ id: c.id, esi: c.esi, holder: c.holder, claimant: c.claimant, source: c.source, detectedAt: c.detectedAt.toISOString() }));
    },
  });
}
