// The SP metadata that institutions register with RENATER / eduGAIN.
import { X509Certificate } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { expect } from 'chai';
import { secretKeys } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import plugin from '../src/index.js';
import { certPem, generateKeyAndCertificate } from '../src/x509.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';

function parse(xml: string) {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level: string, msg: string) => { if (level !== 'warning') errors.push(msg); } }).parseFromString(xml, 'text/xml');
  expect(errors, 'well-formed XML').to.deep.equal([]);
  return doc;
}
const all = (el: { getElementsByTagNameNS(ns: string, n: string): any }, ns: string, local: string): Element[] => {
  const list = el.getElementsByTagNameNS(ns, local);
  return Array.from({ length: list.length }, (_, i) => list.item(i) as Element);
};

describe('auth-saml: SP metadata', function () {
  this.timeout(60_000);
  let t: TestPlatform;

  before(async () => {
    t = await startTestPlatform({ plugins: ['auth-saml', 'base'], settings: { 'auth-saml': { contacts: { technical: 'dsi@univ-example.fr', security: 'cert@univ-example.fr' } } } });
  });
  after(async () => t?.stop());

  it('is served at /saml/metadata, well-formed, with certificates, attributes and the ESI entity category', async () => {
    const res = await t.get('/saml/metadata');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/samlmetadata\+xml/);
    const doc = parse(res.text);
    const root = doc.documentElement!;
    expect(root.localName).to.equal('EntityDescriptor');
    expect(root.getAttribute('entityID')).to.equal(`${t.url}/saml/metadata`);

    const sp = all(root, MD, 'SPSSODescriptor')[0]!;
    expect(sp.getAttribute('AuthnRequestsSigned')).to.equal('true');
    expect(sp.getAttribute('WantAssertionsSigned')).to.equal('true');
    const keys = all(sp, MD, 'KeyDescriptor');
    expect(keys.map((k) => k.getAttribute('use'))).to.deep.equal(['signing', 'encryption']);
    const certs = keys.map((k) => new X509Certificate(certPem(all(k, DS, 'X509Certificate')[0]!.textContent!)));
    expect(certs[0]!.fingerprint256, 'a key pair per use').not.to.equal(certs[1]!.fingerprint256);
    expect(certs[0]!.subject).to.equal('CN=127.0.0.1');
    expect(new Date(certs[0]!.validTo).getFullYear()).to.be.at.least(new Date().getFullYear() + 9);

    const acs = all(sp, MD, 'AssertionConsumerService')[0]!;
    expect(acs.getAttribute('Location')).to.equal(`${t.url}/saml/acs`);
    expect(acs.getAttribute('Binding')).to.equal('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(all(sp, MD, 'SingleLogoutService').map((s) => s.getAttribute('Location'))).to.deep.equal([`${t.url}/saml/slo`, `${t.url}/saml/slo`]);

    const requested = all(sp, MD, 'RequestedAttribute').map((a) => ({ name: a.getAttribute('Name'), friendly: a.getAttribute('FriendlyName'), required: a.getAttribute('isRequired') }));
    expect(requested).to.deep.include({ name: 'urn:oid:1.3.6.1.4.1.25178.1.2.14', friendly: 'schacPersonalUniqueCode', required: 'false' });
    expect(requested).to.deep.include({ name: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6', friendly: 'eduPersonPrincipalName', required: 'true' });
    for (const f of ['mail', 'givenName', 'sn', 'displayName', 'schacDateOfBirth', 'schacHomeOrganization', 'supannEtuId', 'eduPersonAffiliation', 'supannEntiteAffectation']) {
      expect(requested.map((r) => r.friendly), f).to.include(f);
    }

    const category = all(root, SAML, 'Attribute').find((a) => a.getAttribute('Name') === 'http://macedir.org/entity-category');
    expect(category, 'entity category attribute').to.exist;
    expect((category!.parentNode as Element).localName).to.equal('EntityAttributes');
    expect(((category!.parentNode as Element).parentNode as Element).localName).to.equal('Extensions');
    expect(all(category!, SAML, 'AttributeValue').map((v) => v.textContent)).to.deep.equal(['https://myacademicid.org/entity-categories/esi']);

    expect(all(root, MD, 'EmailAddress').map((e) => e.textContent)).to.deep.equal(['mailto:dsi@univ-example.fr', 'mailto:cert@univ-example.fr']);
    expect(res.text).not.to.contain('PRIVATE KEY');
  });

  it('keeps the same generated keys (stored once per institution, private keys never served)', async () => {
    const a = await t.get('/saml/metadata');
    const b = await t.get('/saml/metadata');
    expect(a.text).to.equal(b.text);
    const rows = await t.knex('auth_saml_sp_keys').where({ institution_id: t.institution.id });
    expect(rows.map((r: { use: string }) => r.use).sort()).to.deep.equal(['encryption', 'signing']);
    expect(rows.every((r: { private_key: string }) => r.private_key.startsWith('-----BEGIN PRIVATE KEY-----'))).to.equal(true);
  });

  it('marks the private keys of the settings as secrets', () => {
    expect(secretKeys(plugin.settings)).to.include.members(['signingKey', 'encryptionKey']);
  });

  it('publishes the certificate of keys given in the settings', async () => {
    const signing = await generateKeyAndCertificate('sp.univ-example.fr', { bits: 2048 });
    const other = await startTestPlatform({
      plugins: ['auth-saml', 'base'],
      settings: { 'auth-saml': { signingKey: signing.privateKey, signingCertificate: signing.certificate, entityId: 'https://mobility.univ-example.fr/shibboleth', esiEntityCategory: false } },
    });
    try {
      const res = await other.get('/saml/metadata');
      const doc = parse(res.text);
      expect(doc.documentElement!.getAttribute('entityID')).to.equal('https://mobility.univ-example.fr/shibboleth');
      const bodies = all(doc.documentElement!, DS, 'X509Certificate').map((c) => c.textContent);
      expect(bodies[0]).to.equal(signing.certificate.replace(/-----[A-Z ]+-----|\s/g, ''));
      expect(res.text).not.to.contain('entity-category');
      expect(Number((await other.knex('auth_saml_sp_keys').count('* as n').first())?.n)).to.equal(0);
    } finally {
      await other.stop();
    }
  });
});
