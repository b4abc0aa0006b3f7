import { expect } from 'chai';
import { XmlDocument, type XmlElement } from 'xmldoc';
import { EWP_LA_INVALID, ewpProblems, laToEwpXml } from '../src/ewp-xml.js';
import { laDocumentHash } from '../src/model.js';
import { baseLa, laWithChanges, sign, signedFirstVersion } from './fixtures/la-fixture.js';
import { GET_RESPONSE_XSD, HAS_XMLLINT, xmllint } from './fixtures/xmllint.js';

function child(el: XmlElement, name: string): XmlElement {
  const c = el.childNamed(name);
  if (!c) throw new Error(`<${el.name}> has no <${name}>`);
  return c;
}

function onlyLa(xml: string): XmlElement {
  return child(new XmlDocument(xml), 'la');
}

describe('learning-agreement: EWP omobility-las-get-response', () => {
  describe('against the XSD (xmllint, offline catalog)', function () {
    before(function () {
      if (!HAS_XMLLINT) {
        console.log('    xmllint is not installed (Debian package libxml2-utils): schema validation skipped');
        this.skip();
      }
    });

    it('an LA with changes signed by the three parties validates', () => {
      const xml = laToEwpXml([laWithChanges()]);
      const r = xmllint(xml, GET_RESPONSE_XSD);
      expect(r.messages).to.contain('validates');
      expect(r.status).to.equal(0);
    });

    it('a proposal awaiting the receiving institution, a first version awaiting it, and several LAs in one response validate', () => {
      const first = baseLa();
      first.signatures = [sign(first, 'student', '2025-06-02T09:15:00Z'), sign(first, 'sending', '2025-06-03T09:30:00Z')];
      const xml = laToEwpXml([laWithChanges(['student', 'sending']), first, signedFirstVersion()]);
      const r = xmllint(xml, GET_RESPONSE_XSD);
      expect(r.messages).to.contain('validates');
      expect(r.status).to.equal(0);
    });

    it('a document without its SCHAC code fails validation', () => {
      const xml = laToEwpXml([laWithChanges()]).replace(/\s*<hei-id>uni\.lodz\.pl<\/hei-id>/, '');
      const r = xmllint(xml, GET_RESPONSE_XSD);
      expect(r.status).to.equal(3);
      expect(r.messages).to.match(/Expected is \( \{[^}]+\}hei-id \)/);
    });

    it('a changes proposal without the sending institution’s signature fails validation', () => {
      const xml = laToEwpXml([laWithChanges(['student', 'sending'])]).replace(/<sending-hei-signature>(?![\s\S]*<sending-hei-signature>)[\s\S]*?<\/sending-hei-signature>/, '');
      const r = xmllint(xml, GET_RESPONSE_XSD);
      expect(r.status).to.equal(3);
      expect(r.messages).to.contain('sending-hei-signature');
    });
  });

  it('maps the first version, the approved changes and their signatures', () => {
    const doc = laWithChanges();
    const la = onlyLa(laToEwpXml([doc], { signerApp: 'SMILE test' }));
    expect(child(la, 'omobility-id').val).to.equal('smile-demo-2025-0042');
    expect(child(child(la, 'sending-hei'), 'hei-id').val).to.equal('uni.lodz.pl');
    expect(child(child(la, 'receiving-hei'), 'hei-id').val).to.equal('univ-demo.example.fr');
    expect(child(child(la, 'student'), 'family-name').val).to.equal('Wójcik-Łódź');
    expect(child(child(la, 'student'), 'gender').val).to.equal('2');

    const first = child(la, 'first-version');
    expect(child(first, 'components-studied').childrenNamed('component').map((c) => child(c, 'los-code').val))
      .to.deep.equal(['DK-ØRE-101', 'DE-STR-204', 'TR-DIL-310', 'HU-NYE-120', 'RO-IST-115']);
    const recognised = child(first, 'components-recognized').childrenNamed('component');
    expect(recognised.map((c) => c.childNamed('recognition-conditions')?.val ?? null)).to.deep.equal([null, 'Oral exam in Łódź if the grade is below C']);
    expect(child(child(first, 'virtual-components'), 'component').childNamed('short-description')?.val).to.equal('Weekly video seminar with partner universities');
    expect(child(first, 'student-signature').childNamed('signer-name'), 'no name in the student signature').to.equal(undefined);
    expect(child(child(first, 'sending-hei-signature'), 'signer-name').val).to.equal('Grzegorz Brzęczyszczykiewicz');
    expect(child(child(first, 'sending-hei-signature'), 'timestamp').val).to.equal('2025-06-03T09:30:00.000Z');
    expect(child(child(first, 'receiving-hei-signature'), 'signer-app').val).to.equal('SMILE test (signed on paper)');

    const changes = child(la, 'approved-changes');
    const studied = child(changes, 'components-studied').childrenNamed('component');
    expect(studied.map((c) => [c.attr.status, c.attr['reason-code'] ?? null, c.attr['reason-text'] ?? null])).to.deep.equal([
      ['deleted', 'timetable-conflict', null],
      ['inserted', 'substituting-deleted', null],
      ['deleted', null, 'Cours fusionné avec « HU-NYE-121 »'],
    ]);
    expect(child(child(changes, 'virtual-components'), 'component').attr['reason-code']).to.equal('adding-virtual-component');
    expect(child(child(changes, 'receiving-hei-signature'), 'signer-name').val).to.equal('Ödön Őrs Kővári');
    expect(la.childNamed('changes-proposal'), 'nothing awaits approval').to.equal(undefined);
  });

  it('a version the receiving institution has not signed is the changes-proposal, identified by its hash', () => {
    const doc = laWithChanges(['student', 'sending']);
    const la = onlyLa(laToEwpXml([doc]));
    expect(la.childNamed('first-version')).to.not.equal(undefined);
    expect(la.childNamed('approved-changes')).to.equal(undefined);
    const proposal = child(la, 'changes-proposal');
    expect(proposal.attr.id).to.equal(laDocumentHash(doc));
    expect(proposal.childNamed('receiving-hei-signature')).to.equal(undefined);
    expect(child(proposal, 'components-studied').childrenNamed('component')).to.have.length(3);
  });

  it('a first version awaiting the receiving institution is proposed with Tables A, B and C, without status', () => {
    const doc = baseLa();
    doc.signatures = [sign(doc, 'student', '2025-06-02T09:15:00Z'), sign(doc, 'sending', '2025-06-03T09:30:00Z')];
    const la = onlyLa(laToEwpXml([doc]));
    expect(la.childNamed('first-version')).to.equal(undefined);
    const proposal = child(la, 'changes-proposal');
    const components = child(proposal, 'components-studied').childrenNamed('component');
    expect(components).to.have.length(5);
    expect(components.every((c) => c.attr.status === undefined)).to.equal(true);
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    const doc = laWithChanges();
    doc.tables.studied[0]!.title = 'A </title><script>alert("x")</script> & \u0007bell';
    const xml = laToEwpXml([doc]);
    expect(xml).to.not.contain('<script>');
    const title = child(child(child(onlyLa(xml), 'first-version'), 'components-studied'), 'component').childNamed('title')!.val;
    expect(title).to.equal('A </title><script>alert("x")</script> & bell');
    if (HAS_XMLLINT) expect(xmllint(xml, GET_RESPONSE_XSD).status).to.equal(0);
  });

  it('refuses to publish an LA without SCHAC code, saying which one', () => {
    const doc = laWithChanges();
    doc.receiving.schac = '';
    expect(ewpProblems(doc)).to.deep.equal(['receiving institution: SCHAC code is missing']);
    expect(() => laToEwpXml([doc])).to.throw(/SMILE_ERR_EWP_LA_INVALID.*smile-demo-2025-0042: receiving institution: SCHAC code is missing/)
      .with.property('code', EWP_LA_INVALID);
  });

  it('refuses an LA whose study and language levels are not known yet', () => {
    const doc = baseLa();
    doc.eqfLevel = null;
    doc.languageOfInstruction.cefrLevel = null;
    expect(ewpProblems(doc)).to.include.members(['the EQF level is not known yet', 'CEFR level "" is unknown']);
  });

  it('refuses a proposal the student has not signed, and lists every problem at once', () => {
    const doc = baseLa();
    doc.signatures = [sign(doc, 'sending', '2025-06-03T09:30:00Z')];
    doc.student.nationality = 'Polish';
    doc.academicYear = '2025-2026';
    expect(ewpProblems(doc)).to.have.members([
      'academic year "2025-2026" is not like 2025/2026',
      'student: nationality "Polish" is not an ISO country code',
      'proposal (version 1): not signed by the student',
    ]);
  });

  it('a fully valid fixture has no problems', () => {
    expect(ewpProblems(laWithChanges())).to.deep.equal([]);
    expect(ewpProblems(signedFirstVersion())).to.deep.equal([]);
  });
});
