/**
 * Uploaded files kept between the preview and the import, then the summary of the import for its
 * result page. Everything goes through the request's tenant handle; uploads older than a day are
 * removed whenever a new one comes.
 * @packageDocumentation
 */
import type { TenantDb } from '@smile/sdk';
import type { CsvInput, FileSummary } from './read.js';

/** What the result page shows once the files are imported. */
export interface UploadSummary {
  /** The first imported elements, in file order. */
  elements: { code: string; titleFr: string; titleEn: string | null }[];
  /** Elements in the files. */
  elementCount: number;
  components: number;
  formations: number;
  links: number;
}

export interface Upload {
  id: number;
  personId: number | null;
  year: number;
  files: FileSummary[];
  runId: number | null;
  summary: UploadSummary | null;
  createdAt: Date;
}

const KEEP_MS = 24 * 3600 * 1000;

const toUpload = (r: Record<string, any>): Upload => ({
  id: r.id, personId: r.person_id, year: r.year, files: r.files ?? [], runId: r.run_id, summary: r.summary ?? null, createdAt: r.created_at,
});

/** Keep `inputs` for the import that may follow their preview; removes this institution's uploads older than a day. */
export async function saveUpload(db: TenantDb, personId: number | null, year: number, files: FileSummary[], inputs: CsvInput[]): Promise<Upload> {
  await db.table('sis_csv_uploads').where('created_at', '<', new Date(Date.now() - KEEP_MS)).delete();
  return db.transaction(async (tdb) => {
    const [row] = await tdb.insert('sis_csv_uploads', { person_id: personId, year, files: JSON.stringify(files) });
    for (const [position, f] of inputs.entries()) {
      await tdb.insert('sis_csv_upload_files', { upload_id: row.id, position, filename: f.name, data: Buffer.from(f.data) });
    }
    return toUpload(row);
  });
}

/** An upload of this institution (`undefined` when unknown or expired). */
export async function findUpload(db: TenantDb, id: number): Promise<Upload | undefined> {
  const row = await db.table('sis_csv_uploads').where({ id }).where('created_at', '>=', new Date(Date.now() - KEEP_MS)).first();
  return row ? toUpload(row) : undefined;
}

/** The bytes of an upload's files, in upload order (none once it is imported). */
export async function uploadInputs(db: TenantDb, id: number): Promise<CsvInput[]> {
  const rows = await db.table('sis_csv_upload_files').where({ upload_id: id }).orderBy('position').select('filename', 'data');
  return rows.map((r: { filename: string; data: Uint8Array }) => ({ name: r.filename, data: new Uint8Array(r.data) }));
}

/**
 * Claim an upload for its import: only one request can (a second click, another manager) — the
 * others get `false`. The files are dropped once claimed: the caller holds them.
 */
export async function claimUpload(db: TenantDb, id: number): Promise<boolean> {
  // run_id 0: claimed, its run not recorded yet
  const n = await db.table('sis_csv_uploads').where({ id }).whereNull('run_id').update({ run_id: 0 });
  if (!n) return false;
  await db.table('sis_csv_upload_files').where({ upload_id: id }).delete();
  return true;
}

/** Record the run that imports a claimed upload, and what the result page will list. */
export async function recordRun(db: TenantDb, id: number, runId: number, summary: UploadSummary): Promise<void> {
  await db.table('sis_csv_uploads').where({ id }).update({ run_id: runId, summary: JSON.stringify(summary) });
}
