/**
 * `npm run bench`: the ceiling (bare Koa), the platform's /healthz and home page, the home page with
 * examples/hello-plugin, cold start and RSS, and the catalogue on PostgreSQL (search under load, query
 * plans, CSV import against a raw insert), the course picker page on that catalogue, and the Learning
 * Agreement PDF against a bare pdfmake document — in one run. Prints markdown tables and writes
 * bench/results/latest.json. Exits 0 whatever the numbers; non-zero only if something crashed.
 *
 * Env: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 50), BENCH_WARMUP (s, default 2),
 * BENCH_DATABASE_URL (PostgreSQL server for the catalogue part; default DATABASE_URL, else 127.0.0.1:5432),
 * BENCH_CATALOGUE_SIZE (default 50,000), BENCH_PDF_DOCUMENTS (default 50).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { freePort, get, memoryOf, spawnNode, stopAll, stopChild, waitFor200, type Child } from './lib/procs.js';
import { measure, type LoadResult, type LoadSettings } from './lib/load.js';
import { cpuSecondsOf, cpuSnapshot, othersShare, type CpuSnapshot } from './lib/noise.js';
import { toJson, toMarkdown, type CatalogueReport, type Report, type Throughput } from './lib/report.js';
import { benchQueries, createDatabase, openKnex, reachable, seedCsv, seqScans, serverUrl, timed } from './catalogue.js';
import { pdfBench, type PdfReport } from './learning-agreement.js';
import { pickerBench, signInAs, type PickerReport } from './picker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SMILE_BIN = path.join(ROOT, 'core', 'bin', 'smile.js');
const CEILING = path.join(ROOT, 'bench', 'ceiling-server.mjs');
const HELLO = path.join(ROOT, 'examples', 'hello-plugin');
const RESULTS = path.join(ROOT, 'bench', 'results');
const FR = { 'Accept-Language': 'fr' };

function envInt(name: string, def: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return n;
}

const settings: LoadSettings = {
  durationS: envInt('BENCH_DURATION', 10, 1),
  connections: envInt('BENCH_CONNECTIONS', 50, 1),
  warmupS: envInt('BENCH_WARMUP', 2, 0),
};

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
const secondsSince = (t0: number) => (performance.now() - t0) / 1000;
const fmtLoad = (r: LoadResult) =>
  `${r.rps} req/s, p99 ${r.p99} ms, ${r.non2xx} non-2xx, ${r.errors + r.timeouts} errors` +
  (r.serverCpuUsPerReq != null ? `, server CPU ${r.serverCpuUsPerReq} µs/req` : '') +
  (r.othersCpu != null ? `, other processes used ${Math.round(r.othersCpu * 100)} % of the CPU` : '');

/** Warm up and measure `path` on `c`, noting how busy the rest of the machine was meanwhile. */
async function load(c: Child, port: number, urlPath: string, headers: Record<string, string> = {}, paths?: string[]): Promise<LoadResult> {
  log(`${c.name}: measuring GET ${urlPath}${headers['Accept-Language'] ? ` (Accept-Language: ${headers['Accept-Language']}, ${headers.Cookie ? 'signed in' : 'anonymous'})` : ''}`);
  let before: CpuSnapshot | null = null;
  let after: CpuSnapshot | null = null;
  let cpu0: number | null = null;
  let cpu1: number | null = null;
  const r = await measure(`http://127.0.0.1:${port}${urlPath}`, settings, headers, {
    onStart: () => ((before = cpuSnapshot(c.pid)), (cpu0 = cpuSecondsOf(c.pid))),
    onEnd: () => ((after = cpuSnapshot(c.pid)), (cpu1 = cpuSecondsOf(c.pid))),
    paths,
  });
  r.othersCpu = othersShare(before, after);
  r.serverCpuUsPerReq = cpu0 !== null && cpu1 !== null && r.requests > 0 ? Math.round(((cpu1 - cpu0) * 1e6) / r.requests) : null;
  log(`${c.name} ${urlPath}: ${fmtLoad(r)}`);
  return r;
}

