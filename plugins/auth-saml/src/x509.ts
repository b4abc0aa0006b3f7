/**
 * A minimal X.509 v3 certificate builder (DER), enough for the self-signed certificates SAML uses:
 * federations trust the certificate published in metadata, not a CA, so the SP (and the test IdP)
 * only need a well-formed certificate binding the name to the key. Node's crypto makes keys and
 * signatures but no certificates, and no X.509 library is a dependency.
 */
import { createHash, generateKeyPair, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const nul = () => Buffer.from([0x05, 0x00]);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.from([0]), b);
const explicit = (n: number, c: Buffer) => tlv(0xa0 + n, c);

function integer(b: Buffer): Buffer {
  let v = b;
  while (v.length > 1 && v[0] === 0 && (v[1]! & 0x80) === 0) v = v.subarray(1);
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a! + b!];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

const SHA256_RSA = '1.2.840.113549.1.1.11';

/** A PEM certificate body (base64 only, no armour or line breaks), as SAML metadata carries it. */
export function certBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** Wrap a base64 certificate body (from metadata) as PEM. */
export function certPem(body: string): string {
  const b = certBody(body);
  return `-----BEGIN CERTIFICATE-----\n${b.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * A self-signed certificate for `commonName`, valid `years` from now, signed with SHA-256/RSA.
 * `dnsName` adds a subjectAltName (the SP's host).
 */
export function selfSignedCertificate(keys: { publicKey: KeyObject; privateKey: KeyObject }, commonName: string, opts: { years?: number; dnsName?: string } = {}): string {
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
  const name = seq(set(seq(oid('2.5.4.3'), utf8(commonName.slice(0, 64)))));
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + (opts.years ?? 10));
  // subjectKeyIdentifier: any unique value will do (RFC 5280 §4.2.1.2); the SHA-1 of the whole SPKI is
  const extensions = [
    seq(oid('2.5.29.19'), octets(seq())), // basicConstraints: not a CA
    seq(oid('2.5.29.14'), octets(octets(createHash('sha1').update(spki).digest()))),
  ];
  if (opts.dnsName) extensions.push(seq(oid('2.5.29.17'), octets(seq(tlv(0x82, Buffer.from(opts.dnsName, 'ascii'))))));
  const algorithm = seq(oid(SHA256_RSA), nul());
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    algorithm,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, keys.privateKey);
  const der = seq(tbs, algorithm, bits(signature));
  const pem = certPem(der.toString('base64'));
  new X509Certificate(pem); // throws if we built something a parser refuses
  return pem;
}

/** A fresh RSA key pair (PKCS#8 PEM private key) and its self-signed certificate. */
export async function generateKeyAndCertificate(commonName: string, opts: { bits?: number; years?: number; dnsName?: string } = {}): Promise<{ privateKey: string; certificate: string }> {
  const keys = await generateKeyPairAsync('rsa', { modulusLength: opts.bits ?? 3072 });
  return {
    privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate: selfSignedCertificate(keys, commonName, opts),
  };
}

/** SHA-256 fingerprint (AA:BB:…) and expiry of a PEM certificate, for the admin page. */
export function describeCertificate(pem: string): { fingerprint: string; validTo: Date; subject: string } | null {
  try {
    const c = new X509Certificate(certPem(pem));
    return { fingerprint: c.fingerprint256, validTo: new Date(c.validTo), subject: c.subject };
  } catch {
    return null;
  }
}
