import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { esiService } from '../src/index.js';
import type { EsiService } from '../src/index.js';
import { Browser, ESI, audits, boot, person, system } from './support.js';

describe('esi: manager pages and API', () => {
  let t: TestPlatform;
  let esi: EsiService;
  let conflictId: number;
  let holder: number;
  let claimant: number;
  before(async () => {
    t = await boot();
    esi = t.resolve(esiService);
    holder = await person(t, 'Zoé <b>Holder</b>');
    claimant = await person(t, 'Yann Claimant');
    await esi.assign(system(t), holder, ESI('777777777FF'), 'sign-in');
    const r = await esi.assign(system(t), claimant, ESI('777777777FF'), 'sign-in');
    if (r.ok) throw new Error('conflict expected');
    conflictId = r.conflict.id;
  });
  after(async () => t?.stop());

  it('lists open conflicts to managers, escaped, and refuses students and visitors', async () => {
    const manager = await Browser.as(t, ['manager']);
    const res = await manager.get('/esi/conflicts');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<h1>ESI conflicts</h1>');
    expect(res.text).to.contain(`<a href="/esi/conflicts/${conflictId}">${ESI('777777777FF')}</a>`);
    expect(res.text).to.contain('Zoé &lt;b&gt;Holder&lt;/b&gt;').and.not.contain('<b>Holder</b>');
    expect(res.text).to.contain('Yann Claimant').and.contain('>1 result</p>');
    expect(res.text).to.contain('/assets/esi@0.1.0/esi.css');
    expect((await manager.get('/esi/conflicts?q=yann')).text).to.contain('Yann Claimant');
    expect((await manager.get('/esi/conflicts?q=nobody-like-this')).text).not.to.contain('Yann Claimant');
    const student = await Browser.as(t, ['student']);
    expect((await student.get('/esi/conflicts')).status).to.equal(403);
    expect((await student.get(`/esi/conflicts/${conflictId}`)).status).to.equal(403);
    expect((await t.get('/esi/conflicts')).status).to.equal(401);
  });

  it('shows one conflict in French, without the resolve form for a plain manager', async () => {
    const manager = await Browser.as(t, ['manager'], 'fr');
    const res = await manager.get(`/esi/conflicts/${conflictId}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(`Conflit d’ESI n° ${conflictId}`).and.contain('Personne qui détient l’ESI');
    expect(res.text).to.contain('Vous pouvez voir ce conflit mais pas le résoudre.').and.not.contain('name="keep"');
    expect((await manager.get('/esi/conflicts/abc')).status).to.equal(404);
    expect((await manager.get('/esi/conflicts/99999999')).status).to.equal(404);
    expect((await manager.post(`/esi/conflicts/${conflictId}`, { keep: 'claimant' })).status).to.equal(403);
    expect((await esi.forPerson(holder))?.esi).to.equal(ESI('777777777FF'));
  });

  it('lets a supermanager choose who keeps the ESI; bad input changes nothing', async () => {
    const boss = await Browser.as(t, ['supermanager'], 'en', 'Boss');
    const page = await boss.get(`/esi/conflicts/${conflictId}`);
    expect(page.text).to.contain('name="keep" value="claimant"').and.contain(`name="_csrf" value="${boss.csrf}"`);
    // no choice: the page again, with the reason
    const none = await boss.post(`/esi/conflicts/${conflictId}`, {});
    expect(none.status).to.equal(422);
    expect(none.text).to.contain('Choose the person who keeps the ESI.').and.contain('role="alert"');
    // no CSRF token: refused before anything happens
    expect((await boss.post(`/esi/conflicts/${conflictId}`, { keep: 'claimant' }, false)).status).to.equal(403);
    expect((await esi.forPerson(holder))?.esi).to.equal(ESI('777777777FF'));

    const done = await boss.post(`/esi/conflicts/${conflictId}`, { keep: 'claimant' });
    expect(done.status).to.equal(303);
    expect(done.headers.get('location')).to.equal('/esi/conflicts');
    const list = await boss.get('/esi/conflicts');
    expect(list.text).to.contain('The conflict is resolved: Yann Claimant keeps the ESI.').and.contain('No results');
    expect((await esi.forPerson(claimant))?.esi).to.equal(ESI('777777777FF'));
    expect(await esi.forPerson(holder)).to.equal(null);
    const [entry] = await audits(t, 'esi.conflict.resolved').where({ target_id: String(conflictId) });
    expect(entry).to.include({ actor_person_id: boss.personId, institution_id: t.institution.id });
    // a second post finds it resolved
    const again = await boss.post(`/esi/conflicts/${conflictId}`, { keep: 'holder' });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('This conflict was already resolved.');
  });

  it('checks an ESI or an INE for managers', async () => {
    const manager = await Browser.as(t, ['manager']);
    const good = await manager.get(`/esi?value=${encodeURIComponent('urn:schac:PersonalUniqueCode:es:ESI:uma.es:a3b123c12')}`);
    expect(good.status).to.equal(200);
    expect(good.text).to.contain('Valid ESI').and.contain('urn:schac:personalUniqueCode:int:esi:uma.es:a3b123c12').and.contain('draft form');
    const bad = await manager.get(`/esi?value=${encodeURIComponent(ESI('a~b'))}`);
    expect(bad.text).to.contain('The character ~ (U+007E) is not allowed in an ESI.').and.contain('aria-invalid="true"');
    const ine = await manager.get('/esi?value=123456789JK');
    expect(ine.text).to.contain('Valid INE (INE-RNIE)').and.contain(ESI('123456789JK'));
    const fr = await Browser.as(t, ['manager'], 'fr');
    expect((await fr.get('/esi?value=12345')).text).to.contain('Un INE compte 11 caractères ; celui-ci en compte 5.');
    expect((await (await Browser.as(t, ['student'])).get('/esi')).status).to.equal(403);
  });

  it('validates ESIs and INEs through the public API, in the caller’s language', async () => {
    const ok = await t.get(`/api/v1/esi/validate?value=${encodeURIComponent('URN:SCHAC:personalUniqueCode:INT:ESI:FR:123456789JK')}`);
    expect(ok.status).to.equal(200);
    expect(ok.json()).to.deep.equal({ valid: true, esi: ESI('123456789JK'), qualifier: 'fr', qualifierKind: 'country', code: '123456789JK', form: 'v1' });
    const long = await t.get(`/api/v1/esi/validate?value=${encodeURIComponent(ESI('a'.repeat(300)))}`, { 'accept-language': 'fr' });
    expect(long.json()).to.deep.equal({ valid: false, reason: 'tooLong', message: 'L’ESI dépasse 255 caractères (340).' });
    expect((await t.get('/api/v1/esi/validate?value=123')).json()).to.include({ valid: false, reason: 'notUrn' });
    expect((await t.get('/api/v1/esi/validate')).status).to.equal(400);
    expect((await t.get('/api/v1/esi/from-ine?ine=123456789JK')).json()).to.deep.equal({ valid: true, esi: ESI('123456789JK'), ine: '123456789JK', format: 'rnie', keyChecked: false });
    expect((await t.get('/api/v1/esi/from-ine?ine=2019D12345B')).json()).to.include({ valid: false, reason: 'ineProvisional' });
  });

  it('stores the ESI presented at sign-in, flags a conflict, and ignores malformed values', async () => {
    const identity = t.resolve(coreServices.identity);
    const signIn = async (personId: number, values: string[]) => {
      const p = (await identity.person(personId))!;
      await t.platform.hooks.afterSignIn.promise({
        institution: t.institution,
        person: p,
        identity: { provider: 'auth-saml', issuer: 'https://idp.example.org', subject: `s-${personId}`, attributes: { schacPersonalUniqueCode: values } },
        roles: ['student'],
        created: false,
      });
    };
    const sofia = await person(t, 'Sofia');
    await signIn(sofia, ['urn:schac:personalUniqueCode:it:uniroma1.it:matricola:1', 'urn:schac:PersonalUniqueCode:it:ESI:uniroma1.it:1234567']);
    expect((await esi.forPerson(sofia))?.esi).to.equal(ESI('1234567', 'uniroma1.it'));
    const twin = await person(t, 'Sofia Twin');
    await signIn(twin, [ESI('1234567', 'uniroma1.it')]);
    expect(await esi.forPerson(twin)).to.equal(null);
    expect((await esi.conflicts(t.institution.id)).some((c) => c.claimant.id === twin && c.holder.id === sofia)).to.equal(true);
    const broken = await person(t, 'Broken');
    await signIn(broken, [ESI('bad~value')]);
    expect(await esi.forPerson(broken)).to.equal(null);
  });
});
