import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { Client, boot, freshInstitution, versionOf } from './support.js';

const valid = {
  nameFr: 'Université d’Exemple', nameEn: 'University of Example', schacCode: 'Univ-Example.fr', erasmusCode: 'f  exampl01',
  pic: '999999999', country: 'fr', // 127.0.0.1: the test requests' host, so that this institution still serves them once there are two
  hostNames: 'smile.univ-example.fr\n\n  Mobility.Univ-Example.fr \nsmile.univ-example.fr\n127.0.0.1', defaultLanguage: 'en',
};

describe('admin: institution record', () => {
  let t: TestPlatform;
  let c: Client;
  before(async () => {
    t = await boot();
    c = await Client.signIn(t);
  });
  after(async () => t?.stop());

  it('shows the record in a form carrying its version', async () => {
    const res = await c.get('/admin/institution');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('value="My institution"').and.contain('name="updatedAt"');
    expect(versionOf(res.text)).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(res.text).to.contain('<label for="f-nameFr">');
  });

  it('saves, normalises, then redirects with a flash message (POST-redirect-GET)', async () => {
    const page = await c.get('/admin/institution');
    const res = await c.post('/admin/institution', { ...valid, updatedAt: versionOf(page.text) });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/admin/institution');
    const inst = await freshInstitution(t);
    expect(inst).to.include({ nameFr: 'Université d’Exemple', schacCode: 'univ-example.fr', erasmusCode: 'F  EXAMPL01', pic: '999999999', country: 'FR', defaultLanguage: 'en' });
    expect(inst.hostNames).to.deep.equal(['smile.univ-example.fr', 'mobility.univ-example.fr', '127.0.0.1']);
    const after = await c.get('/admin/institution');
    expect(after.text).to.contain('The institution record is saved.').and.contain('value="univ-example.fr"');
    expect((await c.get('/admin/institution')).text).not.to.contain('The institution record is saved.');
  });

  it('refuses invalid input with messages next to the fields, keeping what was typed', async () => {
    const before = await freshInstitution(t);
    const page = await c.get('/admin/institution');
    const res = await c.post('/admin/institution', {
      ...valid, nameFr: '  ', pic: '12ab', country: 'XQ', hostNames: 'ok.example\nnot a host', erasmusCode: 'F  TYPED<01', updatedAt: versionOf(page.text),
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please correct 5 fields.');
    expect(res.text).to.match(/<input id="f-pic" name="pic" type="text" value="12ab" aria-invalid="true" aria-describedby="f-pic-hint f-pic-error"/);
    expect(res.text).to.contain('<p id="f-pic-error" class="field-error">Exactly 9 digits.</p>');
    expect(res.text).to.contain('id="f-nameFr-error"').and.contain('This field is required.');
    expect(res.text).to.contain('A two-letter country code');
    expect(res.text).to.contain('“not a host” is not a host name');
    expect(res.text).to.contain('value="F  TYPED&lt;01"').and.contain('ok.example\nnot a host</textarea>');
    expect(await freshInstitution(t)).to.deep.equal(before);
  });

  it('refuses a concurrent edit with 409, loses nothing typed, and saves when sent again', async () => {
    const page = await c.get('/admin/institution');
    const seen = versionOf(page.text);
    // someone else saves in between
    await new Promise((r) => setTimeout(r, 5));
    const pa = t.resolve(coreServices.platformAdmin);
    const inst = await freshInstitution(t);
    await pa.updateInstitution(inst, { nameEn: 'Renamed by a colleague' }, await pa.institutionVersion(inst));

    const mine = { ...valid, nameFr: 'Mon nom à moi', nameEn: 'My own name', updatedAt: seen };
    const res = await c.post('/admin/institution', mine);
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('Someone else saved this record meanwhile').and.contain('nothing you typed is lost');
    expect(res.text).to.contain('value="Mon nom à moi"').and.contain('value="My own name"');
    expect(res.text).to.contain('<dd>Renamed by a colleague</dd>');
    expect((await freshInstitution(t)).nameEn).to.equal('Renamed by a colleague');

    const again = await c.post('/admin/institution', { ...mine, updatedAt: versionOf(res.text) });
    expect(again.status).to.equal(303);
    expect((await freshInstitution(t)).nameEn).to.equal('My own name');
  });

  it('treats a missing version as a conflict, and a taken SCHAC code as a field error', async () => {
    const missing = await c.post('/admin/institution', { ...valid, updatedAt: 'garbage' });
    expect(missing.status).to.equal(409);
    await t.createInstitution({ code: 'other-u', hostNames: ['other.example'] });
    await t.knex('institutions').where({ code: 'other-u' }).update({ schac_code: 'taken.example' });
    const page = await c.get('/admin/institution');
    const res = await c.post('/admin/institution', { ...valid, schacCode: 'taken.example', updatedAt: versionOf(page.text) });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Another institution of this platform already uses this SCHAC code.');
  });

  it('refuses a form without the CSRF token', async () => {
    const page = await c.get('/admin/institution');
    const res = await t.request('POST', '/admin/institution', { headers: { authorization: await t.token(['admin:institution.edit']) }, form: { ...valid, updatedAt: versionOf(page.text) } });
    expect(res.status).to.equal(403);
  });
});
