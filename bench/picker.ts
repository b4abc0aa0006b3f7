/**
 * Course-picker benchmark, on the catalogue part's PostgreSQL database (the demo plus the generated
 * catalogue) and its platform process: the demo student (signed in through the demo persona page, which
 * links her demo file by ESI) chooses 20 elements through the picker's own add form, then the picker page
 * `/mobility/me/<file>/courses` is loaded, whole (what the student lands on) and as the htmx search
 * fragment (100 searches in rotation).
 */
import type { Knex } from 'knex';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { get } from './lib/procs.js';
import type { LoadResult } from './lib/load.js';
import type { BenchQuery } from './catalogue.js';

/** The demo student persona's ESI (plugins/mobility/src/demo.ts): her file is linked to her at sign-in. */
const DEMO_STUDENT_ESI = 'urn:schac:personalUniqueCode:int:esi:it.unibo:0000123456';
const CHOSEN = 20;
const FR = { 'Accept-Language': 'fr' };

/** What the picker part reports. */
export interface PickerReport {
  fileId: number;
  /** Elements of the file's academic year in the catalogue. */
  elements: number;
  /** Elements in the student's choice while measured. */
  chosen: number;
  /** The whole page, no search (what the student lands on). */
  page: LoadResult;
  /** The htmx results fragment, `queries` searches in rotation. */
  fragment: LoadResult;
  queries: number;
  /** GET / signed in, same process: what any signed-in page costs on this platform (for comparison). */
  floor: LoadResult;
  /** The page's own bytes answered by a bare Koa process: the most a page of that size reaches here (for comparison). */
  staticPage: LoadResult | null;
  /** One request at a time, before the load: the whole page and each search once. */
  singleMs: { page: number; fragmentMean: number; fragmentMax: number };
}

export interface PickerDeps {
  port: number;
  knex: Knex;
  /** Cookie header of the signed-in demo student. */
  cookie: string;
  /** Searches a visitor could make (the catalogue part's). */
  queries: BenchQuery[];
  /** Warm up then measure `urlPath` (or `paths` in rotation) on the platform process. */
  load: (urlPath: string, headers: Record<string, string>, paths?: string[]) => Promise<LoadResult>;
  /** Measure a bare Koa process answering `body` (once the platform's loads are done). */
  loadStatic?: (body: string) => Promise<LoadResult>;
  log: (m: string) => void;
}

/** Sign in through the demo persona page, as a browser would; returns the Cookie header. */
export async function signInAs(port: number, persona: string): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  const page = await fetch(`${base}/demo/sign-in`);
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (v) jar.set(k!, v);
    }
  };
  keep(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error('demo sign-in page has no form: is the demo plugin enabled?');
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${base}/demo/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, persona }).toString(),
  });
  keep(res);
  jar.delete('smile_flash');
  return cookie();
}

