// The connector against a real PostgreSQL source shaped like an Apogée export (fixture.ts), through
// the catalogue's own sync job: what a manager sees in the run history and in the catalogue.
import { expect } from 'chai';
import { coreServices, type Logger } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { academicYear, catalogueService, type SyncRun } from '@smile/plugin-catalogue';
import { readCatalogue, type ConfiguredSettings } from '../src/reader.js';
import { settingsSchema } from '../src/settings.js';
import { ELEMENTS, ELEMENTS_VIEW, LINKS, SERVER_URL, createSource, regrant, unreachable, type Source } from './fixture.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
const LINKS_VIEW = `create view smile.smile_element_links as
  select cod_etp || '-' || cod_vrs_vet as formation_code, cod_anu as academic_year, cod_elp_pere as parent_code,
         cod_elp_fils as child_code, num_ordre as position
    from apogee.elp_lien`;

describe('sis-sql: the catalogue read from SQL views (PostgreSQL)', function () {
  this.timeout(120_000);
  const year = academicYear(new Date());
  let t: TestPlatform;
  let source: Source;

  before(async function () {
    const why = await unreachable();
    if (why) {
      const where = new URL(SERVER_URL);
      where.password = '';
      console.warn(`    sis-sql: skipped, no PostgreSQL server at ${where.host} (${why}); set SIS_SQL_TEST_URL to run these tests`);
      return this.skip();
    }
    source = await createSource(year);
    t = await startTestPlatform({
      plugins: ['catalogue', 'sis-sql', 'base'],
      settings: { 'sis-sql': { connection: source.readerUrl, schema: 'smile', batchSize: 10 } },
    });
  });
  after(async () => {
    await t?.stop();
    await source?.drop();
  });

  const catalogue = () => t.resolve(catalogueService);
  const actor = () => ({ institutionId: t.institution.id, label: 'test' });

  /** Queue a sync as the catalogue does (a run, then its job); returns the run id. */
  async function queue(): Promise<number> {
    const run = await catalogue().createRun(actor(), { year, connector: 'sis-sql', trigger: 'manual' });
    await t.resolve(coreServices.jobs).enqueue('catalogue.sync', { institutionId: t.institution.id, runId: run.id, connector: 'sis-sql' }, { jobId: `catalogue-sync-${run.id}` });
    return run.id;
  }

  /** The run once it has finished. */
  async function finished(id: number): Promise<SyncRun> {
    await t.drainJobs();
    for (let i = 0; i < 1200; i++) {
      const run = (await catalogue().run(t.institution.id, id))!;
      if (run.state === 'succeeded' || run.state === 'failed') return run;
      await sleep(50);
    }
    throw new Error(`sync run ${id} did not finish`);
  }

  const sync = async () => finished(await queue());

  /** Everything a sync may change, to compare before and after. */
  async function snapshot() {
    const where = { institution_id: t.institution.id, year };
    return {
      elements: await t.knex('catalogue_elements').where(where).orderBy('code').select('code', 'title_fr', 'title_en', 'ects', 'semester', 'languages', 'open_to_mobility', 'in_source', 'version'),
      formations: await t.knex('catalogue_formations').where(where).orderBy('code').select('code', 'name_fr', 'open_to_mobility', 'in_source', 'version'),
      links: await t.knex('catalogue_links as l').join('catalogue_formations as f', 'f.id', 'l.formation_id').join('catalogue_elements as c', 'c.id', 'l.child_id')
        .leftJoin('catalogue_elements as p', 'p.id', 'l.parent_id').where('l.institution_id', t.institution.id)
        .orderBy(['f.code', 'p.code', 'l.position']).select('f.code as formation', 'p.code as parent', 'c.code as child', 'l.position'),
    };
  }

  /** Codes of a formation's tree, children under their parent. */
  async function outline(formation: string): Promise<unknown[]> {
    const f = (await catalogue().formation(t.institution.id, year, formation))!;
    const walk = (nodes: Awaited<ReturnType<ReturnType<typeof catalogue>['tree']>>): unknown[] =>
      nodes.map((n) => (n.children.length ? { [n.element.code]: walk(n.children) } : n.element.code));
    return walk(await catalogue().tree(t.institution.id, f.id));
  }

  /** Wait until the connector's read is stuck behind a lock the test holds. */
  async function readerWaitsForLock() {
    for (let i = 0; i < 1200; i++) {
      const { rows } = await source.admin.raw(
        `select count(*)::int as n from pg_stat_activity where datname = ? and application_name = 'smile-sis-sql' and wait_event_type = 'Lock'`,
        [source.database],
      );
      if (rows[0].n > 0) return;
      await sleep(50);
    }
    throw new Error('the sync never reached the locked table');
  }

  const element = (code: string) => catalogue().element(t.institution.id, year, code);

  it('a full sync imports the components, formations and element trees of the year, with their details', async () => {
    const run = await sync();
    expect(run.failure, run.failure ?? '').to.equal(null);
    expect(run.state).to.equal('succeeded');
    expect(run.created).to.equal(3 + 3 + ELEMENTS.length);
    expect(run.closed).to.equal(0);

    const codes = (await t.knex('catalogue_elements').where({ institution_id: t.institution.id, year }).orderBy('code').pluck('code')) as string[];
    expect(codes).to.deep.equal(ELEMENTS.map((e) => e[0]).sort());
    expect(await element('ANCIEN'), 'an element of last year').to.equal(undefined);
    expect((await t.knex('components').where({ institution_id: t.institution.id }).orderBy('code').pluck('code'))).to.deep.equal(['ECO', 'LLC', 'SCI']);

    expect(await outline('L3ECO-1')).to.deep.equal([{ UE5ECO: ['MICRO3', 'MACRO3'] }, { UE6ECO: ['ECONOMET', 'HISTPE', 'ANGECO'] }, 'STAGECO']);
    expect(await outline('L3LEA-1')).to.deep.equal([{ UE5LEA: ['TRADFR', 'CIVES'] }, 'LITALL', 'ANGECO']);
    const shared = (await element('ANGECO'))!;
    expect((await catalogue().formationsOf(t.institution.id, shared.id)).map((f) => f.code).sort()).to.deep.equal(['L3ECO-1', 'L3LEA-1']);
    expect(await t.knex('catalogue_links').where({ institution_id: t.institution.id }).count({ n: '*' }).first()).to.deep.equal({ n: LINKS.length } as never);

    const econometrie = (await element('ECONOMET'))!;
    expect(econometrie).to.deep.include({
      titleFr: 'Économétrie', titleEn: 'Econometrics', kind: 'EC', ects: 6, semester: 'S2', languages: ['fr'], hours: 36,
      componentCode: 'ECO', openToMobility: true, source: 'sis-sql', inSource: true,
    });
    expect(econometrie.descriptionFr).to.equal('Cours « Économétrie » : séances magistrales et travaux dirigés.');
    expect(await element('UE5ECO')).to.deep.include({ kind: 'UE', semester: 'S1', ects: 12, hours: null });
    expect(await element('MACRO3')).to.deep.include({ languages: ['fr', 'en'] });
    expect(await element('LITALL')).to.deep.include({ ects: 4.5, languages: ['de'] });
    expect(await element('ANGECO')).to.deep.include({ semester: 'annual', componentCode: 'LLC' });
    expect(await element('GENLOG')).to.deep.include({ semester: 'S2' });
    expect(await element('STAGECO')).to.deep.include({ openToMobility: false });
    expect(await element('BDDAV')).to.deep.include({ seats: 8 });
    expect(await element('OPTIM')).to.deep.include({ titleEn: null });

    const lea = (await catalogue().formation(t.institution.id, year, 'L3LEA-1'))!;
    expect(lea).to.deep.include({ nameFr: 'Licence 3 Langues étrangères appliquées', level: 3, isced: '0231', componentCode: 'LLC', openToMobility: true });
    const details = await t.knex('catalogue_component_details as d').join('components as c', 'c.id', 'd.component_id').where('c.code', 'LLC').first('d.campus', 'd.acronym');
    expect(details).to.deep.equal({ campus: 'Campus Lettres', acronym: 'UFR LLCE' });
  });

  it('a second sync of an unchanged source changes nothing', async () => {
    const before = await snapshot();
    const run = await sync();
    expect(run).to.deep.include({ state: 'succeeded', created: 0, updated: 0, closed: 0 });
    expect(await snapshot()).to.deep.equal(before);
  });

  it('a title changed in the SIS is updated, while ECTS a manager set by hand stay', async () => {
    const micro = (await element('MICRO3'))!;
    await catalogue().saveElement(actor(), year, micro.id, { ects: 5 }, micro.version);
    await source.admin('apogee.elp').where({ cod_elp: 'MICRO3' }).update({ lib_elp_ang: 'Microeconomics II', nbr_crd_elp: 7 });
    const run = await sync();
    expect(run).to.deep.include({ state: 'succeeded', updated: 1 });
    const after = (await element('MICRO3'))!;
    expect(after).to.deep.include({ titleEn: 'Microeconomics II', ects: 5 });
    expect(after.imported.ects).to.equal(7);
  });

  it('an element removed from the view is closed to mobility at the next sync, and leaves its tree', async () => {
    await source.admin('apogee.elp_lien').where({ cod_elp_fils: 'HISTPE' }).delete();
    await source.admin('apogee.elp').where({ cod_elp: 'HISTPE' }).delete();
    const run = await sync();
    expect(run).to.deep.include({ state: 'succeeded', closed: 1, created: 0 });
    expect(await element('HISTPE')).to.deep.include({ inSource: false, openToMobility: false });
    expect(await outline('L3ECO-1')).to.deep.equal([{ UE5ECO: ['MICRO3', 'MACRO3'] }, { UE6ECO: ['ECONOMET', 'ANGECO'] }, 'STAGECO']);
  });

  it('a view with a bad value fails the run with the row error and leaves the catalogue as it was', async () => {
    const before = await snapshot();
    await source.admin('apogee.elp').where({ cod_elp: 'MACRO3', cod_anu: String(year) }).update({ nbr_crd_elp: -3 });
    const record = Number((await source.admin('smile.smile_elements').where('academic_year', String(year)).where('code', '<=', 'MACRO3').count({ n: '*' }))[0]!.n);
    let run = await sync();
    expect(run.state).to.equal('failed');
    expect(run.errors.map((e) => [e.entity, e.code, e.field, e.line])).to.deep.equal([['element', 'MACRO3', 'ects', record]]);
    expect(run.errors[0]!.message.fr).to.contain('-3');
    expect(await snapshot()).to.deep.equal(before);

    // a value the connector cannot read at all: the view and the record are named
    await source.admin('apogee.elp').where({ cod_elp: 'MACRO3' }).update({ nbr_crd_elp: 6 });
    await source.admin('apogee.elp').where({ cod_elp: 'CIVES' }).update({ cod_pel: 'P13' });
    const civesRecord = Number((await source.admin('smile.smile_elements').where('academic_year', String(year)).where('code', '<=', 'CIVES').count({ n: '*' }))[0]!.n);
    run = await sync();
    expect(run.state).to.equal('failed');
    expect(run.errors).to.have.length(1);
    expect(run.errors[0]).to.deep.include({ entity: 'element', code: 'CIVES', field: 'semester', line: civesRecord });
    expect(run.errors[0]!.message.en).to.equal(`smile.smile_elements, record ${civesRecord}: semester is not a semester (read: “P13”; expected S1, S2, annual, or S3…S10)`);
    expect(run.errors[0]!.message.fr).to.contain(`smile.smile_elements, enregistrement ${civesRecord}`);
    expect(await snapshot()).to.deep.equal(before);
    await source.admin('apogee.elp').where({ cod_elp: 'CIVES' }).update({ cod_pel: 'S5' });
  });

  it('a source that refuses the connection fails the run, changes nothing, and never shows the password', async () => {
    const before = await snapshot();
    const admin = t.resolve(coreServices.platformAdmin);
    const password = 'S3cret-Apogee-Reader';
    expect(await admin.saveSettings(t.institution, 'sis-sql', { connection: `postgres://reader:${password}@127.0.0.1:1/apogee` })).to.equal(null);
    try {
      const run = await sync();
      expect(run.state).to.equal('failed');
      expect(run.failure).to.match(/could not be read: .*ECONNREFUSED/);
      expect(JSON.stringify(run)).not.to.contain(password);
      expect(await snapshot()).to.deep.equal(before);
    } finally {
      await admin.saveSettings(t.institution, 'sis-sql', {});
    }
  });

  it('a query that fails after some pages were read fails the run and leaves the previous catalogue intact', async () => {
    // a conversion function of the SIS that gives up on one row (PostgreSQL calls it only for the rows a page returns)
    await source.admin.raw(`create function apogee.checked_credits(code text, credits numeric) returns numeric language plpgsql stable as $$
      begin
        if code = 'TRADFR' then raise exception 'ELP % : crédits incohérents', code; end if;
        return credits;
      end $$`);
    await source.admin.raw(`drop view smile.smile_elements; ${ELEMENTS_VIEW('apogee.checked_credits(cod_elp, nbr_crd_elp)')}`);
    await regrant(source);
    try {
      const settings = settingsSchema.parse({ connection: source.readerUrl, schema: 'smile', batchSize: 10 }) as ConfiguredSettings;
      const seen: number[] = [];
      const failure = await readCatalogue(settings, { year, log: quiet, progress: (done) => seen.push(done) }).then(() => null, (e: Error) => e.message);
      expect(failure).to.match(/ELP TRADFR : crédits incohérents/);
      expect(Math.max(...seen), 'elements read before the failing page').to.be.greaterThan(3 + 3);

      const before = await snapshot();
      const run = await sync();
      expect(run.state).to.equal('failed');
      expect(run.failure).to.match(/crédits incohérents/);
      expect(await snapshot()).to.deep.equal(before);
    } finally {
      await source.admin.raw(`drop view smile.smile_elements; ${ELEMENTS_VIEW('nbr_crd_elp')}; drop function apogee.checked_credits`);
      await regrant(source);
    }
  });

  it('a view dropped while the sync is reading fails the run and leaves the previous catalogue intact', async () => {
    const before = await snapshot();
    // hold the elements' table: the sync stops there, after reading the components and formations
    const locker = await source.admin.transaction();
    let id: number;
    try {
      await locker.raw('lock table apogee.elp in access exclusive mode');
      id = await queue();
      await readerWaitsForLock();
      await locker.raw('drop view smile.smile_element_links');
      await locker.commit();
    } catch (e) {
      await locker.rollback();
      throw e;
    }
    try {
      const run = await finished(id);
      expect(run.state).to.equal('failed');
      expect(run.failure).to.match(/smile_element_links/);
      expect(await snapshot()).to.deep.equal(before);
    } finally {
      await source.admin.raw(LINKS_VIEW);
      await regrant(source);
    }
  });

  it('rows changed in the SIS while the sync is reading are not mixed in: it reads one snapshot', async () => {
    const before = await snapshot();
    const locker = await source.admin.transaction();
    let id: number;
    try {
      await locker.raw('lock table apogee.elp_lien in access exclusive mode');
      id = await queue();
      await readerWaitsForLock();
      // the elements were counted already; MICRO3 disappears before they are read
      await locker('apogee.elp_lien').where({ cod_elp_fils: 'MICRO3' }).delete();
      await locker('apogee.elp').where({ cod_elp: 'MICRO3' }).delete();
      await locker.commit();
    } catch (e) {
      await locker.rollback();
      throw e;
    }
    const run = await finished(id);
    expect(run).to.deep.include({ state: 'succeeded', created: 0, updated: 0, closed: 0 });
    expect(await snapshot()).to.deep.equal(before);
    // the next sync sees the change
    expect(await sync()).to.deep.include({ state: 'succeeded', closed: 1 });
    expect(await element('MICRO3')).to.deep.include({ inSource: false });
  });

  it('`smile sis-sql check` prints the rows and columns of each view, and fails clearly without a source', async () => {
    const { def } = t.platform.registry.commands.get('sis-sql check');
    const run = async (options: Record<string, string>) => {
      const lines: string[] = [];
      const code = await def.run({ positionals: [], options }, { log: quiet, db: t.platform.db, resolve: (r: never) => t.resolve(r), print: (l: string) => lines.push(l) });
      return { code, out: lines.join('\n') };
    };
    const ok = await run({ institution: t.institution.code });
    expect(ok.code, ok.out).to.equal(0);
    const elements = (await source.admin('smile.smile_elements').count({ n: '*' }))[0]!.n;
    expect(ok.out).to.match(new RegExp(`smile\\.smile_elements\\s+${elements} rows, \\d+ in ${year}–${year + 1}`));
    expect(ok.out).to.contain('smile.smile_components').and.contain('(no academic_year column: every row is read)');
    expect(ok.out).to.contain('columns read: code, title_fr, kind, title_en, description_fr');
    if (source.password) expect(ok.out, 'the reader role is no superuser').not.to.contain('superuser');

    expect((await run({ institution: 'nowhere' })).code).to.equal(2);
    const admin = t.resolve(coreServices.platformAdmin);
    await admin.saveSettings(t.institution, 'sis-sql', { connection: 'postgres://reader:Pa55-word@127.0.0.1:1/apogee' });
    try {
      const bad = await run({});
      expect(bad.code).to.equal(1);
      expect(bad.out).to.match(/ECONNREFUSED/).and.not.contain('Pa55-word');
    } finally {
      await admin.saveSettings(t.institution, 'sis-sql', {});
    }
  });
});
