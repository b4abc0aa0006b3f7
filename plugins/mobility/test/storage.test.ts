// The local disk storage of documents: keys that cannot leave the root, atomic writes (no
// temporary file left behind), reads of missing keys, deletes.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { LocalDiskStorage } from '../src/storage-local.js';
import { checkKey, newDocumentKey, storageSettings } from '../src/storage.js';

describe('mobility: local document storage', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'smile-local-storage-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes under <root>/<institution>/<file>/<id>, whole, with nothing else left', async () => {
    const s = new LocalDiskStorage(root);
    const key = newDocumentKey(3, 17);
    expect(key).to.match(/^3\/17\/[A-Za-z0-9_-]{24}$/);
    const data = Buffer.alloc(200_000, 7);
    await s.put(key, data, 'application/pdf');
    expect(readdirSync(path.join(root, '3', '17'))).to.deep.equal([key.split('/')[2]]);
    expect(statSync(path.join(root, ...key.split('/'))).mode & 0o777).to.equal(0o600);
    expect((await s.get(key))!.equals(data)).to.equal(true);
    await s.put(key, Buffer.from('second'), 'application/pdf');
    expect((await s.get(key))!.toString()).to.equal('second');
    expect(readdirSync(path.join(root, '3', '17'))).to.have.length(1);
    await s.delete(key);
    expect(await s.get(key)).to.equal(null);
    await s.delete(key);
  });

  it('refuses keys that could leave the root', async () => {
    for (const bad of ['../x', '/etc/passwd', 'a/../../b', 'a\\b', '', 'a//b', 'a/b/', 'é']) {
      expect(() => checkKey(bad), bad).to.throw(/invalid storage key/);
      const e = await new LocalDiskStorage(root).get(bad).then(() => null, (err: Error) => err);
      expect(e?.message, bad).to.match(/invalid storage key/);
    }
  });

  it('needs every S3 setting or none', () => {
    expect(storageSettings.safeParse({}).success).to.equal(true);
    const partial = storageSettings.safeParse({ s3Endpoint: 'https://s3.example.org', s3Bucket: 'docs' });
    expect(partial.success).to.equal(false);
    expect(partial.error!.issues.map((i) => i.path.join('.'))).to.deep.equal(['s3Region', 's3AccessKeyId', 's3SecretAccessKey']);
    expect(storageSettings.safeParse({ s3Endpoint: 'https://s3.example.org', s3Bucket: 'docs', s3Region: 'fr-par', s3AccessKeyId: 'k', s3SecretAccessKey: 's' }).success).to.equal(true);
  });
});