/**
 * Start `smile start --demo` as `npm start` would, on a data dir and port of ours, bound to
 * 127.0.0.1. Variables that would point it elsewhere (a PostgreSQL server, Redis, a config file,
 * other plugins) are removed, so the embedded PGlite database under `dataDir` is what is measured.
 */
function startPlatform(name: string, dataDir: string, port: number, pluginPaths?: string): Child {
  return spawnNode(name, [SMILE_BIN, 'start', '--demo', '--port', String(port)], {
    SMILE_DATA_DIR: dataDir,
    SMILE_LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    SMILE_PLUGIN_PATHS: pluginPaths,
    DATABASE_URL: undefined, REDIS_URL: undefined, PORT: undefined, SMILE_CONFIG: undefined, NODE_ENV: undefined,
  }, ROOT);
}

/** Spawn, wait for the first 200 on GET / (timed), then for /readyz. */
async function bootTimed(name: string, dataDir: string, pluginPaths?: string): Promise<{ child: Child; port: number; seconds: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = startPlatform(name, dataDir, port, pluginPaths);
  await waitFor200(child, port, '/', { headers: FR, everyMs: 20 });
  const seconds = secondsSince(t0);
  await waitFor200(child, port, '/readyz');
  log(`${name}: first 200 on GET / after ${seconds.toFixed(2)} s (pid ${child.pid}, port ${port})`);
  return { child, port, seconds };
}

async function stopOrNote(c: Child, notes: string[]) {
  const graceful = await stopChild(c);
  if (!graceful) notes.push(`${c.name} did not exit within 15 s of SIGTERM and was killed (SIGKILL).`);
}

