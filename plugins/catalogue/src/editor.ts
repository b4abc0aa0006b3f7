/**
 * The offer editor: a formation's tree as an outline (WAI-ARIA tree) at
 * `/catalogue/admin/formations/:id/editor`, changed through htmx without reloading the page. Every
 * change answers with the outline as stored afterwards and a message for the live region; a
 * refused change (stale page, cycle, invalid field) says why, in place when it is about a field.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { ErrorCodes, SmileError, coreServices, formField as field, seeOther } from '@smile/sdk';
import type { RequestContext } from '@smile/sdk';
import type { PartContext } from './context.js';
import { EditorRefusal, OfferEditor, checkNewElement, checkTitles, offerEditorService, type ChildSpec, type FieldProblem } from './editor-store.js';
import { buildOutline, findNode } from './editor-view.js';
import { PERMISSIONS } from './permissions.js';
import { catalogueService, yearLabel } from './store.js';
import type { Formation } from './types.js';
import { titleIn } from './rows.js';

type Ctx = RequestContext<any, any, any>;
type Message = { type: 'success' | 'error' | 'info'; text: string };

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
/** The editor's script (served from `public/editor.js`). */
export const EDITOR_SCRIPT = `/assets/catalogue@${VERSION}/editor.js`;
/** The editor of a formation. */
export const editorPath = (formationId: number): string => `/catalogue/admin/formations/${formationId}/editor`;

const idOf = (v: string): number | null => (/^[1-9]\d{0,9}$/.test(v) ? Number(v) : null);
const store = (ctx: Ctx) => ctx.resolve(catalogueService);
const editor = (ctx: Ctx) => ctx.resolve(offerEditorService);

const EMPTY_ADD = { parent: '', mode: 'new', code: '', titleFr: '', titleEn: '', kind: '', ects: '' };

/** The formation of the URL, if this person may see it (a role limited to components sees theirs). */
async function formationOf(ctx: Ctx): Promise<Formation> {
  const id = idOf(String(ctx.params.id ?? ''));
  const f = id === null ? undefined : await store(ctx).formationById(ctx.institution.id, id);
  if (!f) throw new SmileError(ErrorCodes.NOT_FOUND, 'no such formation in this institution', { status: 404 });
  if (!ctx.can(PERMISSIONS.read, { component: f.componentCode })) throw new SmileError(ErrorCodes.FORBIDDEN, ctx.t('catalogue:editor.notInScope'), { status: 403 });
  return f;
}

const canEdit = (ctx: Ctx, f: Formation) => ctx.can(PERMISSIONS.edit, { component: f.componentCode });

/** The formation for a change: 403 when this person may not edit it. */
async function editableFormation(ctx: Ctx): Promise<Formation> {
  const f = await formationOf(ctx);
  if (!canEdit(ctx, f)) throw new SmileError(ErrorCodes.FORBIDDEN, ctx.t('catalogue:editor.errors.forbidden'), { status: 403 });
  return f;
}

const formationName = (ctx: Ctx, f: Formation) => titleIn(ctx.language, f.nameFr, f.nameEn);

/**
 * Answer a change: the outline as stored now (htmx), with `message` for the live region and the
 * tab stop on `selected`; without htmx, back to the page with the message.
 */
async function answer(ctx: Ctx, f: Formation, selected: number | null, message: Message | null, status = 200, freshAdd: string | null = null): Promise<void> {
  if (!ctx.htmx) {
    if (message) ctx.flash(message.type, message.text);
    return seeOther(ctx, `${editorPath(f.id)}${selected ? `?node=${selected}` : ''}`);
  }
  const outline = await buildOutline(ctx.db.knex, store(ctx), ctx.institution.id, f, ctx.language);
  const tabStop = findNode(outline.nodes, selected) ? selected : outline.first;
  const add = freshAdd === null ? null : { base: editorPath(f.id), values: { ...EMPTY_ADD, parent: freshAdd }, errors: {} };
  await ctx.render('catalogue/editor-outline', { formation: f, nodes: outline.nodes, selected: tabStop, canEdit: canEdit(ctx, f), message, add });
  ctx.koa.status = status;
}

