/**
 * Components in the back office: the list with their catalogue details and offer, and a form for
 * the details (acronym, long names, campus, contacts). Their codes and names belong to the core
 * (shared with role scopes) and are changed in the administration area.
 * @packageDocumentation
 */
import { applyTable, coreServices, defineTable, formField as field, parseTableState, renderTable, seeOther } from '@smile/sdk';
import type { TableSpec } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import type { ComponentContact } from './types.js';
import { b, editScope, inScope, notFound, pageLocals, readScope, renderWithStatus, yearChoices, yearOf, type Ctx, type PartContext } from './admin-common.js';
import { componentDetails, componentListQuery, saveComponentDetails, type ComponentDetails } from './admin-queries.js';
import type { Errors } from './admin-forms.js';

const LIST = '/catalogue/admin/components';
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const componentsTable: TableSpec = defineTable({
  id: 'catalogue-components',
  caption: b('components.caption'),
  columns: [
    { key: 'code', label: b('elements.col.code'), sortable: true, href: (row) => `${LIST}/${encodeURIComponent(row.code)}` },
    { key: 'name', label: b('components.col.name'), sortable: true },
    { key: 'acronym', label: b('components.col.acronym'), sortable: true },
    { key: 'campus', label: b('components.col.campus'), sortable: true },
    { key: 'formations', label: b('components.col.formations'), sortable: true, type: 'number' },
    { key: 'elements', label: b('components.col.elements'), sortable: true, type: 'number' },
  ],
  search: { columns: ['code', 'name_fr', 'name_en', 'acronym', 'name_long_fr', 'name_long_en'] },
  defaultSort: { key: 'code' },
  uniqueKey: 'id',
});

interface Values {
  acronym: string;
  nameLongFr: string;
  nameLongEn: string;
  campus: string;
  /** One contact per line: role; name; email; phone. */
  contacts: string;
}

const contactsText = (list: ComponentContact[]) => list.map((c) => [c.role ?? '', c.name ?? '', c.email ?? '', c.phone ?? ''].join('; ').replace(/(; )+$/, '')).join('\n');

function parse(ctx: Ctx, v: Values): { contacts: ComponentContact[]; errors: Errors } {
  const errors: Errors = {};
  const t = (k: string, vars?: Record<string, string | number>) => ctx.t(`catalogue:admin.errors.${k}`, vars);
  for (const [k, max] of [['acronym', 50], ['nameLongFr', 300], ['nameLongEn', 300], ['campus', 200]] as const) if (v[k].length > max) errors[k] = t('tooLong', { max });
  const contacts: ComponentContact[] = [];
  const lines = v.contacts.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length > 30) errors.contacts = t('tooMany', { max: 30 });
  lines.forEach((line, i) => {
    const [role = '', name = '', email = '', phone = ''] = line.split(';').map((s) => s.trim());
    if (email && !EMAIL.test(email)) errors.contacts ??= t('contactEmail', { line: i + 1 });
    if ([role, name, email, phone].some((s) => s.length > 200)) errors.contacts ??= t('tooLong', { max: 200 });
    const c: ComponentContact = {};
    if (role) c.role = role;
    if (name) c.name = name;
    if (email) c.email = email;
    if (phone) c.phone = phone;
    contacts.push(c);
  });
  return { contacts, errors };
}

async function load(ctx: Ctx): Promise<ComponentDetails> {
  const code = String(ctx.params.code ?? '');
  const c = CODE.test(code) ? await componentDetails(ctx.db.knex, ctx.institution.id, code) : undefined;
  if (!c || !inScope(readScope(ctx), c.code)) throw notFound(ctx, 'component');
  return c;
}

async function show(ctx: Ctx, status: number, component: ComponentDetails, values: Values, errors: Errors) {
  const canEditThis = ctx.can(PERMISSIONS.edit) && inScope(editScope(ctx), component.code);
  await renderWithStatus(ctx, status, 'catalogue/admin-component', {
    ...pageLocals(ctx, 'components', `${component.code} — ${ctx.language === 'fr' ? component.nameFr : component.nameEn}`), component, values, errors, canEditThis,
    canAdminister: ctx.can('admin:roles.manage'),
  });
}

export function registerComponents(p: PartContext): void {
  const { r } = p;

  r.route({
    method: 'GET',
    path: LIST,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const year = yearOf(ctx);
      const state = parseTableState(componentsTable, { ...ctx.query, year: String(year) });
      const table = await applyTable(componentListQuery(ctx.db.knex, ctx.institution.id, year, readScope(ctx), ctx.language), componentsTable, state);
      await renderTable(ctx, {
        view: 'catalogue/admin-components', table, baseUrl: LIST,
        locals: { ...pageLocals(ctx, 'components', ctx.t('catalogue:admin.components.title')), year, years: await yearChoices(ctx, year) },
      });
    },
  });

  r.route({
    method: 'GET',
    path: `${LIST}/:code`,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const c = await load(ctx);
      await show(ctx, 200, c, { acronym: c.acronym ?? '', nameLongFr: c.nameLongFr ?? '', nameLongEn: c.nameLongEn ?? '', campus: c.campus ?? '', contacts: contactsText(c.contacts) }, {});
    },
  });

  r.route({
    method: 'POST',
    path: `${LIST}/:code`,
    permission: PERMISSIONS.edit,
    async handler(ctx) {
      const c = await load(ctx);
      if (!inScope(editScope(ctx), c.code)) throw notFound(ctx, 'component');
      const values: Values = {
        acronym: field(ctx.body, 'acronym'), nameLongFr: field(ctx.body, 'nameLongFr'), nameLongEn: field(ctx.body, 'nameLongEn'),
        campus: field(ctx.body, 'campus'), contacts: field(ctx.body, 'contacts', true).trim(),
      };
      const { contacts, errors } = parse(ctx, values);
      if (Object.keys(errors).length) return show(ctx, 422, c, values, errors);
      const text = (s: string) => (s === '' ? null : s);
      await saveComponentDetails(ctx.resolve(coreServices.database).knex, ctx.resolve(coreServices.audit), ctx, c, {
        acronym: text(values.acronym), nameLongFr: text(values.nameLongFr), nameLongEn: text(values.nameLongEn), campus: text(values.campus), contacts,
      });
      ctx.flash('success', ctx.t('catalogue:admin.components.saved', { code: c.code }));
      seeOther(ctx, `${LIST}/${encodeURIComponent(c.code)}`);
    },
  });
}
