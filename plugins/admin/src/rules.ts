import type { RegisterApi, RoleInfo, RoleRule, RuleCondition } from '@smile/sdk';
import { field, fields, hasStatus, inLang, notFound, reason, renderWithStatus, rolesOf, seeOther, type Ctx } from './common.js';

export const OPS: readonly RuleCondition['op'][] = ['contains', 'not-contains', 'equals', 'not-equals', 'matches', 'present', 'absent'];
const NO_VALUE = new Set<string>(['present', 'absent']);
/** Attribute names: SAML friendly names or OIDs (`urn:oid:1.3.6…`), as the core accepts them. */
export const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;
const SCOPES = ['institution', 'components', 'attribute'] as const;
const MIN_ROWS = 3;
const MAX_ROWS = 20;
const MAX_VALUE = 500;
/** Attributes that sign-in methods commonly assert, offered as suggestions. */
export const COMMON_ATTRIBUTES = [
  'eduPersonAffiliation', 'eduPersonPrimaryAffiliation', 'eduPersonScopedAffiliation', 'eppn', 'mail', 'schacHomeOrganization',
  'schacPersonalUniqueCode', 'supannEntiteAffectation', 'supannEtuCursusAnnee', 'displayName', 'givenName', 'sn',
];

/** A condition row as typed (blank rows are ignored). */
export interface ConditionRow { attribute: string; op: string; value: string }
/** The rule form, as the person typed it. */
export interface RuleForm {
  name: string;
  conditions: ConditionRow[];
  role: string;
  scopeKind: string;
  scopeComponents: string[];
  scopeAttribute: string;
  enabled: boolean;
}
/** Field errors: `name`, `conditions`, `cond-<i>-attribute|op|value`, `role`, `scope`, `form`. */
export type RuleErrors = Record<string, string>;

const blankRow = (): ConditionRow => ({ attribute: '', op: 'contains', value: '' });
const isBlank = (c: ConditionRow) => !c.attribute && !c.value;

/**
 * The rows to show: those typed, in place (error keys use their numbers), then empty ones, so
 * that there are `extra` empty rows after the last filled one (three rows at least, twenty at most).
 */
function padded(rows: ConditionRow[], extra = 2): ConditionRow[] {
  const last = rows.reduce((m, c, i) => (isBlank(c) ? m : i), -1);
  const n = Math.min(MAX_ROWS, Math.max(MIN_ROWS, last + 1 + extra));
  return Array.from({ length: Math.max(n, last + 1) }, (_, i) => rows[i] ?? blankRow());
}

export function formOf(rule: RoleRule): RuleForm {
  return {
    name: rule.name, role: rule.role, enabled: rule.enabled, scopeKind: rule.scope.kind,
    conditions: rule.conditions.map((c) => ({ attribute: c.attribute, op: c.op, value: c.value ?? '' })),
    scopeComponents: rule.scope.kind === 'components' ? rule.scope.components : [],
    scopeAttribute: rule.scope.kind === 'attribute' ? rule.scope.attribute : '',
  };
}

function formFrom(body: unknown): RuleForm {
  const count = Math.min(MAX_ROWS, Math.max(0, Number.parseInt(field(body, 'rows'), 10) || 0));
  const conditions = Array.from({ length: count }, (_, i) => ({
    attribute: field(body, `cond${i}_attribute`), op: field(body, `cond${i}_op`) || 'contains', value: field(body, `cond${i}_value`),
  }));
  return {
    name: field(body, 'name'), conditions, role: field(body, 'role'), scopeKind: field(body, 'scopeKind') || 'institution',
    scopeComponents: fields(body, 'scopeComponents'), scopeAttribute: field(body, 'scopeAttribute'), enabled: field(body, 'enabled') === '1',
  };
}

/**
 * Check the form; returns the rule to save or the translated errors by field. Blank condition rows
 * are dropped; their numbering in error keys is the row's, so messages sit next to the right fields.
 */