async function main() {
  const notes: string[] = [];
  const throughput: Throughput[] = [];
  const memory: Report['memory'] = [];
  const logLines: Record<string, number> = {};
  const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'smile-bench-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  log(`${settings.connections} connections, ${settings.warmupS} s warm-up + ${settings.durationS} s per endpoint; data under ${tmp}`);

  let ceiling: LoadResult;
  let firstBoot: number;
  let secondBoot: number;
  let helloFirstBoot: number | null = null;
  let firstBootPeakMb: number | null = null;
  let catalogue: CatalogueReport | null = null;
  let pdf: PdfReport | null = null;
  const pg: { picker: PickerReport | null } = { picker: null };
  try {
    // 1. The ceiling: bare Koa in a node process of its own.
    {
      const port = await freePort();
      const c = spawnNode('ceiling', [CEILING, String(port)], { NODE_ENV: undefined }, ROOT);
      await waitFor200(c, port, '/', { timeoutMs: 15_000 });
      ceiling = await load(c, port, '/');
      await stopOrNote(c, notes);
    }

    // 2. First boot on an empty data dir (migrations + demo seed), for information; then stop it.
    const dataDefault = path.join(tmp, 'default');
    {
      const b = await bootTimed('platform (first boot)', dataDefault);
      firstBoot = b.seconds;
      firstBootPeakMb = memoryOf(b.child.pid).peakMb;
      await stopOrNote(b.child, notes);
    }

    // 3. Cold start on the existing data dir; this second process is then the one under load.
    {
      const b = await bootTimed('platform', dataDefault);
      secondBoot = b.seconds;
      const afterBoot = memoryOf(b.child.pid);
      const home = await get(b.port, '/', FR);
      if (home.status !== 200 || !home.body.includes('lang="fr"')) throw new Error(`platform: GET / (fr) answered ${home.status}, not a French home page`);
      const linesBefore = b.child.lines();
      const healthz = await load(b.child, b.port, '/healthz');
      throughput.push({ id: 'platform-healthz', label: 'Platform GET /healthz', process: 'platform', result: healthz, homePage: false });
      const homeR = await load(b.child, b.port, '/', FR);
      throughput.push({ id: 'platform-home', label: 'Platform GET / (fr, anonymous)', process: 'platform', result: homeR, homePage: true });
      const cookie = await signInAs(b.port, 'student');
      const student = await get(b.port, '/', { ...FR, Cookie: cookie });
      if (!student.body.includes('Sofia Rossi')) throw new Error('platform: the demo student sign-in did not work');
      const studentR = await load(b.child, b.port, '/', { ...FR, Cookie: cookie });
      throughput.push({ id: 'platform-home-student', label: 'Platform GET / (fr, signed-in demo student)', process: 'platform', result: studentR, homePage: true });
      memory.push({ process: 'platform (default plugins)', ...memoryOf(b.child.pid), afterBootRssMb: afterBoot.rssMb });
      logLines.platform = b.child.lines() - linesBefore;
      await stopOrNote(b.child, notes);
    }

    // 4. A second platform process, on its own fresh data dir, with examples/hello-plugin added.
    {
      const b = await bootTimed('platform+hello (first boot)', path.join(tmp, 'hello'), HELLO);
      helloFirstBoot = b.seconds;
      b.child.name = 'platform+hello';
      const afterBoot = memoryOf(b.child.pid);
      const home = await get(b.port, '/', FR);
      if (home.status !== 200 || !home.body.includes('Dire bonjour')) throw new Error('platform+hello: the home page lacks the hello section ("Dire bonjour"): plugin not loaded?');
      const linesBefore = b.child.lines();
      const r = await load(b.child, b.port, '/', FR);
      throughput.push({ id: 'hello-home', label: 'Platform + hello-plugin GET / (fr, anonymous)', process: 'platform+hello', result: r, homePage: true });
      memory.push({ process: 'platform+hello', ...memoryOf(b.child.pid), afterBootRssMb: afterBoot.rssMb });
      logLines['platform+hello'] = b.child.lines() - linesBefore;
      await stopOrNote(b.child, notes);
    }
    // 5. The catalogue, on a PostgreSQL server: search under load, query plans, CSV import.
    // (with the course picker on the same database and platform process)
    catalogue = await catalogueBench(tmp, notes, pg);
    // 6. The Learning Agreement PDF, in this process, once every server is stopped.
    log(`pdf: ${PDF_DOCUMENTS} Learning Agreements and ${PDF_DOCUMENTS} bare pdfmake documents of each kind`);
    pdf = await pdfBench(PDF_DOCUMENTS, 5, log);
  } finally {
    await stopAll();
  }

  for (const [proc, n] of Object.entries(logLines)) {
    if (n > 0) notes.push(`${proc} wrote ${n} log lines at level warn during its load runs.`);
  }
  const noisy = [ceiling, ...throughput.map((t) => t.result), ...(pg.picker ? [pg.picker.page, pg.picker.fragment] : [])].map((r) => r.othersCpu ?? 0);
  if (Math.max(...noisy) > 0.1) {
    notes.push(`Other processes used up to ${Math.round(Math.max(...noisy) * 100)} % of the machine's CPU during the load runs (column "others' CPU"): these numbers are not reliable, rerun on a quiet machine.`);
  }
  const cpus = os.cpus();
  if (cpus.length < 4) notes.push(`Only ${cpus.length} CPUs: autocannon and the server share them, so absolute numbers are low; compare ratios.`);
  const report: Report = {
    date: new Date().toISOString(),
    node: process.version,
    loadAverageAtStart: loadAtStart,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    settings,
    ceiling,
    throughput,
    coldStart: { firstBootEmptyDirS: round2(firstBoot), secondBootExistingDirS: round2(secondBoot), firstBootPeakRssMb: firstBootPeakMb, helloFirstBootEmptyDirS: helloFirstBoot === null ? null : round2(helloFirstBoot) },
    memory,
    logLinesDuringLoad: logLines,
    notes,
    catalogue,
    pdf,
    picker: pg.picker,
  };
  const md = toMarkdown(report);
  process.stdout.write(`\n${md}\n`);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify(toJson(report), null, 2)}\n`);
  log(`results written to ${path.relative(ROOT, path.join(RESULTS, 'latest.json'))}`);
}

const CATALOGUE_SIZE = envInt('BENCH_CATALOGUE_SIZE', 50_000, 100);
const PDF_DOCUMENTS = envInt('BENCH_PDF_DOCUMENTS', 50, 1);

/**
 * A platform on a fresh PostgreSQL database with the demo and `CATALOGUE_SIZE` generated elements;
 * 100 realistic searches in rotation against the htmx results fragment; the plans of those queries;
 * then, in this process, a CSV import of the same size against a raw knex batch insert.
 */
async function catalogueBench(tmp: string, notes: string[], out: { picker: PickerReport | null }): Promise<CatalogueReport | null> {
  const server = serverUrl();
  if (!(await reachable(server))) {
    notes.push(`No PostgreSQL server at ${new URL(server).host} (BENCH_DATABASE_URL or DATABASE_URL): the catalogue benchmark did not run.`);
    return null;
  }
  const db = await createDatabase(server);
  const knex = openKnex(db.url);
  try {
    const env = { DATABASE_URL: db.url, SMILE_DATA_DIR: path.join(tmp, 'pg'), SMILE_LOG_LEVEL: 'warn', HOST: '127.0.0.1', REDIS_URL: undefined, PORT: undefined, SMILE_CONFIG: undefined, NODE_ENV: undefined, SMILE_PLUGIN_PATHS: undefined };
    const port = await freePort();
    const c = spawnNode('platform (PostgreSQL)', [SMILE_BIN, 'start', '--demo', '--port', String(port)], env, ROOT);
    await waitFor200(c, port, '/', { headers: FR, timeoutMs: 180_000 });
    log(`catalogue: generating ${CATALOGUE_SIZE} elements (smile seed catalogue)`);
    const seed = spawnNode('seed catalogue', [SMILE_BIN, 'seed', 'catalogue', '--size', String(CATALOGUE_SIZE)], env, ROOT);
    const { code } = await seed.exited;
    if (code !== 0) throw new Error(`smile seed catalogue failed (${code}):\n${seed.tail()}`);
    await knex.raw('analyze');
    const inst = await knex('institutions').orderBy('id').first('id');
    const { year } = await knex('catalogue_elements').where({ institution_id: inst.id }).groupBy('year').orderByRaw('count(*) desc').first(knex.raw('year, count(*) as n')) as { year: number };
    const elements = Number((await knex('catalogue_elements').where({ institution_id: inst.id, year }).count({ n: '*' }))[0]!.n);
    const queries = await benchQueries(knex, inst.id, year);
    const paths = queries.map((q) => `/catalogue?${new URLSearchParams({ ...q.params, year: String(year) })}`);
    // each query once, checked (200, a fragment): the platform then serves the rotation as visitors would
    // meet it, repeated queries from its cache (any catalogue change would invalidate it)
    const uncached: number[] = [];
    for (const p of paths) {
      const t0 = performance.now();
      const r = await get(port, p, { ...FR, 'HX-Request': 'true', 'HX-Target': 'catalogue-results' }, 30_000);
      uncached.push(performance.now() - t0);
      if (r.status !== 200) throw new Error(`catalogue: GET ${p} answered ${r.status}`);
      if (/<html/i.test(r.body)) throw new Error(`catalogue: GET ${p} answered a whole page, not the results fragment`);
    }
    const scans = await seqScans(knex, inst.id, queries);
    log(`catalogue: ${elements} elements in ${year}, ${queries.length} queries; plans with a sequential scan: ${scans.length}`);
    const search = await load(c, port, paths[0]!, { ...FR, 'HX-Request': 'true', 'HX-Target': 'catalogue-results' }, paths);
    // the course picker of the demo student on this catalogue (she chooses 20 elements first)
    out.picker = await pickerBench({
      port, knex, cookie: await signInAs(port, 'student'), queries, log,
      load: (urlPath, headers, rotation) => load(c, port, urlPath, headers, rotation),
      loadStatic: async (body) => {
        const file = path.join(tmp, 'picker-page.html');
        writeFileSync(file, body);
        const sport = await freePort();
        const s = spawnNode('picker page bytes (bare Koa)', [CEILING, String(sport), file], { NODE_ENV: undefined }, ROOT);
        try {
          await waitFor200(s, sport, '/', { timeoutMs: 15_000 });
          return await load(s, sport, '/');
        } finally {
          await stopOrNote(s, notes);
        }
      },
    });
    await stopOrNote(c, notes);

    // CSV import, in this process, on a database of its own (startTestPlatform creates one on DATABASE_URL)
    const { startTestPlatform } = await import('@smile/sdk/testing');
    const { catalogueService } = await import('@smile/plugin-catalogue');
    const { readFiles } = await import('@smile/plugin-sis-csv');
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = server;
    const t = await startTestPlatform({ plugins: ['catalogue', 'sis-csv', 'base'] });
    process.env.DATABASE_URL = saved;
    try {
      const store = t.resolve(catalogueService);
      const actor = { institutionId: t.institution.id, label: 'bench' };
      const files = seedCsv(CATALOGUE_SIZE);
      // the reference: the same rows, already typed, inserted with knex batch inserts into the same tables
      // (same triggers, indexes and foreign keys): the formations, the elements, their placements
      const first = readFiles(files);
      if (first.errors.length) throw new Error(`bench CSV has errors: ${JSON.stringify(first.errors.slice(0, 3))}`);
      const inst = t.institution.id;
      const rawInsertS = await timed(async () => {
        await t.knex.transaction(async (trx) => {
          const formations = await trx.batchInsert('catalogue_formations', first.batch.formations.map((f) => ({ institution_id: inst, year: 1990, code: f.code, name_fr: f.nameFr, level: f.level ?? null, source: 'bench' })), 1000).returning(['id', 'code']);
          const fid = new Map(formations.map((f: any) => [f.code, f.id]));
          const elements = await trx.batchInsert('catalogue_elements', first.batch.elements.map((e) => ({
            institution_id: inst, year: 1990, code: e.code, title_fr: e.titleFr, languages: e.languages ?? [], semester: e.semester ?? null,
            ects: e.ects ?? null, hours: e.hours ?? null, open_to_mobility: e.openToMobility ?? true, objectives_fr: e.objectivesFr ?? null, description_fr: e.descriptionFr ?? null, source: 'bench',
          })), 1000).returning(['id', 'code']);
          const eid = new Map(elements.map((e: any) => [e.code, e.id]));
          await trx.batchInsert('catalogue_links', first.batch.links.map((l, i) => ({ institution_id: inst, year: 1990, formation_id: fid.get(l.formationCode), parent_id: null, child_id: eid.get(l.childCode), position: i, source: 'bench' })), 1000);
        });
      });
      let created = 0;
      const importCreateS = await timed(async () => {
        const read = readFiles(files);
        const r = await store.importBatch(actor, 1991, read.batch, { source: 'sis-csv' });
        if (!r.ok) throw new Error(`bench import refused: ${JSON.stringify(r.errors.slice(0, 3))}`);
        created = r.counts.elements.created;
      });
      let updated = 0;
      const changed = seedCsv(CATALOGUE_SIZE, 1);
      const importUpsertS = await timed(async () => {
        const read = readFiles(changed);
        const r = await store.importBatch(actor, 1991, read.batch, { source: 'sis-csv' });
        if (!r.ok) throw new Error(`bench re-import refused: ${JSON.stringify(r.errors.slice(0, 3))}`);
        updated = r.counts.elements.updated;
      });
      log(`catalogue: raw insert ${rawInsertS.toFixed(2)} s; import ${importCreateS.toFixed(2)} s (${created} created); re-import ${importUpsertS.toFixed(2)} s (${updated} updated)`);
      return { elements, queries: queries.length, search, uncachedMs: { mean: Math.round(uncached.reduce((a, b) => a + b, 0) / uncached.length), max: Math.round(Math.max(...uncached)) }, seqScans: scans, import: { rows: CATALOGUE_SIZE, rawInsertS, importCreateS, importUpsertS, upsertUpdated: updated } };
    } finally {
      await t.stop();
    }
  } finally {
    await knex.destroy();
    await db.drop();
  }
}

function round2(x: number) {
  return Math.round(x * 100) / 100;
}

main().then(
  () => process.exit(0),
  async (e) => {
    process.stderr.write(`bench: FAILED: ${(e as Error).stack ?? e}\n`);
    await stopAll().catch(() => undefined);
    process.exit(1);
  },
);
