// Sign-in through a real SAML IdP (samlify, in-process): the SP's signed AuthnRequest, the
// assertion consumer, attribute mapping, the person and session the core creates.
import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { student, TestIdp, TRANSIENT } from './idp.js';
import { boot, Client, failures, introduce, startSignIn, textOf } from './support.js';

describe('auth-saml: sign-in', function () {
  this.timeout(60_000);
  let t: TestPlatform;
  let idp: TestIdp;

  before(async () => {
    idp = await TestIdp.start();
    t = await boot([idp]);
    await introduce(t, idp);
  });
  after(async () => {
    await t?.stop();
    await idp?.stop();
  });

  it('signs a student in, maps the attributes by OID, and shows them signed in', async () => {
    const c = new Client(t);
    const { id, relayState } = await startSignIn(c, idp, '/?welcome=1');
    expect(relayState, 'RelayState carries the return path').to.equal('/?welcome=1');
    const user = student();
    const res = await c.postFromIdp('/saml/acs', { SAMLResponse: await idp.response(id, user), RelayState: relayState });
    expect(res.status, textOf(res.text).slice(0, 400)).to.equal(303);
    expect(res.headers.get('location')).to.equal('/?welcome=1');
    expect([...c.jar.keys()]).to.include('smile_sid');

    const identity = await t.knex('person_identities').where({ provider: 'auth-saml', issuer: idp.entityId, subject: 'giulia.bianchi@unibo.it' }).first();
    expect(identity, 'the identity is linked by eppn').to.exist;
    const attributes = typeof identity.attributes === 'string' ? JSON.parse(identity.attributes) : identity.attributes;
    expect(attributes).to.deep.include({
      eppn: ['giulia.bianchi@unibo.it'],
      mail: ['giulia.bianchi@studio.unibo.it'],
      givenName: ['Giulia'],
      sn: ['Bianchi'],
      displayName: ['Giulia Bianchi'],
      schacDateOfBirth: ['20030415'],
      schacHomeOrganization: ['unibo.it'],
      eduPersonAffiliation: ['student', 'member'],
    });
    expect(attributes.schacPersonalUniqueCode, 'multi-valued, in order').to.deep.equal([
      'urn:schac:personalUniqueCode:int:esi:unibo.it:0000123456',
      'urn:schac:personalUniqueCode:it:unibo.it:matricola:0000123456',
    ]);
    const person = await t.knex('persons').where({ id: identity.person_id }).first();
    expect(person).to.include({ display_name: 'Giulia Bianchi', given_name: 'Giulia', family_name: 'Bianchi', email: 'giulia.bianchi@studio.unibo.it' });

    const home = await c.get('/?welcome=1');
    expect(textOf(home.text)).to.contain('Signed in: Giulia Bianchi');
  });

  describe('refuses, with a clear page, an audit entry and no session', () => {
    const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
    const encode = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
    const SIGNATURE = /<ds:Signature[\s\S]*?<\/ds:Signature>/;

    /** A sign-in started by a fresh browser, and the IdP's signed answer (possibly altered). */
    async function answer(user = student(), opts: Parameters<TestIdp['response']>[2] = {}, from: TestIdp = idp) {
      const c = new Client(t);
      const { id } = await startSignIn(c, idp);
      return { c, id, saml: await from.response(id, user, opts) };
    }

    async function expectRefused(c: Client, saml: string, status: number, reason: string, page: string) {
      const before = await t.knex('person_identities').count('* as n').first();
      const res = await c.postFromIdp('/saml/acs', { SAMLResponse: saml });
      expect(res.status, textOf(res.text).slice(0, 300)).to.equal(status);
      expect(textOf(res.text)).to.contain(page);
      expect(c.jar.has('smile_sid'), 'no session').to.equal(false);
      expect(await t.knex('person_identities').count('* as n').first(), 'no identity stored').to.deep.equal(before);
      const [last] = await failures(t);
      expect(last, 'audited').to.exist;
      expect(last!.reason).to.equal(reason);
      expect(last!.outcome).to.equal('failure');
      expect(JSON.stringify(last!.detail), 'the audit never holds the assertion').not.to.contain('AttributeValue');
      return res;
    }

    it('an unsigned assertion', async () => {
      const { c, saml } = await answer();
      const xml = decode(saml);
      expect(xml).to.match(SIGNATURE);
      await expectRefused(c, encode(xml.replace(SIGNATURE, '')), 401, 'unsigned', 'The answer of your institution was not signed');
    });

    it('a signed attribute changed after signing', async () => {
      const { c, saml } = await answer();
      const xml = decode(saml);
      expect(xml).to.contain('>student<');
      await expectRefused(c, encode(xml.replace('>student<', '>staff<')), 401, 'signature', 'could not be verified');
    });

    it('an assertion signed with a key that is not the IdP\'s', async () => {
      const impostor = await TestIdp.start({ entityId: idp.entityId });
      impostor.useSp(await (await t.get('/saml/metadata')).text);
      const { c, saml } = await answer(student(), {}, impostor);
      await expectRefused(c, saml, 401, 'signature', 'could not be verified');
    });

    it('the same response posted twice', async () => {
      const { c, saml } = await answer();
      const first = await c.postFromIdp('/saml/acs', { SAMLResponse: saml });
      expect(first.status).to.equal(303);
      const again = new Client(t);
      await expectRefused(again, saml, 401, 'replay', 'This sign-in was already used');
    });

    it('an assertion for another audience', async () => {
      const { c, saml } = await answer(student(), { audience: 'https://other-sp.example.org/shibboleth' });
      await expectRefused(c, saml, 401, 'audience', 'This sign-in was meant for another site');
    });

    it('an assertion addressed to another ACS (Recipient)', async () => {
      const { c, saml } = await answer(student(), { recipient: 'https://other-sp.example.org/Shibboleth.sso/SAML2/POST' });
      await expectRefused(c, saml, 401, 'recipient', 'This sign-in was meant for another site');
    });

    it('an expired assertion (beyond the clock skew)', async () => {
      const now = Date.now();
      const { c, saml } = await answer(student(), { notBefore: new Date(now - 20 * 60_000), notOnOrAfter: new Date(now - 10 * 60_000) });
      await expectRefused(c, saml, 401, 'expired', 'The sign-in answer has expired');
    });

    it('signature wrapping: an unsigned assertion with the attacker\'s NameID next to the signed one', async () => {
      const { c, saml } = await answer();
      const xml = decode(saml);
      const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
      const evil = signed.replace(SIGNATURE, '').replace(/ID="[^"]+"/, 'ID="_evil"').replace(/>persistent-[0-9a-f]+</, '>mallory<').replace('giulia.bianchi@unibo.it', 'mallory@evil.example');
      await expectRefused(c, encode(xml.replace(signed, evil + signed)), 401, 'signature-wrapping', 'could not be verified');
    });

    it('signature wrapping: the signed assertion hidden inside an unsigned one', async () => {
      const { c, saml } = await answer();
      const xml = decode(saml);
      const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
      const evil = signed
        .replace(SIGNATURE, '')
        .replace(/ID="[^"]+"/, 'ID="_evil"')
        .replace('giulia.bianchi@unibo.it', 'mallory@evil.example')
        .replace('<saml:AuthnStatement', `<saml:Advice>${signed}</saml:Advice><saml:AuthnStatement`);
      await expectRefused(c, encode(xml.replace(signed, evil)), 401, 'signature', 'could not be verified');
      expect(await t.knex('person_identities').where({ subject: 'mallory@evil.example' }).first()).to.equal(undefined);
    });

    it('a response to a request this site never sent, and an unsolicited one', async () => {
      const { c } = await answer();
      await expectRefused(c, await idp.response('_never-sent-by-smile', student()), 401, 'unsolicited', 'Sign-in not started here');
      await expectRefused(new Client(t), await idp.response(null, student(), { inResponseTo: null }), 401, 'unsolicited', 'Sign-in not started here');
    });

    it('a person without eppn nor persistent NameID: "did not send" page, in both languages', async () => {
      const user = { ...student({ eduPersonPrincipalName: [] }), nameIdFormat: TRANSIENT };
      const { c, saml } = await answer(user);
      const res = await expectRefused(c, saml, 403, 'missing-attribute', 'Your institution did not send your institutional identifier (eppn)');
      expect(textOf(res.text)).to.contain('University of Bologna').and.contain('ask them to release');
      const fr = new Client(t, 'fr');
      const { id } = await startSignIn(fr, idp);
      const page = await fr.postFromIdp('/saml/acs', { SAMLResponse: await idp.response(id, user) });
      expect(textOf(page.text)).to.contain('Votre établissement n’a pas transmis votre identifiant institutionnel (eppn)').and.contain('Università di Bologna');
    });

    it('a required attribute the institution configured (per-institution settings)', async () => {
      await t.knex('institutions').where({ id: t.institution.id }).update({ settings: JSON.stringify({ 'auth-saml': { requiredAttributes: ['schacPersonalUniqueCode'] } }) });
      t.platform.institutions.invalidate();
      try {
        const { c, saml } = await answer(student({ schacPersonalUniqueCode: [] }));
        const res = await expectRefused(c, saml, 403, 'missing-attribute', 'Your institution did not send your European Student Identifier (schacPersonalUniqueCode)');
        const [last] = await failures(t);
        expect(last!.target_id, 'the subject is known and audited').to.equal('giulia.bianchi@unibo.it');
        expect(res.text).to.contain('/saml/discovery');
      } finally {
        await t.knex('institutions').where({ id: t.institution.id }).update({ settings: JSON.stringify({}) });
        t.platform.institutions.invalidate();
      }
    });
  });
});
