import { expect } from 'chai';
import { ESI_MAX_LENGTH, ESI_PREFIX, chooseEsi, normaliseEsi, parseEsi } from '../src/esi.js';
import type { Issue } from '../src/esi.js';
import { issueMessage } from '../src/strings.js';

const ok = (v: string) => {
  const r = parseEsi(v);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(v)} to parse: ${issueMessage(r.issue)}`);
  return r.esi;
};
const reason = (v: unknown): Issue => {
  const r = parseEsi(v);
  if (r.ok) throw new Error(`expected ${JSON.stringify(v)} to be refused, got ${r.esi.value}`);
  return r.issue;
};

describe('esi: parse and normalise', () => {
  it('accepts the two v1.0 forms (nation-wide and institution-wide codes)', () => {
    const national = ok('urn:schac:personalUniqueCode:int:esi:hr:0246061312');
    expect(national).to.include({ value: 'urn:schac:personalUniqueCode:int:esi:hr:0246061312', qualifier: 'hr', qualifierKind: 'country', code: '0246061312', form: 'v1' });
    const hei = ok('urn:schac:personalUniqueCode:int:esi:example.edu:xxxxxxxxxx');
    expect(hei).to.include({ qualifier: 'example.edu', qualifierKind: 'sho', code: 'xxxxxxxxxx' });
    expect(ok('urn:schac:personalUniqueCode:int:esi:math.example.edu:A-12').qualifierKind).to.equal('sho');
    // an ISO 3166-2 subdivision is a country-code qualifier too
    expect(ok('urn:schac:personalUniqueCode:int:esi:es-an:123').qualifierKind).to.equal('country');
  });

  it('normalises the prefix and the qualifier, and keeps the case of the code', () => {
    const e = ok('  URN:SCHAC:PERSONALUNIQUECODE:INT:ESI:FR:123456789ab\n');
    expect(e.value).to.equal(`${ESI_PREFIX}fr:123456789ab`);
    expect(ok('urn:schac:personalUniqueCode:int:esi:Univ-Example.FR:AbC').value).to.equal(`${ESI_PREFIX}univ-example.fr:AbC`);
    expect(normaliseEsi('urn:Schac:PersonalUniqueCode:Int:Esi:IT:x')).to.equal(`${ESI_PREFIX}it:x`);
    expect(normaliseEsi('not an esi')).to.equal(null);
  });

  it('matches ESIs ignoring case, as SCHAC compares schacPersonalUniqueCode', () => {
    expect(ok(`${ESI_PREFIX}fr:123456789AB`).key).to.equal(ok(`${ESI_PREFIX}FR:123456789ab`).key);
    expect(ok(`${ESI_PREFIX}fr:1`).key).not.to.equal(ok(`${ESI_PREFIX}fr:2`).key);
  });

  it('rewrites the superseded draft form (country first, "ESI" as a namespace)', () => {
    const national = ok('urn:schac:PersonalUniqueCode:hr:ESI:xxxxxxxxxx');
    expect(national).to.include({ value: `${ESI_PREFIX}hr:xxxxxxxxxx`, form: 'draft', qualifierKind: 'country' });
    const hei = ok('urn:schac:PersonalUniqueCode:es:ESI:uma.es:a3b123c12');
    expect(hei).to.include({ value: `${ESI_PREFIX}uma.es:a3b123c12`, form: 'draft', qualifierKind: 'sho' });
    expect(ok('urn:schac:PersonalUniqueCode:es:ESI:yyy.uma.es:X').value).to.equal(`${ESI_PREFIX}yyy.uma.es:X`);
    // a code with colons after a country stays whole
    expect(ok('urn:schac:personalUniqueCode:hr:esi:abc:def').value).to.equal(`${ESI_PREFIX}hr:abc:def`);
  });

  it('allows every character RFC 2141 allows, %-escapes and colons in the code', () => {
    const code = "AZaz09()+,-.:=@;$_!*'%2F";
    expect(ok(`${ESI_PREFIX}fr:${code}`).code).to.equal(code);
  });

  it('refuses with the reason', () => {
    expect(reason('')).to.deep.equal({ code: 'empty' });
    expect(reason('   ')).to.deep.equal({ code: 'empty' });
    expect(reason(undefined)).to.deep.equal({ code: 'empty' });
    expect(reason(42)).to.deep.equal({ code: 'empty' });
    expect(reason('123456789AB').code).to.equal('notUrn');
    expect(reason('https://example.org/esi').code).to.equal('notUrn');
    expect(reason('urn:mace:dir:entitlement:common-lib-terms').code).to.equal('notEsi');
    expect(reason('urn:schac:personalUniqueCode:int:studentID:fr:1').code).to.equal('notEsi');
    expect(reason('urn:schac:personalUniqueCode:fr:univ-example.fr:etudiant:12345').code).to.equal('national');
    expect(reason('urn:schac:personalUniqueCode:int:esi:').code).to.equal('missingQualifier');
    expect(reason('urn:schac:personalUniqueCode:int:esi:fr').code).to.equal('missingCode');
    expect(reason('urn:schac:personalUniqueCode:int:esi:fr:').code).to.equal('missingCode');
    expect(reason('urn:schac:personalUniqueCode:int:esi:france:1')).to.deep.equal({ code: 'badQualifier', vars: { qualifier: 'france' } });
    expect(reason('urn:schac:personalUniqueCode:int:esi:f_r.example:1').code).to.equal('badQualifier');
  });

  it('names the character that is not allowed', () => {
    expect(reason(`${ESI_PREFIX}fr:abc~def`)).to.deep.equal({ code: 'badCharacter', vars: { char: '~ (U+007E)' } });
    expect(reason(`${ESI_PREFIX}fr:a b`)).to.deep.equal({ code: 'badCharacter', vars: { char: 'U+0020' } });
    expect(reason(`${ESI_PREFIX}fr:a/b`).vars).to.deep.equal({ char: '/ (U+002F)' });
    expect(reason(`${ESI_PREFIX}fr:a?b`).code).to.equal('badCharacter');
    expect(reason(`${ESI_PREFIX}fr:a#b`).code).to.equal('badCharacter');
    expect(reason(`${ESI_PREFIX}fr:é`).vars).to.deep.equal({ char: 'é (U+00E9)' });
    expect(reason(`${ESI_PREFIX}fr:a😀`).vars).to.deep.equal({ char: '😀 (U+1F600)' });
    expect(reason(`${ESI_PREFIX}fr:a<b>`).code).to.equal('badCharacter');
    expect(issueMessage(reason(`${ESI_PREFIX}fr:abc~def`))).to.equal('The character ~ (U+007E) is not allowed in an ESI.');
    expect(issueMessage(reason(`${ESI_PREFIX}fr:abc~def`), 'fr')).to.equal('Le caractère ~ (U+007E) n’est pas autorisé dans un ESI.');
  });

  it('refuses broken %-escapes and %00', () => {
    expect(reason(`${ESI_PREFIX}fr:a%2`)).to.deep.equal({ code: 'badEscape', vars: { escape: '%2' } });
    expect(reason(`${ESI_PREFIX}fr:a%zz`).code).to.equal('badEscape');
    expect(reason(`${ESI_PREFIX}fr:a%00`).code).to.equal('badEscape');
  });

  it('refuses values longer than 255 characters, and accepts exactly 255', () => {
    const room = ESI_MAX_LENGTH - `${ESI_PREFIX}fr:`.length;
    expect(ok(`${ESI_PREFIX}fr:${'a'.repeat(room)}`).value).to.have.length(255);
    expect(reason(`${ESI_PREFIX}fr:${'a'.repeat(room + 1)}`)).to.deep.equal({ code: 'tooLong', vars: { max: 255, length: 256 } });
    expect(reason('x'.repeat(100_000)).code).to.equal('tooLong');
    expect(issueMessage({ code: 'tooLong', vars: { max: 255, length: 256 } })).to.equal('The ESI is longer than 255 characters (256).');
  });
});

