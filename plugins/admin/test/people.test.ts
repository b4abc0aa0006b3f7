import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { Client, boot } from './support.js';

describe('admin: people and their roles', () => {
  let t: TestPlatform;
  let admin: Client;
  let ada: { cookie: string; csrf: string; personId: number };
  const roles = () => t.resolve(coreServices.roles);
  before(async () => {
    t = await boot();
    admin = Client.fromSession(t, await t.signIn(['admin'], { displayName: 'Nadia Admin' }));
    ada = await t.signIn(['manager'], { displayName: 'Ada <Lovelace>', email: 'ada@univ-test.fr' });
    await t.signIn(['student'], { displayName: 'Sofia Rossi', email: 'sofia@example.org' });
    await roles().saveComponent({ institutionId: t.institution.id, label: 'test' }, { code: 'UFR-SCI', name: { fr: 'UFR Sciences', en: 'Faculty of Science' } });
    // a sign-in identity with attributes, as a sign-in method would have stored it
    await t.knex('person_identities').insert({
      person_id: ada.personId, provider: 'auth-saml', issuer: 'https://idp.univ-test.fr/idp', subject: 'ada@univ-test.fr',
      attributes: JSON.stringify({ eduPersonAffiliation: ['staff', 'member'], mail: ['ada@univ-test.fr'] }), last_sign_in_at: new Date('2030-01-02T10:00:00Z'),
    });
  });
  after(async () => t?.stop());

  it('lists the institution’s people with their roles, escaped; search, role filter', async () => {
    const res = await admin.get('/admin/people');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(`<a href="/admin/people/${ada.personId}">Ada &lt;Lovelace&gt;</a>`).and.contain('<td>Manager</td>').and.contain('ada@univ-test.fr');
    expect(res.text).not.to.contain('Ada <Lovelace>');
    expect(res.text).to.contain('Sofia Rossi').and.contain('<td>Student</td>');
    const search = await admin.get('/admin/people?q=lovelace');
    expect(search.text).to.contain('Ada &lt;Lovelace&gt;').and.not.contain('Sofia Rossi');
    const students = await admin.get('/admin/people?role=student');
    expect(students.text).to.contain('Sofia Rossi').and.contain('<option value="student" selected>').and.not.contain('Ada &lt;Lovelace&gt;');
    expect((await admin.get('/admin/people?role=%3Cx%3E')).status).to.equal(200);
    // people of another institution are not listed
    const other = await t.createInstitution({ code: 'other-u', hostNames: ['other.example'] });
    await t.signIn(['manager'], { institution: other, displayName: 'Someone Elsewhere' });
    expect((await admin.get('/admin/people')).text).not.to.contain('Someone Elsewhere');
  });

  it('shows a person: identities, attributes of the last sign-in, role assignments', async () => {
    const res = await admin.get(`/admin/people/${ada.personId}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<h1>Ada &lt;Lovelace&gt;</h1>').and.contain('<code>auth-saml</code>').and.contain('https://idp.univ-test.fr/idp');
    expect(res.text).to.contain('<dt><code>eduPersonAffiliation</code></dt><dd><ul><li>staff</li><li>member</li></ul></dd>');
    expect(res.text).to.contain('<th scope="row">Manager</th>').and.contain('<td>Whole institution</td>').and.contain('<td>An administrator</td>');
  });

  it('404 for a person this institution does not know', async () => {
    const other = await t.createInstitution({ code: 'third-u', hostNames: ['third.example'] });
    const stranger = await t.signIn(['student'], { institution: other });
    expect((await admin.get(`/admin/people/${stranger.personId}`)).status).to.equal(404);
    expect((await admin.post(`/admin/people/${stranger.personId}/roles`, { role: 'admin' })).status).to.equal(404);
    expect((await admin.get('/admin/people/abc')).status).to.equal(404);
    expect((await admin.get('/admin/people/99999999999')).status).to.equal(404);
  });

  it('gives a role limited to a component, refusing bad input; the person then holds it there only', async () => {
    await admin.get(`/admin/people/${ada.personId}`);
    const bad = await admin.postFields(`/admin/people/${ada.personId}/roles`, [['role', 'wizard'], ['components', 'NOPE']]);
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('This role does not exist').and.contain('Unknown components: NOPE.');
    const res = await admin.postFields(`/admin/people/${ada.personId}/roles`, [['role', 'supermanager'], ['components', 'UFR-SCI']]);
    expect(res.status).to.equal(303);
    const page = await admin.get(`/admin/people/${ada.personId}`);
    expect(page.text).to.contain('Ada &lt;Lovelace&gt; now has the role “Senior manager”.').and.contain('<th scope="row">Senior manager</th>').and.contain('<td>Faculty of Science</td>');
    const again = await admin.postFields(`/admin/people/${ada.personId}/roles`, [['role', 'supermanager'], ['components', 'UFR-SCI']]);
    expect(again.status).to.equal(422);
    expect(again.text).to.contain('already has this role');
    expect((await roles().assignments(t.institution.id, ada.personId)).map((a) => [a.role, a.components])).to.deep.equal([['manager', []], ['supermanager', ['UFR-SCI']]]);
  });

  it('removes a manual role; a role given by a rule says where it comes from and stays', async () => {
    const scoped = (await roles().assignments(t.institution.id, ada.personId)).find((a) => a.role === 'supermanager')!;
    expect((await admin.post(`/admin/people/${ada.personId}/roles/${scoped.id}/delete`, {})).status).to.equal(303);
    expect((await admin.get(`/admin/people/${ada.personId}`)).text).to.contain('The role “Senior manager” of Ada &lt;Lovelace&gt; is removed.');
    const rule = await roles().saveRule({ institutionId: t.institution.id, label: 'test' }, { name: 'Staff are referents', conditions: [{ attribute: 'eduPersonAffiliation', op: 'contains', value: 'staff' }], role: 'referent', scope: { kind: 'institution' }, enabled: true });
    const referent = await t.knex('roles').where({ institution_id: t.institution.id, key: 'referent' }).first('id');
    const [given] = await t.knex('role_assignments').insert({ institution_id: t.institution.id, person_id: ada.personId, role_id: referent.id, components: [], source: 'rule', rule_id: rule.id }).returning('id');
    const page = await admin.get(`/admin/people/${ada.personId}`);
    expect(page.text).to.contain('Given by rule “Staff are referents”, recomputed at each sign-in.');
    expect(page.text).not.to.contain(`/roles/${given.id}/delete`);
    const refused = await admin.post(`/admin/people/${ada.personId}/roles/${given.id}/delete`, {});
    expect(refused.status).to.equal(409);
    expect(refused.text).to.contain('was given by rule “Staff are referents” and is recomputed at each sign-in');
    expect((await roles().assignments(t.institution.id, ada.personId)).some((a) => a.id === given.id)).to.equal(true);
    expect((await admin.post(`/admin/people/${ada.personId}/roles/424242/delete`, {})).status).to.equal(404);
  });

  it('refuses to let administrators remove their own way of managing people', async () => {
    const me = await t.signIn(['admin'], { displayName: 'Solo Admin' });
    const c = Client.fromSession(t, me);
    const [mine] = await roles().assignments(t.institution.id, me.personId);
    await c.get(`/admin/people/${me.personId}`);
    const res = await c.post(`/admin/people/${me.personId}/roles/${mine!.id}/delete`, {});
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('without the role “Functional administrator” you could no longer manage people');
    expect(await roles().assignments(t.institution.id, me.personId)).to.have.length(1);
    // another administrator may
    expect((await admin.post(`/admin/people/${me.personId}/roles/${mine!.id}/delete`, {})).status).to.equal(303);
  });

  it('signs a person out everywhere', async () => {
    const nadia2 = await t.signIn(['admin'], { displayName: 'Other Admin' });
    const them = Client.fromSession(t, nadia2);
    expect((await them.get('/admin')).status).to.equal(200);
    await admin.get(`/admin/people/${nadia2.personId}`);
    const res = await admin.post(`/admin/people/${nadia2.personId}/sign-out`, {});
    expect(res.status).to.equal(303);
    expect((await admin.get(`/admin/people/${nadia2.personId}`)).text).to.contain('Other Admin is signed out everywhere (1 session(s) ended).');
    expect((await them.get('/admin')).status).to.equal(401);
  });

  it('speaks French', async () => {
    const fr = Client.fromSession(t, await t.signIn(['admin']), 'fr');
    const res = await fr.get(`/admin/people/${ada.personId}`);
    expect(res.text).to.contain('Identités de connexion').and.contain('Attribuer un rôle').and.contain('Tout l’établissement');
    expect((await fr.get('/admin/people')).text).to.contain('Personnes de l’établissement');
  });
});