/** A form answered in place with its errors (htmx: swapped instead of the outline). */
async function answerForm(ctx: Ctx, f: Formation, view: 'editor-rename' | 'editor-add', target: string, locals: Record<string, unknown>, selected: number | null): Promise<void> {
  const message: Message = { type: 'error', text: ctx.t('catalogue:editor.errors.invalid') };
  if (!ctx.htmx) return answer(ctx, f, selected, { type: 'error', text: Object.values(locals.errors as Record<string, string>)[0] ?? message.text });
  ctx.koa.set('HX-Retarget', target);
  ctx.koa.set('HX-Reswap', 'outerHTML');
  await ctx.render(`catalogue/${view}`, { base: editorPath(f.id), ...locals, message });
  ctx.koa.status = 422;
}

const problemText = (ctx: Ctx, p: FieldProblem) => ctx.t(`catalogue:editor.errors.${p.check}`, p.vars ?? {});

/** The message of a refused change. */
function refusalText(ctx: Ctx, e: EditorRefusal): string {
  return e.reason === 'invalid' ? ctx.t(`catalogue:editor.errors.${e.check ?? 'invalid'}`, e.vars) : ctx.t(`catalogue:editor.errors.${e.reason}`, e.vars);
}

const isConflict = (e: unknown) => e instanceof SmileError && e.status === 409;

/** The placement `link` of the formation holding `element`, as the page showed it; `null` when that is no longer so. */
async function placement(ctx: Ctx, f: Formation): Promise<{ link: number; element: number } | null> {
  const link = idOf(field(ctx.body, 'link'));
  const element = idOf(field(ctx.body, 'element'));
  if (link === null || element === null) return null;
  const row = await ctx.db.knex('catalogue_links').where({ institution_id: ctx.institution.id, formation_id: f.id, id: link, child_id: element }).first('id');
  return row ? { link, element } : null;
}

const stale = (ctx: Ctx, f: Formation, selected: number | null) => answer(ctx, f, selected, { type: 'error', text: ctx.t('catalogue:editor.errors.stale') }, 409);

/** A whole number typed by a person (1 = first), or `null` when left empty; `undefined` when it is not one. */
function rank(v: string): number | null | undefined {
  if (v === '') return null;
  return /^\d{1,6}$/.test(v) && Number(v) >= 1 ? Number(v) : undefined;
}

