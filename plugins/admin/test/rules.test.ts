import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { Client, boot, freshInstitution } from './support.js';

/** The fields of a rule form with its conditions (rows numbered from 0). */
function ruleForm(o: { name: string; role: string; conditions: [string, string, string][]; scopeKind?: string; scopeAttribute?: string; enabled?: boolean }): [string, string][] {
  const out: [string, string][] = [['name', o.name], ['rows', String(o.conditions.length)], ['role', o.role], ['scopeKind', o.scopeKind ?? 'institution']];
  o.conditions.forEach(([attribute, op, value], i) => out.push([`cond${i}_attribute`, attribute], [`cond${i}_op`, op], [`cond${i}_value`, value]));
  if (o.scopeAttribute) out.push(['scopeAttribute', o.scopeAttribute]);
  if (o.enabled !== false) out.push(['enabled', '1']);
  return out;
}

describe('admin: automatic role rules and their test panel', () => {
  let t: TestPlatform;
  let admin: Client;
  const rules = () => t.resolve(coreServices.roles).rules(t.institution.id);
  before(async () => {
    t = await boot();
    admin = Client.fromSession(t, await t.signIn(['admin']));
    await t.knex('institutions').where({ id: t.institution.id }).update({ schac_code: 'univ-test.fr' });
    await freshInstitution(t);
  });
  after(async () => t?.stop());

  it('shows an empty list, the form with the placeholder explained, and the test panel', async () => {
    const list = await admin.get('/admin/rules');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('No rule yet').and.contain('id="rule-test"').and.contain('name="attributes"');
    const form = await admin.get('/admin/rules/new');
    expect(form.text).to.contain('{institution.schacCode} stands for this institution’s SCHAC code (univ-test.fr)');
    expect(form.text).to.contain('name="cond0_attribute"').and.contain('name="cond2_value"').and.contain('<option value="matches">matches the pattern</option>');
    expect(form.text).to.contain('<option value="supannEntiteAffectation">');
  });

  it('refuses an invalid rule with messages next to the fields, and saves nothing', async () => {
    const res = await admin.postFields('/admin/rules', ruleForm({ name: '', role: 'wizard', conditions: [['eduPersonAffiliation', 'matches', '(unclosed'], ['', 'contains', 'orphan value']] }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('id="f-name-error"').and.contain('This role does not exist').and.contain('not a valid regular expression');
    expect(res.text).to.contain('id="f-cond-0-value-error"').and.contain('id="f-cond-1-attribute-error"');
    expect(res.text).to.contain('value="(unclosed"').and.contain('value="orphan value"');
    expect(res.text).to.contain('href="#f-cond-0-value"');
    const none = await admin.postFields('/admin/rules', ruleForm({ name: 'Nothing', role: 'student', conditions: [] }));
    expect(none.status).to.equal(422);
    expect(none.text).to.contain('Give at least one condition.');
    const noComponent = await admin.postFields('/admin/rules', [...ruleForm({ name: 'X', role: 'student', conditions: [['mail', 'present', '']], scopeKind: 'components' })]);
    expect(noComponent.text).to.contain('Tick at least one component.');
    expect(await rules()).to.deep.equal([]);
  });

  it('“more condition rows” shows the form again with more rows, saving nothing', async () => {
    const res = await admin.postFields('/admin/rules', [...ruleForm({ name: 'Draft', role: 'student', conditions: [['mail', 'present', '']] }), ['more', '1']]);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('name="cond5_attribute"').and.contain('value="Draft"');
    expect(await rules()).to.deep.equal([]);
  });

  it('saves a rule and previews what it gives, changing nothing', async () => {
    const saved = await admin.postFields('/admin/rules', ruleForm({ name: 'Students of this university', role: 'student', conditions: [['eduPersonScopedAffiliation', 'contains', 'student@{institution.schacCode}']] }));
    expect(saved.status).to.equal(303);
    const list = await admin.get('/admin/rules');
    expect(list.text).to.contain('The rule “Students of this university” is created.');
    expect(list.text).to.contain('<code>eduPersonScopedAffiliation</code> has the value <code>student@{institution.schacCode}</code>').and.contain('Whole institution');
    const [rule] = await rules();
    expect(rule).to.deep.include({ name: 'Students of this university', role: 'student', enabled: true, scope: { kind: 'institution' } });

    const before = await t.knex('role_assignments').count('* as n').first();
    const preview = await admin.post('/admin/rules/test', { attributes: 'eduPersonScopedAffiliation=member@univ-test.fr\neduPersonScopedAffiliation=STUDENT@univ-test.fr\n\nmail=a@b.c' });
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('Student — Whole institution — by rule “Students of this university”').and.contain('eduPersonScopedAffiliation=member@univ-test.fr');
    expect(await t.knex('role_assignments').count('* as n').first()).to.deep.equal(before);
    const nobody = await admin.htmxPost('/admin/rules/test', { attributes: 'eduPersonScopedAffiliation=student@elsewhere.fr' });
    expect(nobody.status).to.equal(200);
    expect(nobody.text.trim()).to.match(/^<section class="card" id="rule-test"/);
    expect(nobody.text).to.contain('No rule applies').and.contain('<span id="rule-test-status" hx-swap-oob="innerHTML">').and.not.contain('<html');
    const bad = await admin.post('/admin/rules/test', { attributes: 'mail=a@b.c\nthis line has no equals sign' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Line 2 is not of the form name=value');
  });

  it('scopes a rule to the components an attribute names, and edits and deletes rules', async () => {
    const roles = t.resolve(coreServices.roles);
    await roles.saveComponent({ institutionId: t.institution.id, label: 'test' }, { code: 'UFR-SCI', name: { fr: 'UFR Sciences', en: 'Faculty of Science' } });
    const saved = await admin.postFields('/admin/rules', ruleForm({ name: 'Faculty staff', role: 'manager', conditions: [['eduPersonAffiliation', 'contains', 'staff']], scopeKind: 'attribute', scopeAttribute: 'supannEntiteAffectation' }));
    expect(saved.status).to.equal(303);
    const preview = await admin.post('/admin/rules/test', { attributes: 'eduPersonAffiliation=staff\nsupannEntiteAffectation=UFR-SCI\nsupannEntiteAffectation=UNKNOWN' });
    expect(preview.text).to.contain('Manager — Faculty of Science — by rule “Faculty staff”');
    const id = (await rules()).find((r) => r.name === 'Faculty staff')!.id;
    const form = await admin.get(`/admin/rules/${id}`);
    expect(form.text).to.contain('value="supannEntiteAffectation"').and.contain('id="f-scope-attribute" name="scopeKind" value="attribute" checked');
    const edited = await admin.postFields(`/admin/rules/${id}`, [...ruleForm({ name: 'Faculty staff', role: 'manager', conditions: [['eduPersonAffiliation', 'contains', 'staff']], scopeKind: 'components', enabled: false }), ['scopeComponents', 'UFR-SCI']]);
    expect(edited.status).to.equal(303);
    expect((await rules()).find((r) => r.id === id)).to.deep.include({ enabled: false, scope: { kind: 'components', components: ['UFR-SCI'] } });
    expect((await admin.get('/admin/rules')).text).to.contain('Components: Faculty of Science').and.contain('Disabled');
    expect((await admin.post(`/admin/rules/${id}/delete`, {})).status).to.equal(303);
    expect((await rules()).map((r) => r.name)).to.deep.equal(['Students of this university']);
    expect((await admin.get('/admin/rules/999999')).status).to.equal(404);
  });

  it('speaks French', async () => {
    const fr = Client.fromSession(t, await t.signIn(['admin']), 'fr');
    const res = await fr.get('/admin/rules');
    expect(res.text).to.contain('Règles d’attribution automatique des rôles').and.contain('a la valeur').and.contain('Tester les règles');
    await fr.get('/admin/rules/new');
    const bad = await fr.postFields('/admin/rules', ruleForm({ name: 'x', role: 'student', conditions: [['mail', 'matches', '[']] }));
    expect(bad.text).to.contain('Ce motif n’est pas une expression régulière valide.');
  });
});