export function validateRule(f: RuleForm, roles: readonly RoleInfo[], components: ReadonlySet<string>, t: Ctx['t']): { rule: Omit<RoleRule, 'id' | 'position'> | null; errors: RuleErrors } {
  const errors: RuleErrors = {};
  if (!f.name) errors.name = t('admin:rules.errors.required');
  else if (f.name.length > 200) errors.name = t('admin:rules.errors.tooLong', { max: 200 });
  const conditions: RuleCondition[] = [];
  f.conditions.forEach((c, i) => {
    if (isBlank(c)) return;
    if (!ATTRIBUTE.test(c.attribute)) errors[`cond-${i}-attribute`] = t(c.attribute ? 'admin:rules.errors.attribute' : 'admin:rules.errors.required');
    if (!OPS.includes(c.op as RuleCondition['op'])) errors[`cond-${i}-op`] = t('admin:rules.errors.op');
    else if (!NO_VALUE.has(c.op)) {
      if (!c.value) errors[`cond-${i}-value`] = t('admin:rules.errors.value');
      else if (c.value.length > MAX_VALUE) errors[`cond-${i}-value`] = t('admin:rules.errors.tooLong', { max: MAX_VALUE });
      else if (c.op === 'matches') {
        try {
          new RegExp(c.value, 'i');
        } catch {
          errors[`cond-${i}-value`] = t('admin:rules.errors.regex');
        }
      }
    }
    conditions.push({ attribute: c.attribute, op: c.op as RuleCondition['op'], ...(NO_VALUE.has(c.op) ? {} : { value: c.value }) });
  });
  if (conditions.length === 0) errors.conditions = t('admin:rules.errors.noCondition');
  if (!f.role) errors.role = t('admin:rules.errors.required');
  else if (!roles.some((r) => r.key === f.role)) errors.role = t('admin:rules.errors.role');
  let scope: RoleRule['scope'] = { kind: 'institution' };
  if (!(SCOPES as readonly string[]).includes(f.scopeKind)) errors.scope = t('admin:rules.errors.scope');
  else if (f.scopeKind === 'components') {
    const unknown = f.scopeComponents.filter((c) => !components.has(c));
    if (f.scopeComponents.length === 0) errors.scope = t('admin:rules.errors.noComponent');
    else if (unknown.length) errors.scope = t('admin:rules.errors.unknownComponent', { codes: unknown.join(', ').slice(0, 200) });
    else scope = { kind: 'components', components: [...new Set(f.scopeComponents)] };
  } else if (f.scopeKind === 'attribute') {
    if (!ATTRIBUTE.test(f.scopeAttribute)) errors.scope = t(f.scopeAttribute ? 'admin:rules.errors.attribute' : 'admin:rules.errors.scopeAttribute');
    else scope = { kind: 'attribute', attribute: f.scopeAttribute };
  }
  if (Object.keys(errors).length) return { rule: null, errors };
  return { rule: { name: f.name, conditions, role: f.role, scope, enabled: f.enabled }, errors };
}

/**
 * Attributes pasted in the test panel: one `name=value` per line, a repeated name adds a value.
 * Returns the 1-based number of the first line that is not of that form, if any.
 */
export function parseAttributes(text: string): { attributes: Record<string, string[]>; badLine: number | null } {
  const attributes: Record<string, string[]> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!ATTRIBUTE.test(name)) return { attributes, badLine: i + 1 };
    (attributes[name] ??= []).push(line.slice(eq + 1).trim());
  }
  return { attributes, badLine: null };
}

/** What the rules page and the form show about a rule, in the page language. */
function describe(ctx: Ctx, rule: RoleRule, roleNames: Map<string, string>, componentNames: Map<string, string>) {
  const scope = rule.scope.kind === 'institution' ? ctx.t('admin:rules.scope.institutionShort')
    : rule.scope.kind === 'components' ? ctx.t('admin:rules.scope.componentsShort', { components: rule.scope.components.map((c) => componentNames.get(c) ?? c).join(', ') })
    : ctx.t('admin:rules.scope.attributeShort', { attribute: rule.scope.attribute });
  return {
    id: rule.id, name: rule.name, enabled: rule.enabled, role: roleNames.get(rule.role) ?? rule.role, scope,
    conditions: rule.conditions.map((c) => ({ attribute: c.attribute, op: ctx.t(`admin:rules.ops.${c.op}`), value: c.value ?? null })),
  };
}

interface TestState { text: string; error: string | null; results: { role: string; scope: string; rule: string }[] | null }

async function context(ctx: Ctx) {
  const roles = rolesOf(ctx);
  const [all, comps] = await Promise.all([roles.list(ctx.institution.id), roles.components(ctx.institution.id)]);
  return {
    roles: all,
    roleNames: new Map(all.map((r) => [r.key, inLang(r.name, ctx.language)])),
    components: comps.map((c) => ({ code: c.code, name: inLang(c.name, ctx.language) })),
    componentNames: new Map(comps.map((c) => [c.code, inLang(c.name, ctx.language)])),
  };
}

async function showList(ctx: Ctx, status: number, test: TestState = { text: '', error: null, results: null }) {
  const c = await context(ctx);
  const rules = (await rolesOf(ctx).rules(ctx.institution.id)).sort((a, b) => a.position - b.position || a.id - b.id);
  await renderWithStatus(ctx, status, 'admin/rules', {
    title: ctx.t('admin:rules.title'), rules: rules.map((r) => describe(ctx, r, c.roleNames, c.componentNames)), test,
  });
}