describe('esi: choose among schacPersonalUniqueCode values', () => {
  it('picks the ESI and ignores national codes', () => {
    const c = chooseEsi([
      'urn:schac:personalUniqueCode:fr:univ-example.fr:etudiant:12345',
      'urn:schac:personalUniqueCode:int:esi:fr:123456789AB',
      'urn:schac:personalUniqueCode:fr:univ-example.fr:employee:77',
    ]);
    expect(c.esi?.value).to.equal(`${ESI_PREFIX}fr:123456789AB`);
    expect(c.ignored).to.equal(2);
    expect(c.rejected).to.deep.equal([]);
    expect(c.others).to.deep.equal([]);
  });

  it('prefers a nation-wide ESI, then the v1.0 form, then the first value', () => {
    const c = chooseEsi([`${ESI_PREFIX}univ-example.fr:e42`, 'urn:schac:personalUniqueCode:fr:esi:123456789AB', `${ESI_PREFIX}it:RSSSFO00A41H501Z`]);
    expect(c.esi?.value).to.equal(`${ESI_PREFIX}it:RSSSFO00A41H501Z`);
    expect(c.others.map((e) => e.value)).to.deep.equal([`${ESI_PREFIX}fr:123456789AB`, `${ESI_PREFIX}univ-example.fr:e42`]);
    expect(chooseEsi([`${ESI_PREFIX}b.example.org:2`, `${ESI_PREFIX}a.example.org:1`]).esi?.code).to.equal('2');
  });

  it('counts the same ESI in two spellings once', () => {
    const c = chooseEsi([`${ESI_PREFIX}fr:123456789AB`, 'URN:SCHAC:personalUniqueCode:int:ESI:FR:123456789ab', 'urn:schac:personalUniqueCode:fr:ESI:123456789AB']);
    expect(c.esi?.value).to.equal(`${ESI_PREFIX}fr:123456789AB`);
    expect(c.others).to.deep.equal([]);
  });

  it('reports malformed ESIs with their reason, by position', () => {
    const c = chooseEsi(['urn:schac:personalUniqueCode:fr:x:1', `${ESI_PREFIX}fr:bad~code`, `${ESI_PREFIX}nowhere:1`]);
    expect(c.esi).to.equal(null);
    expect(c.rejected).to.deep.equal([
      { index: 1, issue: { code: 'badCharacter', vars: { char: '~ (U+007E)' } } },
      { index: 2, issue: { code: 'badQualifier', vars: { qualifier: 'nowhere' } } },
    ]);
    expect(c.ignored).to.equal(1);
  });

  it('copes with nothing at all', () => {
    for (const v of [undefined, null, [], [''], [42 as unknown as string]]) {
      const c = chooseEsi(v as string[]);
      expect(c.esi).to.equal(null);
      expect(c.rejected).to.deep.equal([]);
    }
  });
});
