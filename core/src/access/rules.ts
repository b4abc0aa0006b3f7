import type { RoleRule, RuleCondition } from '@smile/sdk';

/** The seeded roles of every institution: key, names, parent, external access. Parents come first. */
export const SEED_ROLES: ReadonlyArray<{ key: string; fr: string; en: string; parent: string | null; external: boolean }> = [
  { key: 'guest', fr: 'Invité', en: 'Guest', parent: null, external: true },
  { key: 'standard', fr: 'Standard', en: 'Standard', parent: 'guest', external: false },
  { key: 'student', fr: 'Étudiant', en: 'Student', parent: 'standard', external: true },
  { key: 'doctoral', fr: 'Doctorant', en: 'Doctoral student', parent: 'student', external: true },
  { key: 'trainee', fr: 'Stagiaire', en: 'Trainee', parent: 'student', external: true },
  { key: 'referent', fr: 'Référent pédagogique', en: 'Educational referent', parent: 'standard', external: true },
  { key: 'manager', fr: 'Gestionnaire', en: 'Manager', parent: 'standard', external: false },
  { key: 'supermanager', fr: 'Super-gestionnaire', en: 'Senior manager', parent: 'manager', external: false },
  { key: 'admin', fr: 'Administrateur fonctionnel', en: 'Functional administrator', parent: 'supermanager', external: false },
  { key: 'techadmin', fr: 'Administrateur technique', en: 'Technical administrator', parent: 'standard', external: false },
];

export const RULE_OPS: ReadonlyArray<RuleCondition['op']> = ['contains', 'not-contains', 'equals', 'not-equals', 'matches', 'present', 'absent'];
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;

/** Why a rule is invalid (field → message key), or null. Roles are checked by the caller. */
export function ruleProblems(rule: Pick<RoleRule, 'name' | 'conditions' | 'scope'>): Record<string, string> | null {
  const p: Record<string, string> = {};
  if (!rule.name?.trim()) p.name = 'required';
  if (!Array.isArray(rule.conditions) || rule.conditions.length === 0) p.conditions = 'no-condition';
  else {
    rule.conditions.forEach((c, i) => {
      if (!ATTRIBUTE.test(c.attribute ?? '')) p[`conditions.${i}.attribute`] = 'bad-attribute';
      if (!RULE_OPS.includes(c.op)) p[`conditions.${i}.op`] = 'bad-operator';
      else if (c.op !== 'present' && c.op !== 'absent' && !(c.value ?? '').trim()) p[`conditions.${i}.value`] = 'required';
      else if (c.op === 'matches') {
        try {
          new RegExp(c.value!, 'i');
        } catch {
          p[`conditions.${i}.value`] = 'bad-regex';
        }
      }
    });
  }
  if (rule.scope?.kind === 'attribute' && !ATTRIBUTE.test(rule.scope.attribute ?? '')) p.scope = 'bad-attribute';
  if (rule.scope?.kind === 'components' && !(rule.scope.components?.length > 0)) p.scope = 'no-component';
  if (!['institution', 'attribute', 'components'].includes(rule.scope?.kind)) p.scope = 'bad-scope';
  return Object.keys(p).length ? p : null;
}

/** Attribute values by lower-cased name (SAML friendly names vary in case between IdPs). */
function lookup(attributes: Record<string, string[]>, name: string): string[] {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(attributes)) if (k.toLowerCase() === lower) return v ?? [];
  return [];
}

function conditionHolds(c: RuleCondition, attributes: Record<string, string[]>, vars: { schacCode: string | null }): boolean {
  const values = lookup(attributes, c.attribute).map((v) => v.trim().toLowerCase());
  const want = (c.value ?? '').replace(/\{institution\.schacCode\}/g, vars.schacCode ?? '\u0000').trim().toLowerCase();
  switch (c.op) {
    case 'present':
      return values.length > 0;
    case 'absent':
      return values.length === 0;
    case 'contains':
      return values.includes(want);
    case 'not-contains':
      return !values.includes(want);
    // single-valued comparisons: an absent attribute is "not equal" to anything
    case 'equals':
      return values.length > 0 && values.every((v) => v === want);
    case 'not-equals':
      return !values.some((v) => v === want);
    case 'matches': {
      const re = new RegExp(c.value ?? '', 'i');
      return lookup(attributes, c.attribute).some((v) => re.test(v));
    }
    default:
      return false;
  }
}

/**
 * Roles the rules give to someone with `attributes`, in rule order. A rule whose scope comes from an
 * attribute gives the role for the attribute's values that are known components (none known: no role).
 */
export function evaluateRules(
  rules: readonly RoleRule[],
  attributes: Record<string, string[]>,
  vars: { schacCode: string | null; components: ReadonlySet<string> },
): Array<{ role: string; components: string[]; ruleId: number; ruleName: string }> {
  const out: Array<{ role: string; components: string[]; ruleId: number; ruleName: string }> = [];
  for (const r of rules) {
    if (!r.enabled || !r.conditions.every((c) => conditionHolds(c, attributes, vars))) continue;
    let components: string[] = [];
    if (r.scope.kind === 'components') components = r.scope.components.filter((c) => vars.components.has(c));
    if (r.scope.kind === 'attribute') components = [...new Set(lookup(attributes, r.scope.attribute).map((v) => v.trim()).filter((v) => vars.components.has(v)))];
    if (r.scope.kind !== 'institution' && components.length === 0) continue;
    out.push({ role: r.role, components: components.sort(), ruleId: r.id, ruleName: r.name });
  }
  return out;
}
