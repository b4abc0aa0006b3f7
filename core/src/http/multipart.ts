import busboy from 'busboy';
import type Koa from 'koa';
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { UploadedFile } from '@smile/sdk';

/** Limits of one multipart request. */
export interface MultipartLimits {
  /** Largest file, in bytes. */
  fileSize: number;
  files: number;
  fields: number;
}

export const DEFAULT_UPLOAD_LIMITS: MultipartLimits = { fileSize: 50 * 1024 * 1024, files: 5, fields: 200 };

/**
 * Read a `multipart/form-data` body into `koa.request.body`: text fields as strings (repeated
 * fields as arrays), files as {@link UploadedFile} (held in memory, within `limits`). A file over
 * the limit is refused with 413 and a message saying the limit.
 */
export async function parseMultipart(koa: Koa.Context, limits: MultipartLimits = DEFAULT_UPLOAD_LIMITS): Promise<void> {
  const body: Record<string, unknown> = {};
  const add = (name: string, value: unknown) => {
    const prev = body[name];
    body[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  };
  await new Promise<void>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: koa.req.headers, limits: { fileSize: limits.fileSize, files: limits.files, fields: limits.fields }, defParamCharset: 'utf8', preservePath: true });
    } catch (e) {
      reject(new SmileError(ErrorCodes.VALIDATION, `malformed upload: ${(e as Error).message}`, { status: 400 }));
      return;
    }
    let failed: Error | null = null;
    const fail = (e: Error) => {
      if (failed) return;
      failed = e;
      koa.req.unpipe(bb);
      koa.req.resume();
      reject(e);
    };
    bb.on('field', (name, value) => add(name, value));
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        const mb = Math.round(limits.fileSize / 1024 / 1024);
        fail(new SmileError(ErrorCodes.VALIDATION, `the file is larger than ${mb} MB`, { status: 413, key: name }));
      });
      stream.on('close', () => {
        // a file input left empty still sends a part with no name and no bytes
        if (!info.filename && chunks.length === 0) return;
        const file: UploadedFile = { filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) };
        add(name, file);
      });
    });
    bb.on('filesLimit', () => fail(new SmileError(ErrorCodes.VALIDATION, `at most ${limits.files} files per request`, { status: 413 })));
    bb.on('error', (e) => fail(new SmileError(ErrorCodes.VALIDATION, `malformed upload: ${(e as Error).message}`, { status: 400 })));
    bb.on('close', () => {
      if (!failed) resolve();
    });
    koa.req.pipe(bb);
  });
  (koa.request as any).body = body;
}
