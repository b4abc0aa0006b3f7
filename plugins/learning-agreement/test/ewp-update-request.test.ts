import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { EWP_REQUEST_INVALID, readLaUpdateRequest } from '../src/ewp-update-request.js';
import { laDocumentHash } from '../src/model.js';
import { laWithChanges } from './fixtures/la-fixture.js';
import { HAS_XMLLINT, UPDATE_REQUEST_XSD, xmllint } from './fixtures/xmllint.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const approveXml = fixture('approve-request.xml');
const commentXml = fixture('comment-request.xml');

const REQ = 'https://github.com/erasmus-without-paper/ewp-specs-api-omobility-las/blob/stable-v1/endpoints/update-request.xsd';
const LA = 'https://github.com/erasmus-without-paper/ewp-specs-api-omobility-las/blob/stable-v1/endpoints/get-response.xsd';

/** An approve request with `body` inside `<approve-proposal-v1>`. */
function approve(body: string, root = `<omobility-las-update-request xmlns="${REQ}" xmlns:la="${LA}">`): string {
  return `${root}<sending-hei-id>uni.lodz.pl</sending-hei-id><approve-proposal-v1>${body}</approve-proposal-v1></omobility-las-update-request>`;
}
const ids = '<omobility-id>m-1</omobility-id><changes-proposal-id>abc</changes-proposal-id>';
const sig = '<signature><la:signer-name>X</la:signer-name><la:timestamp>2025-10-03T10:00:00Z</la:timestamp></signature>';

function rejection(xml: string): { code: string; status: number; message: string } {
  try {
    readLaUpdateRequest(xml);
  } catch (e) {
    return e as { code: string; status: number; message: string };
  }
  throw new Error('the request was accepted');
}

