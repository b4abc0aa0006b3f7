import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { catalogueService, type CatalogueStore, type SyncRun } from '@smile/plugin-catalogue';
import { restConnector } from '../src/connector.js';
import { PEGASE_ENDPOINTS, settingsSchema } from '../src/settings.js';
import { startPegaseStandIn, type PegaseStandIn } from './pegase-stand-in.js';

/** Settings for the stand-in: its token, pages of 5 (the 22 teaching elements come in 5 pages), quick retries. */
const standInSettings = (api: PegaseStandIn) => {
  const paging = { ...PEGASE_ENDPOINTS.elements.paging, size: 5 };
  return {
    baseUrl: api.url,
    institutionCode: api.etablissement,
    authHeader: { name: 'Authorization', value: `Bearer ${api.token}` },
    requestsPerSecond: 100,
    maxRetries: 2,
    retryDelayMs: 20,
    endpoints: Object.fromEntries(Object.entries(PEGASE_ENDPOINTS).map(([k, ep]) => [k, { ...ep, paging }])),
  };
};

describe('sis-rest: catalogue imports from a Pégase stand-in', () => {
  let api: PegaseStandIn;
  let t: TestPlatform;
  let store: CatalogueStore;
  let year: number;
  let token: string;
  let connector: ReturnType<typeof restConnector>;

  before(async () => {
    api = await startPegaseStandIn();
    token = api.token;
    const settings = settingsSchema.parse(standInSettings(api));
    connector = restConnector(() => settings);
    t = await startTestPlatform({ plugins: ['catalogue', 'base'] });
    store = t.resolve(catalogueService);
    year = store.currentYear();
  });
  after(async () => {
    await t?.stop();
    await api?.close();
  });
  beforeEach(() => api.reset());

  /** A run of the connector, executed by the catalogue as its sync job does (a full snapshot: what is missing closes). */
  async function sync(): Promise<SyncRun> {
    const actor = { institutionId: t.institution.id, label: 'test' };
    const run = await store.createRun(actor, { year, connector: 'sis-rest', trigger: 'manual' });
    const log = t.resolve(coreServices.logger);
    const signal = new AbortController().signal;
    return store.execute(actor, run.id, (progress) => connector.fetch!({ institution: t.institution, year, log, signal, progress }), { closeMissing: true });
  }

  /** What a visitor could see of the catalogue, to compare before and after a failed run. */
  const snapshot = async () =>
    t.knex('catalogue_elements').where({ institution_id: t.institution.id, year }).orderBy('code').select('code', 'title_fr', 'title_en', 'ects', 'in_source', 'open_to_mobility', 'version');
  const element = (code: string) => store.element(t.institution.id, year, code);
  const tree = async (formation: string) => {
    const f = (await store.formation(t.institution.id, year, formation))!;
    return store.tree(t.institution.id, f.id);
  };

  it('imports the whole offer: components, formations, a UE → EC tree, shared elements, both languages', async () => {
    const run = await sync();
    expect(run.failure).to.equal(null);
    expect(run).to.deep.include({ state: 'succeeded', created: 3 + 3 + 22, updated: 0, closed: 0, errorCount: 0 });
    expect(run.done).to.equal(run.total);

    const mic = (await element('ECO5-MIC'))!;
    expect(mic).to.deep.include({ titleFr: 'Microéconomie approfondie', titleEn: 'Advanced microeconomics', kind: 'EC', ects: 6, semester: 'S1', source: 'sis-rest', componentCode: 'UFR-ECO' });
    expect((await element('LMO6-ANG'))!).to.deep.include({ ects: 4.5, languages: ['en'], semester: 'S2' });
    expect((await element('HIS-EUR'))!.semester).to.equal('annual');

    const eco = await tree('L3-ECO');
    expect(eco.map((n) => n.element.code)).to.deep.equal(['ECO5-UE1', 'ECO5-UE2', 'ECO6-UE3', 'HIS-EUR']);
    expect(eco[0]!.children.map((n) => n.element.code)).to.deep.equal(['ECO5-MIC', 'ECO5-MAC']);
    expect(eco[1]!.children.map((n) => n.element.code)).to.deep.equal(['ECO5-ECM', 'ECO5-STA']);
    const inf = await tree('M1-INF');
    expect(inf[1]!.children.map((n) => n.element.code)).to.deep.equal(['INF8-BDD', 'INF8-APP', 'ECO5-STA']);

    // shared elements exist once, placed in two formations
    const formationsOf = async (code: string) => (await store.formationsOf(t.institution.id, (await element(code))!.id)).map((f) => f.code).sort();
    expect(await formationsOf('HIS-EUR')).to.deep.equal(['L3-ECO', 'L3-LMO']);
    expect(await formationsOf('ECO5-STA')).to.deep.equal(['L3-ECO', 'M1-INF']);
    expect((await snapshot()).filter((e) => e.code === 'ECO5-STA')).to.have.length(1);
    expect((await store.formation(t.institution.id, year, 'M1-INF'))!).to.deep.include({ nameEn: 'Master in Computer Science, year 1', eqf: 7, componentCode: 'UFR-SCI' });
    expect(api.requests.every((r) => r.authorized)).to.equal(true);
  });

  it('brings what changed in the API, closes what it no longer has, and keeps the edits made by hand', async () => {
    const mic = (await element('ECO5-MIC'))!;
    await store.saveElement({ institutionId: t.institution.id, label: 'test' }, year, mic.id, { mobilityEcts: 5 }, mic.version);
    const mac = api.offer.objets.find((o) => o.code === 'ECO5-MAC')!;
    mac.libelles[1]!.valeur = 'Open-economy macroeconomics and growth';
    api.offer.objets = api.offer.objets.filter((o) => o.code !== 'LMO5-POE');

    const run = await sync();
    expect(run).to.deep.include({ state: 'succeeded', updated: 1, closed: 1 });
    expect((await element('ECO5-MAC'))!.titleEn).to.equal('Open-economy macroeconomics and growth');
    expect((await element('ECO5-MIC'))!).to.deep.include({ mobilityEcts: 5, titleEn: 'Advanced microeconomics' });
    expect((await element('LMO5-POE'))!).to.deep.include({ inSource: false, openToMobility: false });
  });

  it('retries a 500 and waits out a 429 with Retry-After, then imports', async () => {
    api.fail({ resource: 'structures', status: 429, retryAfter: '1' });
    api.fail({ resource: 'objets-maquette', page: 2, status: 500 });
    const run = await sync();
    expect(run.state).to.equal('succeeded');
    const statuses = (resource: string) => api.requests.filter((r) => r.resource === resource).map((r) => [r.page, r.status]);
    expect(statuses('structures')).to.deep.equal([[1, 429], [1, 200]]);
    expect(statuses('objets-maquette')).to.deep.equal([[1, 200], [2, 500], [2, 200], [3, 200], [4, 200], [5, 200]]);
  });

  it('fails the run when page 3 of 5 keeps failing, and leaves the previous catalogue as it was', async () => {
    const before = await snapshot();
    api.offer.objets.find((o) => o.code === 'ECO5-ECM')!.libelles[0]!.valeur = 'Économétrie appliquée';
    api.offer.objets = api.offer.objets.filter((o) => o.code !== 'INF7-TST');
    api.fail({ resource: 'objets-maquette', page: 3, status: 503, times: Infinity });
    const run = await sync();
    expect(run.state).to.equal('failed');
    expect(run.failure).to.match(/^elements, page 3: GET .*objets-maquette\?page=2&taille=5 answered 503 Service Unavailable \(gave up after 3 attempts\)$/);
    expect(api.requests.filter((r) => r.resource === 'objets-maquette').map((r) => r.page)).to.deep.equal([1, 2, 3, 3, 3]);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('fails the run on malformed JSON; nothing changes', async () => {
    const before = await snapshot();
    api.offer.objets[0]!.libelles[0]!.valeur = 'Analyse économique (nouvelle maquette)';
    api.fail({ resource: 'objets-maquette', page: 4, body: '{"items": [{"code": "ECO6-COM", "libelle": "Commerce' });
    const run = await sync();
    expect(run.state).to.equal('failed');
    expect(run.failure).to.match(/^elements, page 4: .* did not answer JSON/);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('fails on a wrong auth header (401) without retrying, and the run never shows the token', async () => {
    const before = await snapshot();
    api.token = 'rotated-token-0000';
    const run = await sync();
    expect(run.state).to.equal('failed');
    expect(run.failure).to.match(/^components, page 1: GET .* answered 401 Unauthorized: check the auth header/);
    expect(api.requests).to.have.length(1);
    expect(JSON.stringify(run)).not.to.contain(token);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('lists the records it cannot map (endpoint, record number, page) and imports none of them', async () => {
    const before = await snapshot();
    api.offer.objets.find((o) => o.code === 'INF8-APP')!.creditsEcts = 'six';
    (api.offer.objets.find((o) => o.code === 'LMO6-ESP') as { code?: string }).code = undefined;
    api.offer.objets.find((o) => o.code === 'ECO5-MIC')!.libelles[0]!.valeur = 'Microéconomie (changée)';
    const run = await sync();
    expect(run.state).to.equal('failed');
    expect(run.errorCount).to.be.greaterThan(1);
    const messages = run.errors.map((e) => [e.entity, e.line, e.field, e.message.en]);
    expect(messages).to.deep.include(['element', 16, 'code', 'elements, record 16 (page 4): code is missing']);
    expect(messages).to.deep.include(['element', 22, 'ects', 'elements, record 22 (page 5): ects must be a number (read: six)']);
    expect(run.errors.find((e) => e.field === 'ects')!.message.fr).to.equal('elements, enregistrement 22 (page 5) : ects doit être un nombre (lu : six)');
    expect(await snapshot()).to.deep.equal(before);
  });
});

describe('sis-rest: a connector of the catalogue', () => {
  let api: PegaseStandIn;
  let t: TestPlatform;

  before(async () => {
    api = await startPegaseStandIn();
    t = await startTestPlatform({ plugins: ['sis-rest', 'base'], settings: { 'sis-rest': standInSettings(api) } });
  });
  after(async () => {
    await t?.stop();
    await api?.close();
  });

  it('is listed for the institution and syncs through the catalogue\'s job with its instance settings', async () => {
    const store = t.resolve(catalogueService);
    const year = store.currentYear();
    const run = await store.createRun({ institutionId: t.institution.id, label: 'test' }, { year, connector: 'sis-rest', trigger: 'manual' });
    await t.resolve(coreServices.jobs).enqueue('catalogue.sync', { institutionId: t.institution.id, runId: run.id, connector: 'sis-rest' }, { jobId: `catalogue-sync-${run.id}` });
    let done: SyncRun | undefined;
    for (let i = 0; i < 600 && !done; i++) {
      await t.drainJobs();
      const r = (await store.run(t.institution.id, run.id))!;
      if (r.state === 'succeeded' || r.state === 'failed') done = r;
      else await delay(20);
    }
    expect(done).to.deep.include({ state: 'succeeded', failure: null, created: 28 });
    expect((await store.element(t.institution.id, year, 'HIS-EUR'))!.source).to.equal('sis-rest');
  });
});
