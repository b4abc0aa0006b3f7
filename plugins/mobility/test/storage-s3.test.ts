// The S3 client of the document storage against s3rver, an S3-compatible stand-in server run on a
// random local port (the real S3 cannot be reached from here). s3rver 3.7.1 does not verify
// Signature V4 (lib/middleware/authentication.js: "Signature version 4 calculation is
// unimplemented"): it only refuses unknown access keys. So a wrong secret is tested through a
// signature-checking front placed before s3rver, written here from the AWS specification and
// itself checked against AWS's published example.
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { mobilityService } from '../src/index.js';
import { S3Error, S3Storage, signV4 } from '../src/storage-s3.js';
import { storageFor } from '../src/storage.js';

const S3rver = createRequire(import.meta.url)('s3rver');
const BUCKET = 'smile-docs';
// s3rver's built-in account
const KEY_ID = 'S3RVER';
const SECRET = 'S3RVER';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const hmac = (k: Buffer | string, s: string) => createHmac('sha256', k).update(s).digest();

/** Recompute the V4 signature of a request as it arrived, with the right secret. */
function signatureOk(req: http.IncomingMessage, body: Buffer): boolean {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ''));
  if (!auth) return false;
  const [, keyId, day, region, signed, signature] = auth;
  if (keyId !== KEY_ID || sha(body) !== req.headers['x-amz-content-sha256']) return false;
  const names = signed!.split(';');
  const canonical = [req.method, req.url!.split('?')[0], '', names.map((n) => `${n}:${String(req.headers[n] ?? '').trim()}\n`).join(''), signed, req.headers['x-amz-content-sha256']].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', req.headers['x-amz-date'], `${day}/${region}/s3/aws4_request`, sha(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, day!), region!), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === signature;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('mobility: S3 document storage against s3rver (an S3-compatible stand-in server)', function () {
  this.timeout(60_000);
  let dir: string;
  let s3rver: any;
  let port: number;
  let front: http.Server;
  let frontPort: number;
  const endpoint = () => `http://127.0.0.1:${port}`;
  const storage = (over: Partial<ConstructorParameters<typeof S3Storage>[0]> = {}) =>
    new S3Storage({ endpoint: endpoint(), bucket: BUCKET, region: 'us-east-1', accessKeyId: KEY_ID, secretAccessKey: SECRET, prefix: 'mobility-documents/', ...over });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'smile-s3rver-'));
    s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
    port = (await s3rver.run()).port;
    front = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (!signatureOk(req, body)) {
          res.writeHead(403, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code></Error>');
          return;
        }
        const out = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        out.end(body);
      });
    });
    frontPort = await listen(front);
  });
  after(async () => {
    await new Promise((r) => front?.close(r));
    await s3rver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('signs as AWS’s published example (GET object with a range)', () => {
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const auth = signV4({
      method: 'GET', host: 'examplebucket.s3.amazonaws.com', path: '/test.txt',
      headers: { Range: 'bytes=0-9', 'x-amz-content-sha256': empty, 'x-amz-date': '20130524T000000Z' }, payloadHash: empty,
      region: 'us-east-1', service: 's3', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', date: new Date('2013-05-24T00:00:00Z'),
    });
    expect(auth).to.equal('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });

  it('puts, gets and deletes objects at path-style URLs', async () => {
    const s = storage();
    const data = Buffer.from('%PDF-1.4\nhello from the S3 test\n');
    await s.put('1/42/abcDEF_123-x', data, 'application/pdf');
    // read back without our client: the object is where a path-style URL says
    const raw = await fetch(`${endpoint()}/${BUCKET}/mobility-documents/1/42/abcDEF_123-x`);
    expect(raw.status).to.equal(200);
    expect(raw.headers.get('content-type')).to.equal('application/pdf');
    expect(Buffer.from(await raw.arrayBuffer()).equals(data)).to.equal(true);
    expect((await s.get('1/42/abcDEF_123-x'))!.equals(data)).to.equal(true);
    expect(await s.get('1/42/missing')).to.equal(null);
    await s.delete('1/42/abcDEF_123-x');
    expect(await s.get('1/42/abcDEF_123-x')).to.equal(null);
    await s.delete('1/42/abcDEF_123-x');
    const escape = await storage().put('../escape', data, 'application/pdf').then(() => null, (err: Error) => err);
    expect(escape?.message).to.match(/invalid storage key/);
  });

  it('is refused by s3rver with an unknown access key', async () => {
    const e = await storage({ accessKeyId: 'NOBODY' }).put('1/1/x', Buffer.from('x'), 'application/pdf').then(() => null, (err) => err);
    expect(e).to.be.instanceOf(S3Error);
    expect(e).to.include({ status: 403, s3Code: 'InvalidAccessKeyId' });
  });

  it('is refused with a wrong secret, accepted with the right one (signature-checking front)', async () => {
    const wrong = storage({ endpoint: `http://127.0.0.1:${frontPort}`, secretAccessKey: 'not-the-secret' });
    const e = await wrong.put('1/1/secret', Buffer.from('x'), 'application/pdf').then(() => null, (err) => err);
    expect(e).to.be.instanceOf(S3Error);
    expect(e).to.include({ status: 403, s3Code: 'SignatureDoesNotMatch' });
    expect(await storage().get('1/1/secret')).to.equal(null);
    const right = storage({ endpoint: `http://127.0.0.1:${frontPort}` });
    await right.put('1/1/secret', Buffer.from('ok'), 'application/pdf');
    expect((await right.get('1/1/secret'))!.toString()).to.equal('ok');
    await right.delete('1/1/secret');
  });

  describe('documents uploaded through the platform', () => {
    let t: TestPlatform;
    let dataDir: string;

    before(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'smile-documents-s3-'));
      t = await startTestPlatform({
        plugins: ['mobility'],
        config: { dataDir },
        settings: { mobility: { s3Endpoint: endpoint(), s3Bucket: BUCKET, s3Region: 'us-east-1', s3AccessKeyId: KEY_ID, s3SecretAccessKey: SECRET } },
      });
    });
    after(async () => {
      await t?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('go to the bucket when the settings name one, and come back on download', async () => {
      expect(storageFor({ s3Endpoint: endpoint(), s3Bucket: BUCKET, s3Region: 'us-east-1', s3AccessKeyId: KEY_ID, s3SecretAccessKey: SECRET }, dataDir).kind).to.equal('s3');
      expect(storageFor({}, dataDir).kind).to.equal('local');
      const s = await t.signIn(['student'], { displayName: 'Ana' });
      const file = await t.resolve(mobilityService).createFile({ institutionId: t.institution.id, label: 'test' }, { firstName: 'Ana', lastName: 'S3', exchangeType: 'full-year', academicYear: 2026, personId: s.personId });
      const client = t.client({ session: s });
      const data = Buffer.from('%PDF-1.7\nstored in the bucket\n');
      const res = await client.upload(`/mobility/me/${file.id}/documents`, { type: 'transcript', current: '', version: '' }, { file: { filename: 'transcript.pdf', data } });
      expect(res.status).to.equal(303);
      const doc = await t.knex('mobility_documents').where({ file_id: file.id }).first();
      const raw = await fetch(`${endpoint()}/${BUCKET}/mobility-documents/${doc.storage_key}`);
      expect(raw.status).to.equal(200);
      expect(Buffer.from(await raw.arrayBuffer()).equals(data)).to.equal(true);
      const down = await client.get(`/mobility/me/${file.id}/documents/${doc.id}`);
      expect(down.status).to.equal(200);
      expect(down.text).to.equal(data.toString());
    });
  });
});