describe('learning-agreement: EWP omobility-las-update-request', () => {
  it('the hand-written samples are valid against the XSD', function () {
    if (!HAS_XMLLINT) {
      console.log('    xmllint is not installed (Debian package libxml2-utils): schema validation skipped');
      this.skip();
    }
    for (const xml of [approveXml, commentXml]) {
      const r = xmllint(xml, UPDATE_REQUEST_XSD);
      expect(r.messages).to.contain('validates');
      expect(r.status).to.equal(0);
    }
  });

  it('reads an approval: who approves which proposal of which mobility, and when (in UTC)', () => {
    expect(readLaUpdateRequest(approveXml)).to.deep.equal({
      kind: 'approve',
      sendingHeiId: 'uni.lodz.pl',
      omobilityId: 'smile-demo-2025-0042',
      proposalId: '0ea7c6655589ee0eebfb99b7f7a6868142746fc87a199e0c97aeec2b190c77bd',
      signature: {
        signerName: 'Ödön Őrs Kővári',
        signerPosition: 'Responsable des relations internationales',
        signerEmail: 'odon.kovari@univ-demo.example.fr',
        timestamp: '2025-10-03T16:45:30.000Z',
        signerApp: 'Dashboard',
      },
    });
  });

  it('the proposal id of the sample is the one our get response gives for that proposal', () => {
    const request = readLaUpdateRequest(Buffer.from(approveXml));
    expect(request.proposalId).to.equal(laDocumentHash(laWithChanges(['student', 'sending'])));
  });

  it('reads a comment with escaped characters and CDATA, whatever the prefixes', () => {
    const r = readLaUpdateRequest(commentXml);
    expect(r).to.deep.equal({
      kind: 'comment',
      sendingHeiId: 'uni.lodz.pl',
      omobilityId: 'smile-demo-2025-0042',
      proposalId: '0ea7c6655589ee0eebfb99b7f7a6868142746fc87a199e0c97aeec2b190c77bd',
      comment: '"Straßenbau" is no longer taught & "Türk dili" is full. Please choose <Øresund II> instead.',
      signature: {
        signerName: 'Ștefania Țurcanu',
        signerPosition: 'Coordinatrice Erasmus+',
        signerEmail: 'stefania.turcanu@univ-demo.example.fr',
        timestamp: '2025-10-02T09:00:00.000Z',
      },
    });
  });

  it('a minimal approval (signature with a time only) is accepted', () => {
    const r = readLaUpdateRequest(approve(`${ids}<signature><la:timestamp>2025-10-03T10:00:00</la:timestamp></signature>`));
    expect(r).to.deep.equal({ kind: 'approve', sendingHeiId: 'uni.lodz.pl', omobilityId: 'm-1', proposalId: 'abc', signature: { timestamp: '2025-10-03T10:00:00.000Z' } });
  });

  const malformed: [string, string, RegExp][] = [
    ['an empty body', '', /the body is empty/],
    ['XML that is not well-formed', approve(`${ids}${sig}`).replace('</approve-proposal-v1>', ''), /not well-formed XML/],
    ['a DOCTYPE (entity expansion)', `<!DOCTYPE x [<!ENTITY a "aaaa">]>${approve(`${ids}${sig}`)}`, /DOCTYPE is not allowed/],
    ['the root in no namespace', approve(`${ids}${sig}`, `<omobility-las-update-request xmlns:la="${LA}">`), /root element must be <omobility-las-update-request> in namespace/],
    ['a get response instead of an update request', `<omobility-las-get-response xmlns="${LA}"/>`, /not <omobility-las-get-response> in https:/],
    ['an unknown update type', approve(`${ids}${sig}`).replace(/approve-proposal-v1/g, 'reject-proposal-v1'), /expected <approve-proposal-v1> or <comment-proposal-v1>, found <reject-proposal-v1>/],
    ['no signature', approve(ids), /approve-proposal-v1: <signature> is missing/],
    ['elements out of order', approve(`<changes-proposal-id>abc</changes-proposal-id><omobility-id>m-1</omobility-id>${sig}`), /expected <omobility-id>, found <changes-proposal-id>/],
    ['an extra element', approve(`${ids}${sig}<note>hi</note>`), /approve-proposal-v1: unexpected <note>/],
    ['a signature field in the wrong namespace', approve(`${ids}<signature><timestamp>2025-10-03T10:00:00Z</timestamp></signature>`), /signature: <timestamp> must be in namespace https:\/\/github.com\/erasmus-without-paper\/ewp-specs-api-omobility-las\/blob\/stable-v1\/endpoints\/get-response.xsd, not https:\/\/github.com\/[^ ]+update-request.xsd/],
    ['an undeclared prefix', approve(`${ids}<signature><x:timestamp>2025-10-03T10:00:00Z</x:timestamp></signature>`), /undeclared namespace prefix "x"/],
    ['a timestamp that is not a date-time', approve(`${ids}<signature><la:timestamp>3 October 2025</la:timestamp></signature>`), /signature\/timestamp: "3 October 2025" is not a date-time/],
    ['an impossible date', approve(`${ids}<signature><la:timestamp>2025-13-45T10:00:00Z</la:timestamp></signature>`), /is not a date-time/],
    ['30 February', approve(`${ids}<signature><la:timestamp>2025-02-30T10:00:00+01:00</la:timestamp></signature>`), /"2025-02-30T10:00:00\+01:00" is not a date-time/],
    ['an omobility id with spaces', approve(`<omobility-id>m 1</omobility-id><changes-proposal-id>abc</changes-proposal-id>${sig}`), /omobility-id: "m 1" is not 1–64 printable ASCII/],
    ['an empty proposal id', approve(`<omobility-id>m-1</omobility-id><changes-proposal-id> </changes-proposal-id>${sig}`), /changes-proposal-id: is empty/],
    ['text between elements', approve(`${ids}hello${sig}`), /text is not allowed between elements/],
    ['an empty comment', commentXml.replace(/<req:comment>[\s\S]*<\/req:comment>/, '<req:comment>  </req:comment>'), /comment-proposal-v1\/comment: is empty/],
    ['a comment request without comment', commentXml.replace(/<req:comment>[\s\S]*<\/req:comment>/, ''), /expected <comment>, found <signature>/],
  ];
  for (const [what, xml, message] of malformed) {
    it(`refuses ${what} with a 400 saying what is wrong`, () => {
      const e = rejection(xml);
      expect(e.code).to.equal(EWP_REQUEST_INVALID);
      expect(e.status).to.equal(400);
      expect(e.message).to.match(message);
    });
  }
});
