/**
 * Teaching elements in the back office: the list (search, filters, sort, pages, bulk opening and
 * exchange types), the element page (imported vs local fields, formations, import history), the
 * edit and create forms.
 * @packageDocumentation
 */
import { applyTable, defineTable, formField as field, formFields as fields, isTableRegionRequest, parseTableState, seeOther } from '@smile/sdk';
import type { TableFilter, TableSpec } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import { ELEMENT_FIELDS, SEMESTERS, type Element, type ElementField } from './types.js';
import {
  b, editScope, idParam, inScope, keyOf, notFound, pageLocals, pick, readScope, renderWithStatus, safeReturn, statusOf, storeOf, yearChoices, yearOf,
  registerRevertRoute, type Ctx, type Lang, type PartContext,
} from './admin-common.js';
import { display, fieldLabel, type DisplayContext } from './admin-display.js';
import { blankElement, changedFields, elementValues, elementValuesFrom, parseElement, SPARE_SLOTS, type ElementValues, type Errors } from './admin-forms.js';
import { componentChoices, componentCodesById, elementFacets, elementListQuery, type ComponentChoice } from './admin-queries.js';

const LIST = '/catalogue/admin/elements';
const nf = { fr: new Intl.NumberFormat('fr-FR'), en: new Intl.NumberFormat('en-GB') };
const numberText = (v: unknown, lang: Lang) => (v === null || v === undefined || v === '' ? '' : nf[lang].format(Number(v)));

/** The list's table for one request: filter options come from the institution's data and settings. */
function elementsTable(components: ComponentChoice[], facets: { languages: string[]; levels: number[] }, exchangeTypes: { code: string; fr: string; en: string }[]): TableSpec {
  const filters: TableFilter[] = [];
  if (components.length) {
    filters.push({ key: 'component', label: b('elements.filters.component'), type: 'select', sql: 'component_code', options: components.map((c) => ({ value: c.code, label: { fr: `${c.code} — ${c.nameFr}`, en: `${c.code} — ${c.nameEn}` } })) });
  }
  if (facets.levels.length) filters.push({ key: 'level', label: b('elements.filters.level'), type: 'select', options: facets.levels.map((l) => ({ value: String(l), label: { fr: String(l), en: String(l) } })) });
  filters.push({ key: 'semester', label: b('elements.filters.semester'), type: 'select', options: SEMESTERS.map((s) => ({ value: s, label: b(`semesters.${s}`) })) });
  if (facets.languages.length) {
    filters.push({ key: 'language', label: b('elements.filters.language'), type: 'select', sql: 'language_match', options: facets.languages.map((l) => ({ value: l, label: { fr: l, en: l } })) });
  }
  filters.push({ key: 'open', label: b('elements.filters.open'), type: 'boolean', sql: 'open_to_mobility' });
  if (exchangeTypes.length) {
    filters.push({ key: 'exchange', label: b('elements.filters.exchange'), type: 'select', sql: 'exchange_match', options: exchangeTypes.map((x) => ({ value: x.code, label: { fr: x.fr, en: x.en } })) });
  }
  filters.push({ key: 'seats', label: b('elements.filters.seats'), type: 'boolean', sql: 'has_seats' });
  filters.push({ key: 'origin', label: b('elements.filters.origin'), type: 'select', options: ['imported', 'edited', 'local'].map((o) => ({ value: o, label: b(`origin.${o}`) })) });
  filters.push({ key: 'insource', label: b('elements.filters.inSource'), type: 'boolean', sql: 'in_source' });
  return defineTable({
    id: 'catalogue-elements',
    caption: b('elements.caption'),
    columns: [
      { key: 'code', label: b('elements.col.code'), sortable: true, href: (row) => `${LIST}/${row.id}` },
      { key: 'title', label: b('elements.col.title'), sortable: true },
      { key: 'component_code', label: b('elements.col.component'), sortable: true },
      { key: 'semester', label: b('elements.col.semester'), sortable: true, format: (v, _r, lang) => (v ? b(`semesters.${v}`)[lang] : '') },
      {
        key: 'ects', label: b('elements.col.ects'), type: 'number', sortable: true,
        format: (v, row, lang) => {
          const m = row.mobility_ects;
          return m !== null && m !== undefined && Number(m) !== Number(v) ? `${numberText(v, lang)} (${b('elements.mobilityShort')[lang]} ${numberText(m, lang)})` : numberText(v, lang);
        },
      },
      { key: 'languages_text', label: b('elements.col.languages'), sortable: true },
      { key: 'open_to_mobility', label: b('elements.col.open'), sortable: true, type: 'boolean', format: (v, _r, lang) => b(v ? 'open' : 'closed')[lang] },
      { key: 'origin', label: b('elements.col.origin'), sortable: true, format: (v, row, lang) => [b(`origin.${v}`)[lang], row.in_source ? '' : b('origin.gone')[lang]].filter(Boolean).join(' · ') },
    ],
    filters,
    search: { columns: ['code', 'title_fr', 'title_en'] },
    defaultSort: { key: 'code' },
    uniqueKey: 'id',
  });
}

