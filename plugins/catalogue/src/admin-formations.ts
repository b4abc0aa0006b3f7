/**
 * Formations in the back office: the list, the formation page (imported vs local fields, its tree
 * as an outline, a link to the offer editor) and the edit and create forms.
 * @packageDocumentation
 */
import { applyTable, defineTable, formField as field, parseTableState, renderTable, seeOther } from '@smile/sdk';
import type { TableFilter, TableSpec } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import type { TreeNode } from './store.js';
import { FORMATION_FIELDS, type Formation, type FormationField } from './types.js';
import {
  b, editScope, idParam, inScope, keyOf, notFound, pageLocals, pick, readScope, renderWithStatus, statusOf, storeOf, yearChoices, yearOf,
  registerRevertRoute, type Ctx, type PartContext,
} from './admin-common.js';
import { display, fieldLabel, type DisplayContext } from './admin-display.js';
import { blankFormation, changedFields, formationValues, formationValuesFrom, parseFormation, type Errors, type FormationValues } from './admin-forms.js';
import {
  componentChoices, componentCodesById, formationLevels, formationListQuery, typeChoices,
  type ComponentChoice, type TypeChoice,
} from './admin-queries.js';

const LIST = '/catalogue/admin/formations';

function formationsTable(components: ComponentChoice[], levels: number[], diplomas: TypeChoice[]): TableSpec {
  const filters: TableFilter[] = [];
  if (components.length) {
    filters.push({ key: 'component', label: b('elements.filters.component'), type: 'select', sql: 'component_code', options: components.map((c) => ({ value: c.code, label: { fr: `${c.code} — ${c.nameFr}`, en: `${c.code} — ${c.nameEn}` } })) });
  }
  if (levels.length) filters.push({ key: 'level', label: b('elements.filters.level'), type: 'select', options: levels.map((l) => ({ value: String(l), label: { fr: String(l), en: String(l) } })) });
  if (diplomas.length) {
    filters.push({ key: 'diploma', label: b('formations.filters.diploma'), type: 'select', sql: 'diploma_code', options: diplomas.map((d) => ({ value: d.code, label: { fr: d.nameFr, en: d.nameEn || d.nameFr } })) });
  }
  filters.push({ key: 'open', label: b('elements.filters.open'), type: 'boolean', sql: 'open_to_mobility' });
  filters.push({ key: 'origin', label: b('elements.filters.origin'), type: 'select', options: ['imported', 'edited', 'local'].map((o) => ({ value: o, label: b(`origin.${o}`) })) });
  filters.push({ key: 'insource', label: b('elements.filters.inSource'), type: 'boolean', sql: 'in_source' });
  return defineTable({
    id: 'catalogue-formations',
    caption: b('formations.caption'),
    columns: [
      { key: 'code', label: b('elements.col.code'), sortable: true, href: (row) => `${LIST}/${row.id}` },
      { key: 'name', label: b('formations.col.name'), sortable: true },
      { key: 'component_code', label: b('elements.col.component'), sortable: true },
      { key: 'diploma_code', label: b('formations.col.diploma'), sortable: true },
      { key: 'level', label: b('formations.col.level'), sortable: true, type: 'number' },
      { key: 'elements', label: b('formations.col.elements'), sortable: true, type: 'number' },
      { key: 'open_to_mobility', label: b('elements.col.open'), sortable: true, type: 'boolean', format: (v, _r, lang) => b(v ? 'open' : 'closed')[lang] },
      { key: 'origin', label: b('elements.col.origin'), sortable: true, format: (v, row, lang) => [b(`origin.${v}`)[lang], row.in_source ? '' : b('origin.gone')[lang]].filter(Boolean).join(' · ') },
    ],
    filters,
    search: { columns: ['code', 'name_fr', 'name_en', 'acronym'] },
    defaultSort: { key: 'code' },
    uniqueKey: 'id',
  });
}

async function loadFormation(ctx: Ctx): Promise<Formation> {
  const f = await storeOf(ctx).formationById(ctx.institution.id, idParam(ctx, 'formation'));
  if (!f || !inScope(readScope(ctx), f.componentCode)) throw notFound(ctx, 'formation');
  return f;
}

async function typeLists(ctx: Ctx) {
  const [diplomas, kinds] = await Promise.all([
    typeChoices(ctx.db.knex, ctx.institution.id, 'catalogue_diploma_types'),
    typeChoices(ctx.db.knex, ctx.institution.id, 'catalogue_formation_types'),
  ]);
  return { diplomas, kinds };
}