/** A form POST as a browser sends it (no redirect followed): the status. */
function post(port: number, urlPath: string, cookie: string, fields: Record<string, string>): Promise<number> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path: urlPath, method: 'POST', agent: false, timeout: 30_000,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'accept-language': 'fr' },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`POST ${urlPath}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Candidates for the choice: open elements of the file's year spread over the whole catalogue (several
 * components and formations, so the rules and the hierarchy have work to do), semester-1 ones first (the
 * add form refuses what the file's terms or exchange type exclude: those are skipped).
 */
async function candidates(knex: Knex, institutionId: number, year: number): Promise<string[]> {
  const rows = (await knex('catalogue_elements')
    .where({ institution_id: institutionId, year, open_to_mobility: true, in_source: true })
    .whereNull('exchange_types')
    .whereNotNull('ects')
    .orderByRaw(`case semester when 'S1' then 0 when 'S2' then 1 else 2 end, id`)
    .select('code', 'semester')) as Array<{ code: string; semester: string | null }>;
  const bySemester = new Map<string | null, string[]>();
  for (const r of rows) bySemester.set(r.semester, [...(bySemester.get(r.semester) ?? []), r.code]);
  // 40 evenly spread codes of each semester, in that order
  return [...bySemester.values()].flatMap((codes) => {
    const step = Math.max(1, Math.floor(codes.length / 40));
    return codes.filter((_, i) => i % step === 0).slice(0, 40);
  });
}

/** The demo student's file, with exactly {@link CHOSEN} elements chosen through the picker's add form. */
async function prepare(d: PickerDeps): Promise<{ fileId: number; institutionId: number; year: number }> {
  const file = await d.knex('mobility_files').where({ esi: DEMO_STUDENT_ESI }).whereNotNull('person_id').orderBy('id').first('id', 'institution_id', 'academic_year', 'exchange_type');
  if (!file) throw new Error('picker: the demo student has no mobility file linked to her after sign-in (mobility demo data?)');
  const base = `/mobility/me/${file.id}/courses`;
  const page = await get(d.port, base, { ...FR, Cookie: d.cookie }, 30_000);
  if (page.status !== 200) throw new Error(`picker: GET ${base} answered ${page.status} to the demo student`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error('picker: the page has no add form (is the choice still editable?)');
  const choice = await d.knex('course_picker_choices').where({ file_id: file.id }).first('id', 'submitted_at');
  if (choice?.submitted_at) throw new Error(`picker: the demo student's choice (file ${file.id}) is with the referents: it cannot be changed`);
  const had = choice ? ((await d.knex('course_picker_items').where({ choice_id: choice.id }).orderBy('id').select('code', 'decision')) as Array<{ code: string; decision: string }>) : [];
  // demo data may have given her a draft already: keep 20 of its courses at most
  for (const it of had.filter((i) => i.decision !== 'approved').slice(0, Math.max(0, had.length - CHOSEN))) {
    const status = await post(d.port, `${base}/remove`, d.cookie, { _csrf: csrf, code: it.code, version: '', back: '' });
    if (status !== 303) throw new Error(`picker: removing ${it.code} from the demo draft answered ${status}`);
  }
  let added = Math.min(had.length, CHOSEN);
  for (const code of await candidates(d.knex, file.institution_id, file.academic_year)) {
    if (added >= CHOSEN) break;
    // no version: each add is checked against the current choice, as a form without one is
    const status = await post(d.port, `${base}/add`, d.cookie, { _csrf: csrf, code, version: '', back: '' });
    if (status === 303) added++;
    else if (status !== 422 && status !== 409) throw new Error(`picker: adding ${code} answered ${status}`);
  }
  if (added !== CHOSEN) throw new Error(`picker: only ${added} elements could be chosen for file ${file.id} (${file.exchange_type}, ${file.academic_year})`);
  return { fileId: file.id, institutionId: file.institution_id, year: file.academic_year };
}

/** Choose the elements, check the page and the fragment, then load both. */
export async function pickerBench(d: PickerDeps): Promise<PickerReport> {
  const { fileId, institutionId, year } = await prepare(d);
  const base = `/mobility/me/${fileId}/courses`;
  const headers = { ...FR, Cookie: d.cookie };
  const chosen = (await d.knex('course_picker_items as i').join('course_picker_choices as c', 'c.id', 'i.choice_id').where('c.file_id', fileId).pluck('i.code')) as string[];
  const elements = Number((await d.knex('catalogue_elements').where({ institution_id: institutionId, year }).count({ n: '*' }))[0]!.n);

  const t0 = performance.now();
  const page = await get(d.port, base, headers, 30_000);
  const pageMs = performance.now() - t0;
  if (page.status !== 200 || !page.body.includes('lang="fr"')) throw new Error(`picker: GET ${base} answered ${page.status}, not the French page`);
  const missing = chosen.filter((code) => !page.body.includes(`>${code}<`));
  if (chosen.length !== CHOSEN || missing.length) throw new Error(`picker: the page does not show the ${CHOSEN} chosen elements (missing: ${missing.join(', ')})`);

  const htmx = { ...headers, 'HX-Request': 'true', 'HX-Target': 'picker-results' };
  const paths = d.queries.map((q) => `${base}?${new URLSearchParams(q.params)}`);
  const single: number[] = [];
  for (const p of paths) {
    const t = performance.now();
    const r = await get(d.port, p, htmx, 30_000);
    single.push(performance.now() - t);
    if (r.status !== 200 || /<html/i.test(r.body)) throw new Error(`picker: GET ${p} (htmx) answered ${r.status}${r.status === 200 ? ', a whole page, not the results fragment' : ''}`);
  }
  d.log(`picker: file ${fileId}, ${chosen.length} chosen, ${elements} elements; page alone ${Math.round(pageMs)} ms, searches alone mean ${Math.round(single.reduce((a, b) => a + b, 0) / single.length)} ms`);

  const pageR = await d.load(base, headers);
  const fragmentR = await d.load(paths[0]!, htmx, paths);
  const floor = await d.load('/', headers);
  const staticPage = d.loadStatic ? await d.loadStatic(page.body) : null;
  return {
    fileId, elements, chosen: chosen.length, page: pageR, fragment: fragmentR, queries: paths.length, floor, staticPage,
    singleMs: { page: Math.round(pageMs), fragmentMean: Math.round(single.reduce((a, b) => a + b, 0) / single.length), fragmentMax: Math.round(Math.max(...single)) },
  };
}
