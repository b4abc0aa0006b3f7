/**
 * The CSV export of files: every field of the file except special needs (restricted data), in the
 * person's language, UTF-8 with a byte order mark (so spreadsheet software reads the accents) and
 * semicolons between fields (what spreadsheet software expects in French; the page says so).
 * @packageDocumentation
 */
import type { Ctx } from './manager-common.js';
import { pick } from './manager-common.js';

/** The separator of the exported CSV files. */
export const CSV_SEPARATOR = ';';

/**
 * The columns, in order: a locale key under `mobility:mail.csv.` and the value of a row. The query
 * below names its columns one by one: `special_needs` is never read.
 */
const COLUMNS: Array<[string, (r: any, x: Extra) => unknown]> = [
  ['id', (r) => r.id],
  ['lastName', (r) => r.last_name],
  ['firstName', (r) => r.first_name],
  ['birthDate', (r) => day(r.birth_date)],
  ['nationality', (r) => r.nationality],
  ['gender', (r) => r.gender],
  ['email', (r) => r.email],
  ['esi', (r) => r.esi],
  ['street', (r) => address(r).street],
  ['number', (r) => address(r).number],
  ['postalCode', (r) => address(r).postalCode],
  ['city', (r) => address(r).city],
  ['addressCountry', (r) => address(r).country],
  ['homeName', (r) => r.home_name],
  ['homeCountry', (r) => r.home_country],
  ['homeSchac', (r) => r.home_schac],
  ['homeErasmusCode', (r) => r.home_erasmus_code],
  ['homePic', (r) => r.home_pic],
  ['exchangeType', (r, x) => x.exchange(r.exchange_type)],
  ['public', (r, x) => x.t(`mobility:manager.publics.${r.public}`)],
  ['academicYear', (r) => `${r.academic_year}-${Number(r.academic_year) + 1}`],
  ['plannedStart', (r) => day(r.planned_start)],
  ['plannedEnd', (r) => day(r.planned_end)],
  ['component', (r) => r.component_code],
  ['approvalComponents', (r) => (r.approval_components ?? []).join(', ')],
  ['referent', (r) => r.referent_name],
  ['eqfLevel', (r) => r.eqf_level],
  ['isced', (r) => r.isced],
  ['status', (r, x) => x.t(`mobility:manager.status.${r.status}`)],
  ['currentStep', (r, x) => (r.current_step ? x.step(r) : '')],
  ['language', (r) => r.language],
  ['createdAt', (r) => iso(r.created_at)],
  ['updatedAt', (r) => iso(r.updated_at)],
];

interface Extra {
  t: Ctx['t'];
  exchange: (code: string) => string;
  step: (row: any) => string;
}

const day = (v: unknown): string => {
  if (v == null) return '';
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
};
const iso = (v: unknown): string => (v == null ? '' : new Date(v as string).toISOString());
const address = (r: any): Record<string, string | undefined> => (typeof r.home_address === 'string' ? JSON.parse(r.home_address) : r.home_address ?? {});

/**
 * One field: quoted when it holds the separator, a quote or a line break; a text that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading apostrophe.
 */
export function csvField(value: unknown): string {
  let s = value == null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\r\n,]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV document: byte order mark, header, rows, CRLF line ends. */
export function csvDocument(header: string[], rows: unknown[][]): Buffer {
  const lines = [header, ...rows].map((r) => r.map(csvField).join(CSV_SEPARATOR));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

/** The CSV of the files `ids` (in that order), in the request's language. Ids of other institutions are ignored. */
export async function filesCsv(ctx: Ctx, ids: number[]): Promise<Buffer> {
  const knex = ctx.db.knex;
  const inst = ctx.institution.id;
  const lang = ctx.language;
  const rows: any[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    rows.push(...(await knex('mobility_files as f')
      .leftJoin('components as c', 'c.id', 'f.component_id')
      .leftJoin('persons as p', 'p.id', 'f.referent_person_id')
      .leftJoin('mobility_steps as s', function () {
        this.on('s.process_id', 'f.process_id').andOn('s.key', 'f.current_step');
      })
      .where('f.institution_id', inst)
      .whereIn('f.id', chunk)
      .select(
        'f.id', 'f.last_name', 'f.first_name', 'f.birth_date', 'f.nationality', 'f.gender', 'f.email', 'f.esi', 'f.home_address', 'f.home_name',
        'f.home_country', 'f.home_schac', 'f.home_erasmus_code', 'f.home_pic', 'f.exchange_type', 'f.public', 'f.academic_year', 'f.planned_start',
        'f.planned_end', 'f.approval_components', 'f.eqf_level', 'f.isced', 'f.status', 'f.current_step', 'f.language', 'f.created_at', 'f.updated_at',
        'c.code as component_code', 'p.display_name as referent_name', 's.label_fr as step_fr', 's.label_en as step_en',
      )));
  }
  const order = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const types = await knex('mobility_exchange_types').where({ institution_id: inst }).select('code', 'label_fr', 'label_en');
  const labels = new Map(types.map((x: any) => [x.code, pick(lang, { fr: x.label_fr, en: x.label_en })]));
  const extra: Extra = {
    t: (k, v) => ctx.t(k, v),
    exchange: (code) => labels.get(code) || code,
    step: (r) => pick(lang, { fr: r.step_fr ?? '', en: r.step_en ?? '' }) || r.current_step,
  };
  return csvDocument(COLUMNS.map(([key]) => ctx.t(`mobility:mail.csv.${key}`)), rows.map((r) => COLUMNS.map(([, value]) => value(r, extra))));
}

/** Send a CSV as a download. */
export function sendCsv(ctx: Ctx, name: string, body: Buffer): void {
  ctx.koa.status = 200;
  ctx.koa.set('Content-Type', 'text/csv; charset=utf-8');
  ctx.koa.set('Content-Disposition', `attachment; filename="${name}"`);
  ctx.koa.set('Cache-Control', 'no-store');
  ctx.koa.body = body;
}