/** The stored formation with its types as codes, as the form compares it. */
function comparable(f: Formation, t: { diplomas: TypeChoice[]; kinds: TypeChoice[] }): Record<FormationField, unknown> {
  return {
    nameFr: f.nameFr, nameEn: f.nameEn, acronym: f.acronym, componentCode: f.componentCode,
    diplomaType: t.diplomas.find((d) => d.id === f.diplomaTypeId)?.code ?? null, formationType: t.kinds.find((d) => d.id === f.formationTypeId)?.code ?? null,
    level: f.level, domain: f.domain, isced: f.isced, eqf: f.eqf, languages: f.languages, openToMobility: f.openToMobility,
  };
}

async function showForm(ctx: Ctx, status: number, values: FormationValues, errors: Errors, formation: Formation | null, year: number, extra: Record<string, unknown> = {}) {
  const scope = editScope(ctx);
  const components = await componentChoices(ctx.db.knex, ctx.institution.id, scope);
  const types = await typeLists(ctx);
  const d: DisplayContext = {
    exchangeTypes: [], components: await componentCodesById(ctx.db.knex, ctx.institution.id, formation ? [formation.imported.componentCode] : []),
    types: new Map([...types.diplomas, ...types.kinds].map((x) => [x.id, x.code])),
  };
  const local: Record<string, string> = {};
  for (const f of formation?.localFields ?? []) local[f] = f in (formation?.imported ?? {}) ? display(ctx, f, formation!.imported[f], d) : '';
  const title = formation ? ctx.t('catalogue:admin.formation.editTitle', { code: formation.code }) : ctx.t('catalogue:admin.formation.newTitle');
  await renderWithStatus(ctx, status, 'catalogue/admin-formation-form', {
    ...pageLocals(ctx, 'formations', title), values, errors, formation, year, components, ...types, local, componentRequired: scope !== 'all', conflict: null, ...extra,
  });
}

function storeFieldError(ctx: Ctx, e: unknown): { key: string; message: string } | null {
  const key = keyOf(e);
  if (statusOf(e) !== 400 || !key) return null;
  const msg = e instanceof Error ? e.message : '';
  if (key === 'code' && /already exists/.test(msg)) return { key, message: ctx.t('catalogue:admin.errors.codeTaken') };
  return { key, message: ctx.t('catalogue:admin.errors.choose') };
}

/** A node of the formation outline. */
interface OutlineNode {
  id: number;
  code: string;
  title: string;
  kind: string;
  open: boolean;
  children: OutlineNode[];
}

/** The tree of a formation for its outline, at most 2,000 nodes. */
function outline(nodes: TreeNode[], lang: 'fr' | 'en'): OutlineNode[] {
  let count = 0;
  const walk = (list: TreeNode[]): OutlineNode[] =>
    list.filter(() => count++ < 2000).map((n) => ({
      id: n.element.id, code: n.element.code, title: pick(lang, n.element.titleFr, n.element.titleEn), kind: n.element.kind, open: n.element.openToMobility,
      children: walk(n.children),
    }));
  return walk(nodes);
}