/** `/catalogue/admin/formations/:id/editor` and its htmx endpoints. */
export function registerEditor(p: PartContext): void {
  const { r } = p;
  r.provide(offerEditorService, {
    deps: { db: coreServices.database, audit: coreServices.audit },
    factory: (deps) => new OfferEditor(deps),
  });

  r.route({
    method: 'GET',
    path: '/catalogue/admin/formations/:id/editor',
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const f = await formationOf(ctx);
      const outline = await buildOutline(ctx.db.knex, store(ctx), ctx.institution.id, f, ctx.language);
      const asked = findNode(outline.nodes, idOf(field(ctx.query, 'node')));
      const node = asked ?? findNode(outline.nodes, outline.first);
      await ctx.render('catalogue/editor-page', {
        title: ctx.t('catalogue:editor.title', { name: f.code }), formation: f, name: formationName(ctx, f), year: yearLabel(f.year),
        nodes: outline.nodes, selected: node?.linkId ?? null, node, canEdit: canEdit(ctx, f), base: editorPath(f.id), script: EDITOR_SCRIPT,
        addForm: { values: { ...EMPTY_ADD, parent: node ? String(node.linkId) : '' }, errors: {} },
      });
    },
  });

  // the outline alone, as stored now (the script reloads it after a refused change)
  r.route({
    method: 'GET',
    path: '/catalogue/admin/formations/:id/editor/outline',
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const f = await formationOf(ctx);
      const outline = await buildOutline(ctx.db.knex, store(ctx), ctx.institution.id, f, ctx.language);
      const selected = findNode(outline.nodes, idOf(field(ctx.query, 'node')))?.linkId ?? outline.first;
      await ctx.render('catalogue/editor-outline', { formation: f, nodes: outline.nodes, selected, canEdit: canEdit(ctx, f), message: null });
    },
  });

  r.route({
    method: 'POST',
    path: '/catalogue/admin/formations/:id/editor/move',
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const f = await editableFormation(ctx);
      const link = idOf(field(ctx.body, 'link'));
      if (link === null) return stale(ctx, f, null);
      const parentText = field(ctx.body, 'parent');
      const parent = parentText === '' ? null : idOf(parentText);
      const position = rank(field(ctx.body, 'position'));
      const fromText = field(ctx.body, 'from');
      const from = fromText === '' ? undefined : fromText === 'top' ? null : (idOf(fromText) ?? -1);
      if (parent === undefined || (parentText !== '' && parent === null)) return stale(ctx, f, link);
      if (position === undefined) return answer(ctx, f, link, { type: 'error', text: ctx.t('catalogue:editor.errors.position') }, 422);
      try {
        const m = await editor(ctx).moveLink(ctx, f.id, link, parent, position === null ? null : position - 1, from);
        const vars = { code: m.code, position: m.position + 1, count: m.count, parent: m.parentCode ?? '' };
        const text = !m.moved ? ctx.t('catalogue:editor.msg.unchanged', vars) : ctx.t(m.parentCode === null ? 'catalogue:editor.msg.movedTop' : 'catalogue:editor.msg.moved', vars);
        await answer(ctx, f, m.linkId, { type: 'success', text });
      } catch (e) {
        if (!(e instanceof EditorRefusal)) throw e;
        await answer(ctx, f, link, { type: 'error', text: refusalText(ctx, e) }, e.status);
      }
    },
  });

  r.route({
    method: 'POST',
    path: '/catalogue/admin/formations/:id/editor/add',
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const f = await editableFormation(ctx);
      const values = {
        parent: field(ctx.body, 'parent'), mode: field(ctx.body, 'mode') === 'existing' ? 'existing' : 'new', code: field(ctx.body, 'code'),
        titleFr: field(ctx.body, 'titleFr'), titleEn: field(ctx.body, 'titleEn'), kind: field(ctx.body, 'kind'), ects: field(ctx.body, 'ects'),
      };
      const parent = values.parent === '' ? null : idOf(values.parent);
      if (values.parent !== '' && parent === null) return stale(ctx, f, null);
      const errors: Record<string, string> = {};
      let spec: ChildSpec;
      if (values.mode === 'existing') {
        if (!values.code) errors.code = ctx.t('catalogue:editor.errors.required');
        spec = { mode: 'existing', code: values.code };
      } else {
        const ectsText = values.ects.replace(',', '.');
        const ects = ectsText === '' ? null : /^\d+(\.\d+)?$/.test(ectsText) ? Number(ectsText) : NaN;
        if (Number.isNaN(ects)) errors.ects = ctx.t('catalogue:editor.errors.number');
        spec = { mode: 'new', code: values.code, titleFr: values.titleFr, titleEn: values.titleEn || null, kind: values.kind || null, ects: Number.isNaN(ects) ? null : ects };
        for (const problem of checkNewElement(spec)) errors[problem.field] ??= problemText(ctx, problem);
      }
      if (Object.keys(errors).length) return answerForm(ctx, f, 'editor-add', '#editor-add', { values, errors }, parent);
      try {
        const a = await editor(ctx).addChild(ctx, f.id, parent, spec);
        const vars = { code: a.code, parent: a.parentCode ?? '' };
        const key = a.created ? (a.parentCode === null ? 'addedTop' : 'added') : a.parentCode === null ? 'sharedTop' : 'shared';
        // with a blank form for the next element, under the same parent
        await answer(ctx, f, a.linkId, { type: 'success', text: ctx.t(`catalogue:editor.msg.${key}`, vars) }, 200, values.parent);
      } catch (e) {
        if (!(e instanceof EditorRefusal)) throw e;
        if (e.reason === 'stale' || !e.field) return answer(ctx, f, parent, { type: 'error', text: refusalText(ctx, e) }, e.status);
        await answerForm(ctx, f, 'editor-add', '#editor-add', { values, errors: { [e.field]: refusalText(ctx, e) } }, parent);
      }
    },
  });

  r.route({
    method: 'POST',
    path: '/catalogue/admin/formations/:id/editor/remove',
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const f = await editableFormation(ctx);
      const at = await placement(ctx, f);
      if (!at) return stale(ctx, f, idOf(field(ctx.body, 'link')));
      try {
        const rm = await editor(ctx).removeLink(ctx, f.id, at.link, at.element);
        const text = rm.removed > 1 ? ctx.t('catalogue:editor.msg.removedMany', { code: rm.code, more: rm.removed - 1 }) : ctx.t('catalogue:editor.msg.removed', { code: rm.code });
        await answer(ctx, f, rm.nextLinkId, { type: 'success', text });
      } catch (e) {
        if (!(e instanceof EditorRefusal)) throw e;
        await answer(ctx, f, at.link, { type: 'error', text: refusalText(ctx, e) }, e.status);
      }
    },
  });

  r.route({
    method: 'POST',
    path: '/catalogue/admin/formations/:id/editor/rename',
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const f = await editableFormation(ctx);
      const at = await placement(ctx, f);
      const version = idOf(field(ctx.body, 'version'));
      if (!at || version === null) return stale(ctx, f, idOf(field(ctx.body, 'link')));
      const values = { link: at.link, element: at.element, version, titleFr: field(ctx.body, 'titleFr'), titleEn: field(ctx.body, 'titleEn') };
      const problems = checkTitles(values.titleFr, values.titleEn);
      if (problems.length) {
        const errors = Object.fromEntries(problems.map((x) => [x.field, problemText(ctx, x)]));
        return answerForm(ctx, f, 'editor-rename', '#editor-rename', { values, errors }, at.link);
      }
      try {
        const saved = await store(ctx).saveElement(ctx, f.year, at.element, { titleFr: values.titleFr, titleEn: values.titleEn || null }, version);
        const changed = saved.version !== version;
        await answer(ctx, f, at.link, { type: changed ? 'success' : 'info', text: ctx.t(changed ? 'catalogue:editor.msg.renamed' : 'catalogue:editor.msg.nothing', { code: saved.code }) });
      } catch (e) {
        if (!isConflict(e)) throw e;
        await stale(ctx, f, at.link);
      }
    },
  });

  r.route({
    method: 'POST',
    path: '/catalogue/admin/formations/:id/editor/open',
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const f = await editableFormation(ctx);
      const at = await placement(ctx, f);
      const version = idOf(field(ctx.body, 'version'));
      const open = field(ctx.body, 'open');
      if (!at || version === null || !['0', '1'].includes(open)) return stale(ctx, f, idOf(field(ctx.body, 'link')));
      try {
        const saved = await store(ctx).saveElement(ctx, f.year, at.element, { openToMobility: open === '1' }, version);
        await answer(ctx, f, at.link, { type: 'success', text: ctx.t(saved.openToMobility ? 'catalogue:editor.msg.opened' : 'catalogue:editor.msg.closed', { code: saved.code }) });
      } catch (e) {
        if (!isConflict(e)) throw e;
        await stale(ctx, f, at.link);
      }
    },
  });
}