/** A loaded element the person may see (404 otherwise: out-of-scope records do not exist for them). */
async function loadElement(ctx: Ctx): Promise<Element> {
  const e = await storeOf(ctx).elementById(ctx.institution.id, idParam(ctx, 'element'));
  if (!e || !inScope(readScope(ctx), e.componentCode)) throw notFound(ctx, 'element');
  return e;
}

const exchangeTypesOf = (p: PartContext, ctx: Ctx) => p.r.settingsFor(ctx.institution).exchangeTypes;

/** What the form needs besides its values. */
async function formLocals(p: PartContext, ctx: Ctx, values: ElementValues, errors: Errors, element: Element | null, year: number, extra: Record<string, unknown> = {}) {
  const scope = editScope(ctx);
  const components = await componentChoices(ctx.db.knex, ctx.institution.id, scope);
  const exchangeTypes = exchangeTypesOf(p, ctx);
  const d: DisplayContext = { exchangeTypes, components: await componentCodesById(ctx.db.knex, ctx.institution.id, element ? [element.imported.componentCode] : []) };
  // fields edited here, with the last value the import brought, shown next to each field
  const local: Record<string, string> = {};
  for (const f of element?.localFields ?? []) local[f] = f in (element?.imported ?? {}) ? display(ctx, f, element!.imported[f], d) : '';
  const title = element ? ctx.t('catalogue:admin.element.editTitle', { code: element.code }) : ctx.t('catalogue:admin.element.newTitle');
  return {
    ...pageLocals(ctx, 'elements', title), values, errors, element, year, components, exchangeTypes, local,
    componentRequired: scope !== 'all', spareSlots: SPARE_SLOTS, conflict: null, formError: null, ...extra,
  };
}

async function showForm(p: PartContext, ctx: Ctx, status: number, values: ElementValues, errors: Errors, element: Element | null, year: number, extra: Record<string, unknown> = {}) {
  await renderWithStatus(ctx, status, 'catalogue/admin-element-form', await formLocals(p, ctx, values, errors, element, year, extra));
}

/** The message of a store refusal about one field, in the page language. */
function storeFieldError(ctx: Ctx, e: unknown): { key: string; message: string } | null {
  const key = keyOf(e);
  if (statusOf(e) !== 400 || !key) return null;
  const msg = e instanceof Error ? e.message : '';
  if (key === 'code' && /already exists/.test(msg)) return { key, message: ctx.t('catalogue:admin.errors.codeTaken') };
  if (key === 'componentCode') return { key, message: ctx.t('catalogue:admin.errors.choose') };
  return { key, message: ctx.t('catalogue:admin.errors.refused') };
}

