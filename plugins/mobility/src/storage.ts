/**
 * Where the bytes of uploaded documents live: an interface (put, get, delete by key) with two
 * implementations — the local disk under the instance's data directory (default) and an
 * S3-compatible bucket when the plugin settings name one. Keys are made by the platform
 * (`<institution>/<file>/<random id>`), never from what a user typed.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { secret, z } from '@smile/sdk';
import { LocalDiskStorage } from './storage-local.js';
import { S3Storage } from './storage-s3.js';

/** Bytes stored under a key. Implementations write atomically: a reader sees the whole object or none. */
export interface DocumentStorage {
  /** A short name for logs (`local`, `s3`). */
  readonly kind: string;
  put(key: string, data: Buffer, mediaType: string): Promise<void>;
  /** The bytes, or `null` when nothing is stored under `key`. */
  get(key: string): Promise<Buffer | null>;
  /** Remove the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9_-]{1,80}(\/[A-Za-z0-9_-]{1,80}){0,5}$/;

/** Refuse any key that could leave the storage root (`..`, absolute paths, odd characters). */
export function checkKey(key: string): string {
  if (typeof key !== 'string' || !KEY.test(key)) throw new TypeError(`invalid storage key "${String(key)}"`);
  return key;
}

/** A new key for a document of `fileId`: its institution, its file, then a random id (never the uploaded name). */
export function newDocumentKey(institutionId: number, fileId: number): string {
  return checkKey(`${institutionId}/${fileId}/${randomBytes(18).toString('base64url')}`);
}

/** The folder (local disk) or key prefix (S3) documents go under. */
export const STORAGE_FOLDER = 'mobility-documents';

/**
 * The plugin settings for document storage. Without them, documents go to the local disk
 * (`<dataDir>/mobility-documents`); with all five `s3*` fields, to that bucket (path-style URLs).
 */
export const storageSettings = z
  .object({
    /** Base URL of the S3-compatible service, e.g. `https://s3.fr-par.scw.cloud` or `http://127.0.0.1:9000`. */
    s3Endpoint: z.string().url().optional(),
    s3Bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name: 3–63 lower-case letters, digits, dots and dashes').optional(),
    s3Region: z.string().regex(/^[a-z0-9-]{2,40}$/).optional(),
    s3AccessKeyId: z.string().min(1).max(200).optional(),
    s3SecretAccessKey: secret(z.string().min(1).max(200)).optional(),
  })
  .superRefine((s, ctx) => {
    const fields = ['s3Endpoint', 's3Bucket', 's3Region', 's3AccessKeyId', 's3SecretAccessKey'] as const;
    const given = fields.filter((f) => s[f] !== undefined && s[f] !== '');
    if (given.length > 0 && given.length < fields.length) {
      for (const f of fields.filter((x) => !given.includes(x))) {
        ctx.addIssue({ code: 'custom', path: [f], message: 'S3 storage needs the endpoint, bucket, region, access key id and secret access key together' });
      }
    }
  });

export type StorageSettings = z.infer<typeof storageSettings>;

const cache = new Map<string, DocumentStorage>();

/**
 * The storage an institution's settings call for, one instance per distinct configuration (a
 * changed secret gives a new client; the cache key stays in memory and is never logged).
 */
export function storageFor(settings: StorageSettings | undefined, dataDir: string): DocumentStorage {
  const s = settings ?? {};
  const s3 = s.s3Endpoint && s.s3Bucket && s.s3Region && s.s3AccessKeyId && s.s3SecretAccessKey;
  const id = s3 ? ['s3', s.s3Endpoint, s.s3Bucket, s.s3Region, s.s3AccessKeyId, s.s3SecretAccessKey].join('\u0000') : `local\u0000${dataDir}`;
  let storage = cache.get(id);
  if (!storage) {
    storage = s3
      ? new S3Storage({ endpoint: s.s3Endpoint!, bucket: s.s3Bucket!, region: s.s3Region!, accessKeyId: s.s3AccessKeyId!, secretAccessKey: s.s3SecretAccessKey!, prefix: `${STORAGE_FOLDER}/` })
      : new LocalDiskStorage(path.join(dataDir, STORAGE_FOLDER));
    cache.set(id, storage);
  }
  return storage;
}
