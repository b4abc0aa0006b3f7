// Federation metadata (a signed aggregate of 2 000 IdPs, as RENATER publishes) and the discovery
// page that searches it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { MetadataError, readIdps, verifyAggregate } from '../src/federation.js';
import { generateKeyAndCertificate } from '../src/x509.js';
import { aggregate, entityOf, idpEntity, sign } from './federation-fixture.js';
import { student, TestIdp } from './idp.js';
import { Client, introduce, startSignIn, textOf } from './support.js';

type Keys = { privateKey: string; certificate: string };
const COUNT = 2000;

describe('auth-saml: federation metadata and discovery', function () {
  this.timeout(180_000);
  let t: TestPlatform;
  let fed: Keys;
  let idp: TestIdp;
  let dir: string;
  let file: string;
  let good: string;
  let edugain: string;

  before(async () => {
    fed = await generateKeyAndCertificate('metadata-signer.federation.test', { bits: 2048 });
    idp = await TestIdp.start({ entityId: 'https://idp.federated.test/idp/shibboleth' });
    dir = mkdtempSync(path.join(tmpdir(), 'smile-saml-'));
    file = path.join(dir, 'federation.xml');
    good = sign(aggregate(COUNT, idp.keys.certificate, [entityOf(idp.metadata())]), fed);
    writeFileSync(file, good);
    // a second source, as RENATER republishes eduGAIN's IdPs: one IdP is also in the first (the first wins)
    const gant = await generateKeyAndCertificate('edugain-signer.test', { bits: 2048 });
    edugain = path.join(dir, 'edugain.xml');
    writeFileSync(edugain, sign(aggregate(0, idp.keys.certificate, [
      idpEntity({ entityId: 'https://idp.unibo.it/idp/shibboleth', fr: 'UNIBO (eduGAIN)', en: 'UNIBO (eduGAIN)', sso: 'https://elsewhere.example/sso', cert: gant.certificate }),
      idpEntity({ entityId: 'https://idp.univie.ac.at/shibboleth', fr: 'Université de Vienne', en: 'Universität Wien', scope: 'univie.ac.at', sso: 'https://idp.univie.ac.at/sso', cert: gant.certificate }),
      idpEntity({ entityId: 'https://idp.uio.no/idp', fr: 'Université d’Oslo', en: 'Universitetet i Oslo', scope: 'uio.no', sso: 'https://idp.uio.no/sso', cert: gant.certificate }),
    ], { id: '_edugain', named: false }), gant, '_edugain'));
    t = await startTestPlatform({
      plugins: ['auth-saml', 'base'],
      settings: {
        'auth-saml': {
          federations: [{ metadataFile: file, signingCertificate: fed.certificate }, { metadataFile: edugain, signingCertificate: gant.certificate }],
          featuredIdps: ['https://idp.univ-lyon2.fr/idp/shibboleth'],
        },
      },
    });
    // the plugin loads the federation at boot, in a job
    await t.drainJobs();
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const idpCount = async () => Number((await t.knex('auth_saml_idps').where({ institution_id: t.institution.id }).count('* as n').first())?.n);

  it(`loads a signed aggregate of ${COUNT} IdPs, and a second source (eduGAIN)`, async () => {
    expect(await idpCount()).to.equal(COUNT + 1 + 2);
    const unibo = await t.knex('auth_saml_idps').where({ entity_id: 'https://idp.unibo.it/idp/shibboleth' }).first();
    expect(unibo, 'the first source wins').to.include({ name_fr: 'Università di Bologna', name_en: 'University of Bologna', sso_url: 'https://idp.unibo.it/idp/profile/SAML2/Redirect/SSO', source: file });
    const statuses = await t.knex('auth_saml_federation').where({ institution_id: t.institution.id }).orderBy('source');
    expect(statuses.map((s: any) => [s.source, s.idp_count, s.last_error])).to.deep.equal([[edugain, 3, null], [file, COUNT + 1, null]]);
  });

  it('signs in through an IdP known from the federation', async () => {
    await introduce(t, idp);
    const c = new Client(t);
    const { id } = await startSignIn(c, idp);
    const res = await c.postFromIdp('/saml/acs', { SAMLResponse: await idp.response(id, student()) });
    expect(res.status, textOf(res.text).slice(0, 300)).to.equal(303);
    expect(textOf((await c.get('/')).text)).to.contain('Signed in: Giulia Bianchi');
  });

  it('refuses a tampered aggregate, keeps the last good copy, and tells the administrator', async () => {
    writeFileSync(file, good.replace('https://idp.unibo.it/idp/profile/SAML2/Redirect/SSO', 'https://evil.example/SSO'));
    const admin = await t.signIn(['techadmin']);
    const res = await t.request('POST', '/saml/admin/refresh', { headers: { cookie: admin.cookie, 'accept-language': 'en' }, form: { _csrf: admin.csrf } });
    expect(res.status).to.equal(303);
    expect(await idpCount(), 'the last good copy is kept').to.equal(COUNT + 1 + 2);
    const unibo = await t.knex('auth_saml_idps').where({ entity_id: 'https://idp.unibo.it/idp/shibboleth' }).first();
    expect(unibo.sso_url).to.equal('https://idp.unibo.it/idp/profile/SAML2/Redirect/SSO');
    const page = textOf((await t.get('/saml/admin', { cookie: admin.cookie, 'accept-language': 'en' })).text);
    expect(page).to.contain('the metadata signature is invalid').and.contain('The last good copy is still used');
    const statuses = await t.knex('auth_saml_federation').where({ institution_id: t.institution.id }).orderBy('source');
    expect(statuses.map((s: any) => Boolean(s.last_error)), 'only the tampered source failed').to.deep.equal([false, true]);
    expect(page).to.contain(`${t.url}/saml/metadata`);
    // the person who may not manage the federation does not see the page
    const student = await t.signIn(['student']);
    expect((await t.get('/saml/admin', { cookie: student.cookie })).status).to.equal(403);
    writeFileSync(file, good);
  });

  describe('discovery', () => {
    it('is the sign-in method of the platform, in both languages', async () => {
      const signIn = await t.get('/sign-in');
      expect(signIn.status).to.equal(302);
      expect(signIn.headers.get('location')).to.equal('/saml/discovery');
      expect(textOf((await t.get('/saml/discovery', { 'accept-language': 'en' })).text)).to.contain('Select your home institution');
      expect(textOf((await t.get('/saml/discovery', { 'accept-language': 'fr' })).text)).to.contain('Choisissez votre établissement');
    });

    it('finds "Università" when one types "Universita", and other spellings without accents', async () => {
      const find = async (q: string) => textOf((await t.get(`/saml/discovery?q=${encodeURIComponent(q)}`, { 'accept-language': 'en' })).text);
      expect(await find('Universita')).to.contain('University of Bologna');
      expect(await find('università bologna')).to.contain('University of Bologna');
      expect(await find('universite lumiere')).to.contain('Lumière University Lyon 2');
      expect(await find('cordoba')).to.contain('University of Córdoba');
      expect(await find('munchen')).to.contain('Technische Universität München');
      expect(await find('univ-lyon2'), 'by scope (web domain)').to.contain('Lumière University Lyon 2');
      expect(await find('universitat wien'), 'an eduGAIN IdP').to.contain('Universität Wien');
      expect(await find('nowhere-at-all')).to.contain('No institution matches “nowhere-at-all”');
    });

    it('pages thousands of matches and answers htmx with the results alone', async () => {
      const res = await t.get('/saml/discovery?q=test', { 'accept-language': 'en', 'hx-request': 'true', 'hx-target': 'div#saml-idp-results' });
      expect(res.status).to.equal(200);
      expect(res.text).not.to.contain('<html');
      expect(res.text).not.to.contain('Select your home institution');
      expect((res.text.match(/class="saml-idp"/g) ?? []).length).to.equal(25);
      expect(textOf(res.text)).to.contain('The first 25 institutions found');
      expect(res.text).to.contain('href="/saml/login?idp=https%3A%2F%2Fidp0001.example.org%2Fidp"');
    });

    it('lists the featured IdP, then remembers the chosen one first', async () => {
      const c = new Client(t);
      const first = textOf((await c.get('/saml/discovery')).text);
      expect(first).to.contain('Suggested').and.contain('Lumière University Lyon 2').and.not.contain('Your recent choices');
      const go = await c.get(`/saml/login?idp=${encodeURIComponent('https://idp.uco.es/idp/shibboleth')}&return=${encodeURIComponent('/somewhere')}`);
      expect(go.status).to.equal(302);
      expect(go.headers.get('location')).to.match(/^https:\/\/idp\.uco\.es\/idp\/profile\/SAML2\/Redirect\/SSO\?SAMLRequest=.+&RelayState=%2Fsomewhere&SigAlg=.+&Signature=.+/);
      const again = await c.get('/saml/discovery?return=/somewhere');
      const text = textOf(again.text);
      expect(text.indexOf('Your recent choices')).to.be.lessThan(text.indexOf('University of Córdoba'));
      expect(again.text, 'links keep where to return').to.contain('return=%2Fsomewhere');
    });

    it('refuses an IdP that is not in the list', async () => {
      const res = await t.get(`/saml/login?idp=${encodeURIComponent('https://unknown.example/idp')}`, { 'accept-language': 'en' });
      expect(res.status).to.equal(404);
      expect(textOf(res.text)).to.contain('This institution is not available for sign-in here');
    });
  });
});

describe('auth-saml: aggregate verification', function () {
  this.timeout(60_000);
  let fed: Keys;
  let other: Keys;
  before(async () => {
    [fed, other] = await Promise.all([generateKeyAndCertificate('fed', { bits: 2048 }), generateKeyAndCertificate('other', { bits: 2048 })]);
  });
  const refused = (xml: string, message: RegExp, cert = fed.certificate) => {
    expect(() => verifyAggregate(xml, cert)).to.throw(MetadataError, message);
  };

  it('reads the IdPs of a signed aggregate (mdui names, SSO, SLO, certificates)', () => {
    const extra = idpEntity({ entityId: 'https://idp.x.test/idp', fr: 'Établissement X', en: 'Institution X', sso: 'https://idp.x.test/sso', slo: 'https://idp.x.test/slo', cert: fed.certificate });
    const { signedXml } = verifyAggregate(sign(aggregate(6, fed.certificate, [extra]), fed), fed.certificate);
    const idps = readIdps(signedXml);
    expect(idps).to.have.length(7);
    expect(idps.find((i) => i.entityId === 'https://idp.x.test/idp')).to.deep.include({ nameFr: 'Établissement X', nameEn: 'Institution X', ssoUrl: 'https://idp.x.test/sso', sloUrl: 'https://idp.x.test/slo' });
  });

  it('refuses unsigned, tampered, wrongly signed, SHA-1 and expired aggregates', () => {
    const xml = aggregate(5, fed.certificate);
    refused(xml, /not signed/);
    refused(sign(xml, fed).replace('Università di Bologna', 'Universita di Bologna'), /signature is invalid/);
    refused(sign(xml, other), /signature is invalid/);
    refused(sign(xml, fed, '_federation', 'sha1'), /SHA-1/);
    refused(sign(aggregate(5, fed.certificate, [], { validUntil: new Date(Date.now() - 60_000) }), fed), /expired/);
    refused('<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><!DOCTYPE x></md:EntitiesDescriptor>', /DTD|well-formed/);
  });

  it('refuses a signature that covers only part of the document (signature wrapping)', () => {
    const inner = sign(aggregate(3, fed.certificate, [], { id: '_inner' }), fed, '_inner').replace(/^<\?xml[^>]*>\s*/, '');
    const evil = idpEntity({ entityId: 'https://evil.example/idp', fr: 'Evil', en: 'Evil', sso: 'https://evil.example/sso', cert: other.certificate });
    // a valid signed group nested in an unsigned root, with an extra entity outside it
    const ns = 'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" xmlns:shibmd="urn:mace:shibboleth:metadata:1.0"';
    const wrapped = `<md:EntitiesDescriptor ${ns} ID="_outer">${inner}${evil}</md:EntitiesDescriptor>`;
    refused(wrapped, /not signed/);
    // the same, with the inner group's valid signature moved up to the root
    const signature = /<ds:Signature[\s\S]*?<\/ds:Signature>/.exec(inner)![0];
    const moved = `<md:EntitiesDescriptor ${ns} ID="_outer">${signature}${inner.replace(signature, '')}${evil}</md:EntitiesDescriptor>`;
    refused(moved, /does not cover the root element/);
  });
});