export function registerElements(p: PartContext): void {
  const { r } = p;

  r.route({
    method: 'GET',
    path: LIST,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const year = yearOf(ctx);
      const scope = readScope(ctx);
      const knex = ctx.db.knex;
      const components = await componentChoices(knex, ctx.institution.id, scope);
      const exchangeTypes = exchangeTypesOf(p, ctx);
      const spec = elementsTable(components, await elementFacets(knex, ctx.institution.id, year), exchangeTypes);
      const state = parseTableState(spec, { ...ctx.query, year: String(year) });
      const base = elementListQuery(knex, ctx.institution.id, year, scope, ctx.language, { exchange: state.filters.exchange, language: state.filters.language });
      const table = await applyTable(base, spec, state);
      const edit = editScope(ctx);
      // a box per row the person may change (their components only)
      const selectable = table.rows.map((row) => ctx.can(PERMISSIONS.edit) && inScope(edit, row.component_code));
      const locals = { table, spec, baseUrl: LIST, selectable, year, exchangeTypes };
      ctx.koa.vary('HX-Target');
      if (isTableRegionRequest(ctx, spec)) return ctx.render('catalogue/admin-elements-table', { ...locals, fragment: true });
      await ctx.render('catalogue/admin-elements', {
        ...pageLocals(ctx, 'elements', ctx.t('catalogue:admin.elements.title')), ...locals, years: await yearChoices(ctx, year),
        returnTo: ctx.koa.url,
      });
    },
  });

  r.route({
    method: 'POST',
    path: `${LIST}/bulk`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const back = safeReturn(field(ctx.body, 'return'), LIST, LIST);
      const ids = [...new Set(fields(ctx.body, 'ids').filter((x) => /^[1-9]\d{0,9}$/.test(x)).map(Number))].slice(0, 1000);
      const action = field(ctx.body, 'action');
      if (!ids.length) {
        ctx.flash('error', ctx.t('catalogue:admin.bulk.noneSelected'));
        return seeOther(ctx, back);
      }
      const scope = editScope(ctx);
      const rows = await ctx.db.knex('catalogue_elements as e').leftJoin('components as c', 'c.id', 'e.component_id')
        .where('e.institution_id', ctx.institution.id).whereIn('e.id', ids).select('e.id', 'c.code as component_code');
      const allowed = rows.filter((x: { component_code: string | null }) => inScope(scope, x.component_code)).map((x: { id: number }) => x.id);
      const store = storeOf(ctx);
      let changed: number;
      if (action === 'open' || action === 'close') {
        changed = await store.setElementsOpen(ctx, allowed, action === 'open');
      } else if (action === 'types') {
        const codes = exchangeTypesOf(p, ctx).map((x) => x.code);
        const types = fields(ctx.body, 'types').filter((x) => codes.includes(x));
        changed = await store.setElementsExchangeTypes(ctx, allowed, types.length ? types : null);
      } else {
        ctx.flash('error', ctx.t('catalogue:admin.bulk.noAction'));
        return seeOther(ctx, back);
      }
      const skipped = ids.length - allowed.length;
      const done = ctx.t(`catalogue:admin.bulk.done.${action}`, { count: changed });
      ctx.flash('success', skipped ? `${done} ${ctx.t('catalogue:admin.bulk.skipped', { count: skipped })}` : done);
      seeOther(ctx, back);
    },
  });

  // before /:id, so that "new" is not taken for an id
  r.route({
    method: 'GET',
    path: `${LIST}/new`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const year = yearOf(ctx);
      const scope = editScope(ctx);
      await showForm(p, ctx, 200, blankElement(scope !== 'all' && scope.length === 1 ? scope[0] : ''), {}, null, year);
    },
  });

  r.route({
    method: 'POST',
    path: `${LIST}/new`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const year = yearOf(ctx, ctx.body as Record<string, unknown>);
      const values = elementValuesFrom(ctx.body);
      const scope = editScope(ctx);
      const components = await componentChoices(ctx.db.knex, ctx.institution.id, scope);
      const { patch, errors } = parseElement(ctx, values, {
        isNew: true, exchangeCodes: exchangeTypesOf(p, ctx).map((x) => x.code), componentCodes: components.map((c) => c.code), componentRequired: scope !== 'all',
      });
      if (Object.keys(errors).length) return showForm(p, ctx, 422, values, errors, null, year);
      try {
        const saved = await storeOf(ctx).saveElement(ctx, year, null, patch, null);
        ctx.flash('success', ctx.t('catalogue:admin.element.created', { code: saved.code }));
        seeOther(ctx, `${LIST}/${saved.id}`);
      } catch (e) {
        const fe = storeFieldError(ctx, e);
        if (!fe) throw e;
        return showForm(p, ctx, 422, values, { [fe.key]: fe.message }, null, year);
      }
    },
  });

  r.route({
    method: 'GET',
    path: `${LIST}/:id`,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const e = await loadElement(ctx);
      const store = storeOf(ctx);
      const exchangeTypes = exchangeTypesOf(p, ctx);
      const d: DisplayContext = { exchangeTypes, components: await componentCodesById(ctx.db.knex, ctx.institution.id, [e.imported.componentCode]) };
      const rows = ELEMENT_FIELDS.map((f) => ({
        field: f, label: fieldLabel(ctx, f), value: display(ctx, f, f === 'componentCode' ? e.componentCode : e[f as Exclude<ElementField, 'componentCode'>], d),
        local: e.localFields.includes(f), imported: f in e.imported ? display(ctx, f, e.imported[f], d) : null,
      }));
      const changes = (await store.changes(ctx.institution.id, e.year, 'element', e.code)).map((c: Record<string, any>) => ({
        at: c.at, change: c.change, runId: c.run_id,
        fields: Object.entries((c.fields ?? {}) as Record<string, [unknown, unknown]>).map(([f, [before, after]]) => ({
          label: ctx.t(`catalogue:admin.fields.${f}`), before: display(ctx, f, before, d), after: display(ctx, f, after, d),
        })),
      }));
      const formations = (await store.formationsOf(ctx.institution.id, e.id)).map((f) => ({ id: f.id, code: f.code, name: pick(ctx.language, f.nameFr, f.nameEn) }));
      const canEditThis = ctx.can(PERMISSIONS.edit) && inScope(editScope(ctx), e.componentCode);
      await ctx.render('catalogue/admin-element', {
        ...pageLocals(ctx, 'elements', `${e.code} — ${pick(ctx.language, e.titleFr, e.titleEn)}`), element: e, rows, changes, formations, canEditThis,
      });
    },
  });

  r.route({
    method: 'GET',
    path: `${LIST}/:id/edit`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const e = await loadElement(ctx);
      if (!inScope(editScope(ctx), e.componentCode)) throw notFound(ctx, 'element');
      await showForm(p, ctx, 200, elementValues(e), {}, e, e.year);
    },
  });

  r.route({
    method: 'POST',
    path: `${LIST}/:id/edit`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const e = await loadElement(ctx);
      const scope = editScope(ctx);
      if (!inScope(scope, e.componentCode)) throw notFound(ctx, 'element');
      const values = { ...elementValuesFrom(ctx.body), code: e.code };
      const components = await componentChoices(ctx.db.knex, ctx.institution.id, scope);
      const { patch, errors } = parseElement(ctx, values, {
        isNew: false, exchangeCodes: exchangeTypesOf(p, ctx).map((x) => x.code), componentCodes: components.map((c) => c.code), componentRequired: scope !== 'all',
      });
      if (Object.keys(errors).length) return showForm(p, ctx, 422, values, errors, e, e.year);
      const version = Number(values.version);
      const changed = changedFields(e as unknown as Record<ElementField, unknown>, patch, ELEMENT_FIELDS);
      if (!changed.length) {
        ctx.flash('info', ctx.t('catalogue:admin.element.unchanged'));
        return seeOther(ctx, `${LIST}/${e.id}`);
      }
      const sub = Object.fromEntries(changed.map((f) => [f, patch[f]]));
      try {
        await storeOf(ctx).saveElement(ctx, e.year, e.id, sub, Number.isInteger(version) ? version : -1);
      } catch (err) {
        if (statusOf(err) === 409) {
          ctx.log.info({ element: e.id }, 'element edit refused: changed meanwhile');
          return showForm(p, ctx, 409, values, {}, e, e.year, { conflict: ctx.t('catalogue:admin.element.conflict') });
        }
        const fe = storeFieldError(ctx, err);
        if (!fe) throw err;
        return showForm(p, ctx, 422, values, { [fe.key]: fe.message }, e, e.year);
      }
      ctx.flash('success', ctx.t('catalogue:admin.element.saved', { code: e.code, count: changed.length }));
      seeOther(ctx, `${LIST}/${e.id}`);
    },
  });

  registerRevertRoute<Element>(p, {
    kind: 'element', list: LIST, fields: ELEMENT_FIELDS, load: loadElement,
    revert: (ctx, id, f, version) => storeOf(ctx).revertElementField(ctx, id, f as ElementField, version), label: fieldLabel,
  });
}
