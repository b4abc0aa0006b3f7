import { expect } from 'chai';
import { ESI_PREFIX, parseEsi } from '../src/esi.js';
import { esiFromIne, validateIne } from '../src/ine.js';
import { issueMessage } from '../src/strings.js';

// The keys are computed here from the published rules, independently of src/ine.ts.
const LETTERS_23 = 'ABCDEFGHJKLMNPRSTUVWXYZ';
/** INE-BEA: the 10-digit number modulo 23, as a letter of A–Z without I, O, Q. */
function withBeaKey(digits: string): string {
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 23;
  return digits + LETTERS_23[rest];
}
/** INE-Base 36: last digit of 6 × (values of characters 1–9) + value of character 10. */
function withBase36Key(chars: string): string {
  const value = (c: string) => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.indexOf(c);
  let sum = 0;
  [...chars].forEach((c, i) => (sum += (i < 9 ? 6 : 1) * value(c)));
  return chars + String(sum).slice(-1);
}
const otherLetter = (ine: string) => ine.slice(0, -1) + LETTERS_23[(LETTERS_23.indexOf(ine.slice(-1)) + 1) % 23];
const otherDigit = (ine: string) => ine.slice(0, -1) + String((Number(ine.slice(-1)) + 1) % 10);

describe('esi: INE formats and keys', () => {
  it('INE-BEA: accepts the right key letter, refuses any other', () => {
    for (const digits of ['0000000000', '1234567890', '9999999999', '0301234567', '1995000042']) {
      const ine = withBeaKey(digits);
      const r = validateIne(ine);
      expect(r.ok, ine).to.equal(true);
      if (r.ok) expect(r.ine).to.deep.equal({ ine, format: 'bea', keyChecked: true });
      const bad = validateIne(otherLetter(ine));
      expect(bad.ok).to.equal(false);
      if (!bad.ok) expect(bad.issue).to.deep.equal({ code: 'ineKey', vars: { expected: ine.slice(-1), found: otherLetter(ine).slice(-1) } });
    }
    // I, O and Q are never keys: such a value is not a BEA at all
    expect(validateIne('1234567890I')).to.deep.equal({ ok: false, issue: { code: 'ineFormat' } });
  });

  it('INE-Base 36: accepts the right key digit, refuses any other', () => {
    for (const chars of ['0A1B2C3D4E', 'ZZZZZZZZZZ', '0000000000', 'UNIV2024XY', '1234567890']) {
      const ine = withBase36Key(chars);
      const r = validateIne(ine);
      expect(r.ok, ine).to.equal(true);
      if (r.ok) expect(r.ine).to.include({ format: 'base36', keyChecked: true });
      const bad = validateIne(otherDigit(ine));
      expect(bad.ok).to.equal(false);
      if (!bad.ok) expect(bad.issue.code).to.equal('ineKey');
    }
  });

  it('INE-RNIE, SIFA and provisional: their shape only (no published key)', () => {
    expect(validateIne('123456789JK')).to.deep.equal({ ok: true, ine: { ine: '123456789JK', format: 'rnie', keyChecked: false } });
    expect(validateIne('000000000AH').ok).to.equal(true);
    expect(validateIne('2019A12345B')).to.deep.equal({ ok: true, ine: { ine: '2019A12345B', format: 'sifa', keyChecked: false } });
    expect(validateIne('2019D12345B')).to.deep.equal({ ok: true, ine: { ine: '2019D12345B', format: 'provisional', keyChecked: false } });
    // RNIE letters are A–H, J, K only
    expect(validateIne('123456789LM').ok).to.equal(false);
    expect(validateIne('123456789II').ok).to.equal(false);
    expect(validateIne('2019A12345I').ok).to.equal(false);
    expect(validateIne('2019B12345C').ok).to.equal(false);
  });

  it('accepts spaces and lower case, refuses other shapes with the reason', () => {
    const ine = withBeaKey('1234567890');
    const spaced = validateIne(` ${ine.slice(0, 4)} ${ine.slice(4).toLowerCase()} `);
    expect(spaced.ok && spaced.ine.ine).to.equal(ine);
    expect(validateIne('')).to.deep.equal({ ok: false, issue: { code: 'ineEmpty' } });
    expect(validateIne(null)).to.deep.equal({ ok: false, issue: { code: 'ineEmpty' } });
    expect(validateIne('12345')).to.deep.equal({ ok: false, issue: { code: 'ineLength', vars: { length: 5 } } });
    expect(validateIne('123456789ABC').ok).to.equal(false);
    expect(validateIne('12345-67890').ok).to.equal(false);
    expect(issueMessage({ code: 'ineLength', vars: { length: 5 } })).to.equal('An INE has 11 characters; this one has 5.');
  });
});

describe('esi: ESI from the INE', () => {
  it('builds urn:schac:personalUniqueCode:int:esi:fr:<INE>, a valid ESI', () => {
    for (const ine of [withBeaKey('0601234567'), withBase36Key('0A1B2C3D4E'), '123456789AB', '2019A12345B']) {
      const r = esiFromIne(ine.toLowerCase());
      expect(r.ok, ine).to.equal(true);
      if (!r.ok) continue;
      expect(r.esi).to.equal(`${ESI_PREFIX}fr:${ine}`);
      const parsed = parseEsi(r.esi);
      expect(parsed.ok && parsed.esi.value).to.equal(r.esi);
    }
  });

  it('refuses a bad INE with the reason, and a provisional one unless allowed', () => {
    const bad = esiFromIne(otherLetter(withBeaKey('1234567890')));
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(issueMessage(bad.issue)).to.match(/^The check key of this INE is wrong: “.” found, “.” expected\.$/);
    expect(esiFromIne('2019D12345B')).to.deep.equal({ ok: false, issue: { code: 'ineProvisional' } });
    const allowed = esiFromIne('2019D12345B', { allowProvisional: true });
    expect(allowed.ok && allowed.esi).to.equal(`${ESI_PREFIX}fr:2019D12345B`);
  });
});