async function showForm(ctx: Ctx, status: number, id: number | null, form: RuleForm, errors: RuleErrors = {}, extra = 2) {
  const c = await context(ctx);
  await renderWithStatus(ctx, status, 'admin/rule-form', {
    title: id === null ? ctx.t('admin:rules.newTitle') : ctx.t('admin:rules.editTitle', { rule: form.name }),
    id, form: { ...form, conditions: padded(form.conditions, extra) }, errors, ops: OPS, attributes: COMMON_ATTRIBUTES,
    roles: c.roles.map((r) => ({ value: r.key, label: `${inLang(r.name, ctx.language)} (${r.key})` })),
    components: c.components, schacCode: ctx.institution.schacCode,
  });
}

async function findRule(ctx: Ctx): Promise<RoleRule> {
  const id = String(ctx.params.id ?? '');
  const rule = /^[1-9][0-9]{0,9}$/.test(id) ? (await rolesOf(ctx).rules(ctx.institution.id)).find((r) => r.id === Number(id)) : undefined;
  if (!rule) throw notFound('rule');
  return rule;
}

/** Validate and save the posted form (`id` null: a new rule); "more rows" only shows the form again. */
async function submit(ctx: Ctx, id: number | null) {
  const form = formFrom(ctx.body);
  if (field(ctx.body, 'more')) return showForm(ctx, 200, id, form, {}, 5);
  const c = await context(ctx);
  const { rule, errors } = validateRule(form, c.roles, new Set(c.components.map((x) => x.code)), ctx.t);
  if (!rule) return showForm(ctx, 422, id, form, errors);
  try {
    await rolesOf(ctx).saveRule(ctx, id === null ? rule : { ...rule, id });
  } catch (e) {
    if (hasStatus(e, 400) || hasStatus(e, 409) || hasStatus(e, 422)) return showForm(ctx, 422, id, form, { form: ctx.t('admin:rules.errors.refused', { reason: reason(e) }) });
    throw e;
  }
  ctx.flash('success', ctx.t(id === null ? 'admin:rules.created' : 'admin:rules.saved', { rule: rule.name }));
  seeOther(ctx, '/admin/rules');
}

/** `/admin/rules`: the automatic role rules, in order, and a panel that tries them on pasted attributes. */
export function registerRules(r: RegisterApi) {
  r.route({ method: 'GET', path: '/admin/rules', permission: 'admin:rules.manage', handler: (ctx) => showList(ctx, 200) });
  r.route({
    method: 'GET',
    path: '/admin/rules/new',
    permission: 'admin:rules.manage',
    handler: (ctx) => showForm(ctx, 200, null, { name: '', conditions: [], role: '', scopeKind: 'institution', scopeComponents: [], scopeAttribute: '', enabled: true }),
  });
  r.route({ method: 'POST', path: '/admin/rules', permission: 'admin:rules.manage', handler: (ctx) => submit(ctx, null) });

  // Changes nothing: evaluates the stored rules on the pasted attributes. A POST, so that the
  // attributes (personal data) stay out of URLs and access logs.
  r.route({
    method: 'POST',
    path: '/admin/rules/test',
    permission: 'admin:rules.manage',
    async handler(ctx) {
      const text = field(ctx.body, 'attributes', true).slice(0, 20_000);
      const { attributes, badLine } = parseAttributes(text);
      let test: TestState;
      if (badLine !== null) test = { text, error: ctx.t('admin:rules.test.badLine', { line: badLine }), results: null };
      else if (Object.keys(attributes).length === 0) test = { text, error: ctx.t('admin:rules.test.empty'), results: null };
      else {
        const c = await context(ctx);
        const preview = await rolesOf(ctx).previewRules(ctx.institution.id, attributes);
        test = {
          text, error: null,
          results: preview.map((p) => ({
            role: c.roleNames.get(p.role) ?? p.role, rule: p.ruleName,
            scope: p.components.length ? p.components.map((x) => c.componentNames.get(x) ?? x).join(', ') : ctx.t('admin:rules.scope.institutionShort'),
          })),
        };
      }
      const status = test.error ? 422 : 200;
      if (ctx.htmx) return renderWithStatus(ctx, status, 'admin/rule-test', { test, fragment: true });
      return showList(ctx, status, test);
    },
  });

  r.route({
    method: 'GET',
    path: '/admin/rules/:id',
    permission: 'admin:rules.manage',
    async handler(ctx) {
      const rule = await findRule(ctx);
      await showForm(ctx, 200, rule.id, formOf(rule));
    },
  });
  r.route({ method: 'POST', path: '/admin/rules/:id', permission: 'admin:rules.manage', handler: async (ctx) => submit(ctx, (await findRule(ctx)).id) });
  r.route({
    method: 'POST',
    path: '/admin/rules/:id/delete',
    permission: 'admin:rules.manage',
    async handler(ctx) {
      const rule = await findRule(ctx);
      await rolesOf(ctx).deleteRule(ctx, rule.id);
      ctx.flash('success', ctx.t('admin:rules.deleted', { rule: rule.name }));
      seeOther(ctx, '/admin/rules');
    },
  });
}