export function registerFormations(p: PartContext): void {
  const { r } = p;
  const parseOpts = async (ctx: Ctx, isNew: boolean) => {
    const scope = editScope(ctx);
    const components = await componentChoices(ctx.db.knex, ctx.institution.id, scope);
    const types = await typeLists(ctx);
    return {
      types,
      opts: {
        isNew, exchangeCodes: [], componentCodes: components.map((c) => c.code), componentRequired: scope !== 'all',
        diplomaTypes: types.diplomas.map((x) => x.code), formationTypes: types.kinds.map((x) => x.code),
      },
    };
  };

  r.route({
    method: 'GET',
    path: LIST,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const year = yearOf(ctx);
      const scope = readScope(ctx);
      const knex = ctx.db.knex;
      const spec = formationsTable(
        await componentChoices(knex, ctx.institution.id, scope),
        await formationLevels(knex, ctx.institution.id, year),
        await typeChoices(knex, ctx.institution.id, 'catalogue_diploma_types'),
      );
      const state = parseTableState(spec, { ...ctx.query, year: String(year) });
      const table = await applyTable(formationListQuery(knex, ctx.institution.id, year, scope, ctx.language), spec, state);
      await renderTable(ctx, {
        view: 'catalogue/admin-formations', table, baseUrl: LIST,
        locals: { ...pageLocals(ctx, 'formations', ctx.t('catalogue:admin.formations.title')), year, years: await yearChoices(ctx, year) },
      });
    },
  });

  r.route({
    method: 'GET',
    path: `${LIST}/new`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const scope = editScope(ctx);
      await showForm(ctx, 200, blankFormation(scope !== 'all' && scope.length === 1 ? scope[0] : ''), {}, null, yearOf(ctx));
    },
  });

  r.route({
    method: 'POST',
    path: `${LIST}/new`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const year = yearOf(ctx, ctx.body as Record<string, unknown>);
      const values = formationValuesFrom(ctx.body);
      const { opts } = await parseOpts(ctx, true);
      const { patch, errors } = parseFormation(ctx, values, opts);
      if (Object.keys(errors).length) return showForm(ctx, 422, values, errors, null, year);
      try {
        const saved = await storeOf(ctx).saveFormation(ctx, year, null, patch, null);
        ctx.flash('success', ctx.t('catalogue:admin.formation.created', { code: saved.code }));
        seeOther(ctx, `${LIST}/${saved.id}`);
      } catch (e) {
        const fe = storeFieldError(ctx, e);
        if (!fe) throw e;
        return showForm(ctx, 422, values, { [fe.key]: fe.message }, null, year);
      }
    },
  });

  r.route({
    method: 'GET',
    path: `${LIST}/:id`,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const f = await loadFormation(ctx);
      const types = await typeLists(ctx);
      const d: DisplayContext = {
        exchangeTypes: [], components: await componentCodesById(ctx.db.knex, ctx.institution.id, [f.imported.componentCode]),
        types: new Map([...types.diplomas, ...types.kinds].map((x) => [x.id, x.code])),
      };
      const stored = comparable(f, types);
      const rows = FORMATION_FIELDS.map((k) => ({
        field: k, label: fieldLabel(ctx, k), value: display(ctx, k, stored[k], d), local: f.localFields.includes(k), imported: k in f.imported ? display(ctx, k, f.imported[k], d) : null,
      }));
      const store = storeOf(ctx);
      const changes = (await store.changes(ctx.institution.id, f.year, 'formation', f.code)).map((c: Record<string, any>) => ({
        at: c.at, change: c.change, runId: c.run_id,
        fields: Object.entries((c.fields ?? {}) as Record<string, [unknown, unknown]>).map(([k, [before, after]]) => ({ label: fieldLabel(ctx, k), before: display(ctx, k, before, d), after: display(ctx, k, after, d) })),
      }));
      const tree = outline(await store.tree(ctx.institution.id, f.id), ctx.language);
      await ctx.render('catalogue/admin-formation', {
        ...pageLocals(ctx, 'formations', `${f.code} — ${pick(ctx.language, f.nameFr, f.nameEn)}`), formation: f, rows, changes, tree,
        canEditThis: ctx.can(PERMISSIONS.edit) && inScope(editScope(ctx), f.componentCode),
      });
    },
  });

  r.route({
    method: 'GET',
    path: `${LIST}/:id/edit`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const f = await loadFormation(ctx);
      if (!inScope(editScope(ctx), f.componentCode)) throw notFound(ctx, 'formation');
      const stored = comparable(f, await typeLists(ctx));
      await showForm(ctx, 200, formationValues(f, { diplomaType: String(stored.diplomaType ?? ''), formationType: String(stored.formationType ?? '') }), {}, f, f.year);
    },
  });

  r.route({
    method: 'POST',
    path: `${LIST}/:id/edit`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const f = await loadFormation(ctx);
      if (!inScope(editScope(ctx), f.componentCode)) throw notFound(ctx, 'formation');
      const values = { ...formationValuesFrom(ctx.body), code: f.code };
      const { opts, types } = await parseOpts(ctx, false);
      const { patch, errors } = parseFormation(ctx, values, opts);
      if (Object.keys(errors).length) return showForm(ctx, 422, values, errors, f, f.year);
      const changed = changedFields(comparable(f, types), patch, FORMATION_FIELDS);
      if (!changed.length) {
        ctx.flash('info', ctx.t('catalogue:admin.element.unchanged'));
        return seeOther(ctx, `${LIST}/${f.id}`);
      }
      const version = Number(values.version);
      try {
        await storeOf(ctx).saveFormation(ctx, f.year, f.id, Object.fromEntries(changed.map((k) => [k, patch[k]])), Number.isInteger(version) ? version : -1);
      } catch (e) {
        if (statusOf(e) === 409) return showForm(ctx, 409, values, {}, f, f.year, { conflict: ctx.t('catalogue:admin.formation.conflict') });
        const fe = storeFieldError(ctx, e);
        if (!fe) throw e;
        return showForm(ctx, 422, values, { [fe.key]: fe.message }, f, f.year);
      }
      ctx.flash('success', ctx.t('catalogue:admin.formation.saved', { code: f.code }));
      seeOther(ctx, `${LIST}/${f.id}`);
    },
  });

  registerRevertRoute<Formation>(p, {
    kind: 'formation', list: LIST, fields: FORMATION_FIELDS, load: loadFormation,
    revert: (ctx, id, f, version) => storeOf(ctx).revertFormationField(ctx, id, f as FormationField, version), label: fieldLabel,
  });
}
