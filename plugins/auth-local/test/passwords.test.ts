/** The pure parts: scrypt hashes with their parameters, the password policy, single-use TOTP codes. */
import { expect } from 'chai';
import type { KeyValueStore } from '@smile/sdk';
import { checkPassword, hashPassword, needsRehash, parseHash, verifyPassword } from '../src/passwords.js';
import { isCommonPassword } from '../src/common-passwords.js';
import { checkTotp, currentCode, newTotpSecret, qrSvg, totpUri } from '../src/totp.js';

const LOW = { N: 1024, r: 8, p: 1 };

/** The store's contract, in memory (expiry ignored: the tests are shorter than any TTL). */
class MemoryKv implements KeyValueStore {
  m = new Map<string, string>();
  async setIfAbsent(k: string, v: string) { if (this.m.has(k)) return false; this.m.set(k, v); return true; }
  async set(k: string, v: string) { this.m.set(k, v); }
  async get(k: string) { return this.m.get(k) ?? null; }
  async take(k: string) { const v = this.m.get(k) ?? null; this.m.delete(k); return v; }
  async delete(k: string) { this.m.delete(k); }
  async increment(k: string) { const n = Number(this.m.get(k) ?? 0) + 1; this.m.set(k, String(n)); return n; }
}

describe('auth-local: passwords', () => {
  it('hashes with scrypt, a random salt and the parameters in the hash', async () => {
    const a = await hashPassword('correct horse battery staple', LOW);
    const b = await hashPassword('correct horse battery staple', LOW);
    expect(a).to.match(/^scrypt\$N=1024,r=8,p=1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.to.equal(b);
    expect(parseHash(a)?.params).to.deep.equal(LOW);
    expect(await verifyPassword('correct horse battery staple', a)).to.equal(true);
    expect(await verifyPassword('correct horse battery stapler', a)).to.equal(false);
    expect(await verifyPassword('anything', 'not a hash')).to.equal(false);
  });

  it('normalises Unicode, so the same password typed differently matches', async () => {
    const h = await hashPassword('café au lait le matin', LOW);
    expect(await verifyPassword('cafe\u0301 au lait le matin', h)).to.equal(true);
  });

  it('asks for a re-hash when the parameters were raised', async () => {
    const h = await hashPassword('correct horse battery staple', LOW);
    expect(needsRehash(h, LOW)).to.equal(false);
    expect(needsRehash(h, { N: 2048, r: 8, p: 1 })).to.equal(true);
    expect(needsRehash(h, { N: 1024, r: 8, p: 2 })).to.equal(true);
    expect(needsRehash('garbage', LOW)).to.equal(true);
  });

  it('applies the policy: length, not the email, not common, confirmed', () => {
    const ok = (p: string) => checkPassword(p, p, 'ana.silva@partner.example');
    expect(ok('correct horse battery staple')).to.deep.equal([]);
    expect(ok('trois petits chats')).to.deep.equal([]);
    expect(ok('short')).to.deep.equal(['tooShort']);
    expect(ok('x'.repeat(257))).to.include('tooLong');
    expect(ok('Ana.Silva@Partner.example')).to.deep.equal(['isEmail']);
    expect(ok('ana.silva@partner.example2024')).to.deep.equal(['isEmail']);
    expect(ok('Password2024!')).to.deep.equal(['common']);
    expect(ok('motdepasse123')).to.deep.equal(['common']);
    expect(ok('123456789012')).to.deep.equal(['common']);
    expect(ok('aaaaaaaaaaaa')).to.deep.equal(['common']);
    expect(ok('abcabcabcabc')).to.deep.equal(['common']);
    expect(ok('qwertyuiopas')).to.deep.equal(['common']);
    expect(checkPassword('correct horse battery staple', 'correct horse battery stapl', 'a@b.example')).to.deep.equal(['mismatch']);
    // length counts characters, not bytes
    expect(ok('été à l’hôte')).to.deep.equal([]);
  });

  it('knows the common bases in French and English', () => {
    for (const p of ['azerty', 'bienvenue2025', '!!soleil!!', 'iloveyou']) expect(isCommonPassword(p), p).to.equal(true);
    for (const p of ['un chat sur le toit', 'blue-lagoon-fifteen']) expect(isCommonPassword(p), p).to.equal(false);
  });
});

describe('auth-local: TOTP codes', () => {
  it('accepts the current code once, and the neighbouring steps', async () => {
    const kv = new MemoryKv();
    const secret = newTotpSecret();
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    expect(await checkTotp(kv, 'a', secret, currentCode(secret))).to.equal('ok');
    expect(await checkTotp(kv, 'a', secret, currentCode(secret))).to.equal('replayed');
    expect(await checkTotp(kv, 'b', secret, currentCode(secret)), 'another account').to.equal('ok');
    expect(await checkTotp(kv, 'a', secret, currentCode(secret, Date.now() - 30_000))).to.equal('ok');
    expect(await checkTotp(kv, 'a', secret, currentCode(secret, Date.now() - 5 * 30_000))).to.equal('bad');
    expect(await checkTotp(kv, 'a', secret, '12345')).to.equal('bad');
    const spaced = currentCode(secret, Date.now() + 30_000).replace(/(\d{3})/, '$1 ');
    expect(await checkTotp(kv, 'a', secret, spaced)).to.equal('ok');
  });

  it('builds the otpauth URI and an accessible inline SVG QR code', async () => {
    const uri = totpUri('JBSWY3DPEHPK3PXP', 'Université <Test>', 'ana@partner.example');
    expect(uri).to.match(/^otpauth:\/\/totp\/.*\?.*secret=JBSWY3DPEHPK3PXP/);
    expect(uri).to.contain('issuer=Universit');
    const svg = await qrSvg(uri, 'QR "code"');
    expect(svg).to.match(/^<svg role="img" aria-label="QR &#34;code&#34;" focusable="false"/);
    expect(svg).not.to.contain('<script');
  });
});
