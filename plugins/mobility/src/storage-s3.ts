/**
 * Documents in an S3-compatible bucket, with a small client of our own: AWS Signature Version 4
 * over `fetch`, path-style URLs (`<endpoint>/<bucket>/<key>`, which every S3-compatible service
 * accepts), PUT / GET / DELETE of one object. No AWS SDK: three calls do not justify it.
 * @packageDocumentation
 */
import { createHash, createHmac } from 'node:crypto';
import { checkKey, type DocumentStorage } from './storage.js';

/** Where and as whom to reach the bucket. */
export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Prepended to every key (e.g. `mobility-documents/`). */
  prefix?: string;
  /** Per-request time limit (default 30 s). */
  timeoutMs?: number;
}

/** A refusal or failure of the S3 service, with its HTTP status and S3 error code (`SignatureDoesNotMatch`…). */
export class S3Error extends Error {
  constructor(readonly status: number, readonly s3Code: string, message: string) {
    super(message);
    this.name = 'S3Error';
  }
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves `!'()*` alone). */
export const encodeRfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `20130524T000000Z` */
export const amzDate = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** What {@link signV4} signs. */
export interface SigningInput {
  method: string;
  /** Host (with a non-default port), as the request's `Host` header will carry it. */
  host: string;
  /** The path exactly as sent: each segment already RFC 3986-encoded. */
  path: string;
  query?: Record<string, string>;
  /** Headers to sign besides `host` (names in any case). `x-amz-date` and `x-amz-content-sha256` must be among them. */
  headers: Record<string, string>;
  payloadHash: string;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  date: Date;
}

/**
 * The `Authorization` header of a request, AWS Signature Version 4
 * (canonical request → string to sign → signing key derived from the secret and the scope → HMAC).
 */
export function signV4(input: SigningInput): string {
  const headers = new Map<string, string>([['host', input.host.trim()]]);
  for (const [k, v] of Object.entries(input.headers)) headers.set(k.toLowerCase(), v.trim().replace(/\s+/g, ' '));
  const names = [...headers.keys()].sort();
  const query = Object.entries(input.query ?? {})
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    input.method.toUpperCase(),
    input.path || '/',
    query,
    names.map((n) => `${n}:${headers.get(n)}\n`).join(''),
    names.join(';'),
    input.payloadHash,
  ].join('\n');
  const day = amzDate(input.date).slice(0, 8);
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate(input.date), scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, day), input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`;
}

/** {@link DocumentStorage} in an S3-compatible bucket. */
export class S3Storage implements DocumentStorage {
  readonly kind = 's3';
  private readonly base: URL;

  constructor(private readonly cfg: S3Config, private readonly fetchImpl: typeof fetch = fetch) {
    this.base = new URL(cfg.endpoint);
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') throw new TypeError('the S3 endpoint must be an http(s) URL');
  }

  /** The object's path on the endpoint: `/<bucket>/<prefix><key>`, each segment encoded. */
  private pathOf(key: string): string {
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const segments = [this.cfg.bucket, ...`${this.cfg.prefix ?? ''}${checkKey(key)}`.split('/')].filter((s) => s !== '');
    return `${basePath}/${segments.map(encodeRfc3986).join('/')}`;
  }

  private async send(method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Buffer, contentType?: string): Promise<Response> {
    const path = this.pathOf(key);
    const payloadHash = sha256(body ?? '');
    const date = new Date();
    const headers: Record<string, string> = { 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate(date) };
    if (contentType) headers['content-type'] = contentType;
    const authorization = signV4({
      method, host: this.base.host, path, headers, payloadHash, region: this.cfg.region, service: 's3',
      accessKeyId: this.cfg.accessKeyId, secretAccessKey: this.cfg.secretAccessKey, date,
    });
    return this.fetchImpl(`${this.base.protocol}//${this.base.host}${path}`, {
      method,
      headers: { ...headers, authorization },
      // a copy on a plain ArrayBuffer: the DOM typings refuse a Buffer's ArrayBufferLike
      body: body ? new Uint8Array(body).buffer : undefined,
      signal: AbortSignal.timeout(this.cfg.timeoutMs ?? 30_000),
      redirect: 'error',
    });
  }

  private async fail(method: string, res: Response): Promise<never> {
    const text = await res.text().catch(() => '');
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1] ?? `HTTP${res.status}`;
    throw new S3Error(res.status, code, `S3 ${method} refused by ${this.base.host} (bucket ${this.cfg.bucket}): ${res.status} ${code}`);
  }

  async put(key: string, data: Buffer, mediaType: string): Promise<void> {
    const res = await this.send('PUT', key, data, mediaType);
    if (!res.ok) await this.fail('PUT', res);
    await res.arrayBuffer();
  }

  async get(key: string): Promise<Buffer | null> {
    const res = await this.send('GET', key);
    if (res.status === 404) {
      await res.arrayBuffer();
      return null;
    }
    if (!res.ok) await this.fail('GET', res);
    return Buffer.from(await res.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const res = await this.send('DELETE', key);
    if (!res.ok && res.status !== 404) await this.fail('DELETE', res);
    await res.arrayBuffer();
  }
}
