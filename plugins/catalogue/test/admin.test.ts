import { expect } from 'chai';
import type { TestClient, TestPlatform, TestResponse } from '@smile/sdk/testing';
import type { ElementRecord } from '../src/types.js';
import { boot, smallBatch, store, system } from './support.js';

/** The rows of the elements list, as codes, in page order. */
const listedCodes = (html: string): string[] => [...html.matchAll(/<td><a href="\/catalogue\/admin\/elements\/\d+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]!);
/** The text of the flash message of a page. */
const flash = (html: string) => /<p class="flash flash-\w+">([^<]*)<\/p>/.exec(html)?.[1] ?? null;

describe('catalogue: back office', () => {
  let t: TestPlatform;
  let year: number;
  let manager: TestClient;
  const id = async (code: string, y = year) => (await store(t).element(t.institution.id, y, code))!.id;
  /** Follow a 303 as a browser does. */
  const follow = async (c: TestClient, res: TestResponse) => {
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    return c.get(res.headers.get('location')!);
  };
  /** Thirty science elements, so that the list has pages. */
  const science = (): ElementRecord[] =>
    Array.from({ length: 30 }, (_, i) => ({ code: `PHY${String(i + 1).padStart(2, '0')}`, titleFr: `Physique ${i + 1}`, titleEn: `Physics ${i + 1}`, ects: 3, semester: 'S2' as const, languages: ['en'], componentCode: 'SCI', level: 2 }));
  const batch = () => {
    const b = smallBatch();
    b.components.push({ code: 'SCI', nameFr: 'Faculté des sciences', nameEn: 'Faculty of Science' });
    b.elements.push(...science());
    return b;
  };

  before(async () => {
    t = await boot(['sis-csv', 'sis-sql', 'sis-rest']);
    year = store(t).currentYear();
    const r = await store(t).importBatch(system(t), year, batch(), { source: 'test' });
    expect(r.errors).to.deep.equal([]);
    manager = t.client({ session: await t.signIn(['manager']) });
  });
  after(async () => t?.stop());

  it('lists the elements of the year with search, filters that combine, sorting and pages', async () => {
    const page = await manager.get('/catalogue/admin/elements');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('<h1>Teaching elements</h1>').and.contain('Results 1–25 of 35');
    expect(listedCodes(page.text).slice(0, 3)).to.deep.equal(['HIST', 'MACRO', 'MICRO']);
    expect(listedCodes((await manager.get('/catalogue/admin/elements?q=micro')).text)).to.deep.equal(['MICRO']);
    // accent-free search on the French title
    expect(listedCodes((await manager.get('/catalogue/admin/elements?q=economie&component=ECO')).text)).to.deep.equal(['MACRO', 'MICRO', 'UE1']);
    expect(listedCodes((await manager.get('/catalogue/admin/elements?semester=S2&language=fr')).text)).to.deep.equal(['MACRO']);
    expect(listedCodes((await manager.get('/catalogue/admin/elements?component=LET')).text)).to.deep.equal(['ROMAN']);
    expect(listedCodes((await manager.get('/catalogue/admin/elements?level=2&size=10&page=3')).text)).to.deep.equal(['PHY21', 'PHY22', 'PHY23', 'PHY24', 'PHY25', 'PHY26', 'PHY27', 'PHY28', 'PHY29', 'PHY30']);
    expect(listedCodes((await manager.get('/catalogue/admin/elements?sort=ects&dir=desc&size=10')).text)[0]).to.equal('UE1');
    expect((await manager.get(`/catalogue/admin/elements?q=${encodeURIComponent(`'; drop table x; -- <b>`)}`)).text).to.contain('No results match your search or filters.').and.not.contain('<b>');
    // htmx asks for the table region alone
    const region = await manager.get('/catalogue/admin/elements?q=roman', { 'hx-request': 'true', 'hx-target': 'div#catalogue-elements' });
    expect(region.text).not.to.contain('<html').and.not.contain('catalogue-bulk-title');
    expect(listedCodes(region.text)).to.deep.equal(['ROMAN']);
    expect(region.text).to.contain(`name="ids" value="${await id('ROMAN')}" form="catalogue-bulk"`);
  });

  it('closes elements in bulk; the closing is a local change that survives the next import', async () => {
    const ids = [await id('MICRO'), await id('MACRO')];
    const done = await follow(manager, await manager.post('/catalogue/admin/elements/bulk', { ids: ids.map(String), action: 'close', return: '/catalogue/admin/elements?q=macro' }));
    expect(flash(done.text)).to.equal('2 element(s) closed to mobility.');
    expect(listedCodes((await manager.get('/catalogue/admin/elements?open=false')).text)).to.deep.equal(['MACRO', 'MICRO']);
    await store(t).importBatch(system(t), year, batch(), { source: 'test' });
    const micro = (await store(t).element(t.institution.id, year, 'MICRO'))!;
    expect(micro.openToMobility).to.equal(false);
    expect(micro.localFields).to.include('openToMobility');
    const page = await manager.get(`/catalogue/admin/elements/${micro.id}`);
    expect(page.text).to.match(/<dt>Open to mobility <span class="catalogue-badge catalogue-badge--local">edited here<\/span><\/dt>/);
    expect(page.text).to.contain('Imported value: Open to mobility');
    expect(listedCodes((await manager.get('/catalogue/admin/elements?origin=edited')).text)).to.deep.equal(['MACRO', 'MICRO']);
    // exchange types: HIST for double-degree students only
    const set = await follow(manager, await manager.post('/catalogue/admin/elements/bulk', [['ids', String(await id('HIST'))], ['action', 'types'], ['types', 'double-degree']]));
    expect(flash(set.text)).to.equal('Exchange types set on 1 element(s).');
    expect(listedCodes((await manager.get('/catalogue/admin/elements?exchange=double-degree&component=ECO')).text)).to.deep.equal(['HIST', 'MACRO', 'MICRO', 'UE1']);
    expect(listedCodes((await manager.get('/catalogue/admin/elements?exchange=erasmus-mundus&component=ECO')).text)).to.deep.equal(['MACRO', 'MICRO', 'UE1']);
    const none = await follow(manager, await manager.post('/catalogue/admin/elements/bulk', { action: 'open' }));
    expect(flash(none.text)).to.equal('Select at least one element first.');
  });

  it('reverts a field edited here to its imported value', async () => {
    const macro = (await store(t).element(t.institution.id, year, 'MACRO'))!;
    const page = await manager.get(`/catalogue/admin/elements/${macro.id}`);
    expect(page.text).to.contain('aria-label="Revert “Open to mobility” to the imported value"');
    const done = await follow(manager, await manager.post(`/catalogue/admin/elements/${macro.id}/revert`, { field: 'openToMobility', version: String(macro.version) }));
    expect(flash(done.text)).to.equal('“Open to mobility” follows the imports again.');
    const after = (await store(t).element(t.institution.id, year, 'MACRO'))!;
    expect(after.openToMobility).to.equal(true);
    expect(after.localFields).not.to.include('openToMobility');
    // a stale version is refused with a message, and nothing changes
    const stale = await follow(manager, await manager.post(`/catalogue/admin/elements/${macro.id}/revert`, { field: 'openToMobility', version: String(macro.version) }));
    expect(flash(stale.text)).to.match(/This field was not edited here|Someone else changed/);
  });

  it('shows the errors of the edit form next to their fields and keeps what was typed', async () => {
    const micro = (await store(t).element(t.institution.id, year, 'MICRO'))!;
    const form = await manager.get(`/catalogue/admin/elements/${micro.id}/edit`);
    expect(form.text).to.contain(`name="version" value="${micro.version}"`);
    const res = await manager.post(`/catalogue/admin/elements/${micro.id}/edit`, {
      version: String(micro.version), titleFr: '', titleEn: 'Microeconomics <i>II</i>', ects: '-3', mobilityEcts: '4,5', semester: 'S1', languages: 'fr, english', tt_count: '1', tt0_day: '2', tt0_start: '10:00', tt0_end: '09:00',
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('There are problems with 4 fields');
    expect(res.text).to.match(/<input id="f-ects" name="ects" type="text" value="-3" inputmode="decimal" aria-invalid="true" aria-describedby="f-ects-hint f-ects-error"/);
    expect(res.text).to.contain('<p id="f-ects-error" class="field-error">Type a number from 0 to 120.</p>');
    expect(res.text).to.contain('<p id="f-titleFr-error" class="field-error">Fill in this field.</p>');
    expect(res.text).to.contain('<p id="f-languages-error" class="field-error">');
    expect(res.text).to.contain('<p id="f-tt0_end-error" class="field-error">The end must come after the start.</p>');
    expect(res.text).to.contain('<a href="#f-ects">ECTS credits: Type a number from 0 to 120.</a>');
    // what was typed is still there (escaped)
    expect(res.text).to.contain('value="Microeconomics &lt;i&gt;II&lt;/i&gt;"').and.contain('value="4,5"').and.contain('value="fr, english"');
    expect((await store(t).element(t.institution.id, year, 'MICRO'))!.version).to.equal(micro.version);
  });

  it('saves an edit: the changed fields become local, keep their value at the next import, and show the imported one', async () => {
    const micro = (await store(t).element(t.institution.id, year, 'MICRO'))!;
    const values = { version: String(micro.version), kind: 'EC', titleFr: 'Microéconomie', titleEn: 'Microeconomics', ects: '6', mobilityEcts: '5', semester: 'S1', languages: 'fr', componentCode: 'ECO', seats: '12' };
    const done = await follow(manager, await manager.post(`/catalogue/admin/elements/${micro.id}/edit`, values));
    expect(flash(done.text)).to.equal('MICRO saved.');
    const saved = (await store(t).element(t.institution.id, year, 'MICRO'))!;
    expect(saved).to.deep.include({ mobilityEcts: 5, seats: 12 });
    expect(saved.localFields).to.include.members(['mobilityEcts', 'seats']).and.not.include('titleFr');
    const b = batch();
    b.elements.find((e) => e.code === 'MICRO')!.mobilityEcts = 3;
    await store(t).importBatch(system(t), year, b, { source: 'test' });
    expect((await store(t).element(t.institution.id, year, 'MICRO'))!.mobilityEcts).to.equal(5);
    const page = await manager.get(`/catalogue/admin/elements/${micro.id}`);
    expect(page.text).to.contain('<div class="catalogue-value">5</div>').and.contain('Imported value: 3');
    const form = await manager.get(`/catalogue/admin/elements/${micro.id}/edit`);
    expect(form.text).to.contain('<p id="f-mobilityEcts-local" class="catalogue-local-note"><span class="catalogue-badge catalogue-badge--local">edited here</span> Imported value: 3</p>');
    const reverted = await follow(manager, await manager.post(`/catalogue/admin/elements/${micro.id}/revert`, { field: 'mobilityEcts', version: String((await store(t).element(t.institution.id, year, 'MICRO'))!.version) }));
    expect(flash(reverted.text)).to.contain('follows the imports again');
    expect((await store(t).element(t.institution.id, year, 'MICRO'))!.mobilityEcts).to.equal(3);
  });

  it('refuses an edit made on a stale version with a clear message, keeping the typed values', async () => {
    const hist = (await store(t).element(t.institution.id, year, 'HIST'))!;
    const form = await manager.get(`/catalogue/admin/elements/${hist.id}/edit`);
    expect(form.status).to.equal(200);
    // someone else saves first
    await store(t).saveElement(system(t), year, hist.id, { titleEn: 'European economic history' }, hist.version);
    const res = await manager.post(`/catalogue/admin/elements/${hist.id}/edit`, {
      version: String(hist.version), titleFr: 'Histoire économique de l’Europe', titleEn: 'Economic history of Europe (revised)', ects: '3', semester: 'annual', languages: 'fr', componentCode: 'ECO',
    });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('Your changes were not saved').and.contain('Someone else changed this element while you were editing it.');
    expect(res.text).to.contain('value="Economic history of Europe (revised)"');
    expect((await store(t).element(t.institution.id, year, 'HIST'))!.titleEn).to.equal('European economic history');
  });

  it('creates an element; a code already used is shown next to the field', async () => {
    const form = await manager.get(`/catalogue/admin/elements/new?year=${year}`);
    expect(form.text).to.contain('<h1>New teaching element</h1>').and.contain('name="code"');
    const fields = { year: String(year), code: 'SOC1', titleFr: 'Sociologie des organisations', titleEn: 'Sociology of organisations', ects: '5', semester: 'S1', languages: 'fr, en', componentCode: 'ECO', openToMobility: 'on', exchangeTypes: 'first-semester' };
    const created = await follow(manager, await manager.post('/catalogue/admin/elements/new', fields));
    expect(flash(created.text)).to.equal('Element SOC1 created.');
    expect(created.text).to.contain('Created here');
    const soc = (await store(t).element(t.institution.id, year, 'SOC1'))!;
    expect(soc).to.deep.include({ source: 'local', ects: 5, languages: ['fr', 'en'], exchangeTypes: ['first-semester'], componentCode: 'ECO' });
    const again = await manager.post('/catalogue/admin/elements/new', fields);
    expect(again.status).to.equal(422);
    expect(again.text).to.contain('<p id="f-code-error" class="field-error">This code is already used this academic year.</p>').and.contain('value="Sociologie des organisations"');
  });

  it('gives a manager limited to one component only that component’s offer', async () => {
    const scoped = t.client({ session: await t.signIn([{ role: 'manager', components: ['ECO'] }]) });
    const list = await scoped.get('/catalogue/admin/elements?size=50');
    expect(listedCodes(list.text).sort()).to.deep.equal(['HIST', 'MACRO', 'MICRO', 'SOC1', 'UE1']);
    expect(list.text).not.to.contain('LET — Faculty of Arts');
    expect((await scoped.get(`/catalogue/admin/elements/${await id('ROMAN')}`)).status).to.equal(404);
    expect((await scoped.get(`/catalogue/admin/elements/${await id('ROMAN')}/edit`)).status).to.equal(404);
    expect((await scoped.get(`/catalogue/admin/elements/${await id('MICRO')}/edit`)).status).to.equal(200);
    // a bulk change leaves the other components alone
    const res = await follow(scoped, await scoped.post('/catalogue/admin/elements/bulk', { ids: [String(await id('ROMAN')), String(await id('UE1'))], action: 'close' }));
    expect(flash(res.text)).to.equal('1 element(s) closed to mobility. 1 element(s) outside your components were left as they were.');
    expect((await store(t).element(t.institution.id, year, 'ROMAN'))!.openToMobility).to.equal(true);
    const components = await scoped.get('/catalogue/admin/components');
    expect(components.text).to.contain('>ECO</a>').and.not.contain('>LET</a>');
    const formations = await scoped.get('/catalogue/admin/formations');
    expect(formations.text).to.contain('>L3ECO</a>').and.not.contain('>L3LET</a>');
    // imports change the whole institution: not for a scoped manager
    const sync = await follow(scoped, await scoped.post('/catalogue/admin/sync/sis-sql', {}));
    expect(flash(sync.text)).to.contain('only people whose rights cover every component');
  });

  it('shows formations with their tree and edits them, with the same rules', async () => {
    const f = (await store(t).formation(t.institution.id, year, 'L3ECO'))!;
    const page = await manager.get(`/catalogue/admin/formations/${f.id}`);
    expect(page.text).to.contain(`href="/catalogue/admin/formations/${f.id}/editor"`).and.contain('Open the offer editor');
    // the outline: UE1 with its two children nested under it
    expect(page.text).to.match(/UE1<\/span> Economics fundamentals<\/a>( <span class="catalogue-badge catalogue-badge--closed">Closed to mobility<\/span>)?\s*<ul class="catalogue-outline catalogue-outline--sub">[\s\S]*MICRO[\s\S]*MACRO[\s\S]*<\/ul>\s*<\/li>/);
    const bad = await manager.post(`/catalogue/admin/formations/${f.id}/edit`, { version: String(f.version), nameFr: 'Licence 3 Économie', eqf: '9', componentCode: 'ECO', languages: 'fr' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('<p id="f-eqf-error" class="field-error">Type a number from 1 to 8.</p>');
    const ok = await follow(manager, await manager.post(`/catalogue/admin/formations/${f.id}/edit`, { version: String(f.version), nameFr: 'Licence 3 Économie', nameEn: 'Bachelor in Economics, 3rd year', diplomaType: 'LIC', level: '3', eqf: '6', componentCode: 'ECO', languages: '', openToMobility: 'on' }));
    expect(flash(ok.text)).to.equal('L3ECO saved.');
    expect(ok.text).to.match(/<dt>Name in English <span class="catalogue-badge catalogue-badge--local">edited here<\/span><\/dt>/).and.contain('Imported value: Bachelor 3 Economics');
    const saved = (await store(t).formation(t.institution.id, year, 'L3ECO'))!;
    expect(saved.localFields.sort()).to.deep.equal(['eqf', 'nameEn']);
    await follow(manager, await manager.post(`/catalogue/admin/formations/${f.id}/revert`, { field: 'nameEn', version: String(saved.version) }));
    expect((await store(t).formation(t.institution.id, year, 'L3ECO'))!.nameEn).to.equal('Bachelor 3 Economics');
    expect(listedCodes((await manager.get('/catalogue/admin/formations?q=lettres')).text.replace(/formations\//g, 'elements/'))).to.deep.equal(['L3LET']);
  });

  it('edits the catalogue details of a component', async () => {
    const bad = await manager.post('/catalogue/admin/components/ECO', { acronym: 'FEG', campus: 'Campus Centre', contacts: 'International office; Jeanne Martin; not-an-address' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Line 1: the e-mail address is not valid.').and.contain('Campus Centre');
    await follow(manager, await manager.post('/catalogue/admin/components/ECO', { acronym: 'FEG', campus: 'Campus Centre', contacts: 'International office; Jeanne Martin; jeanne.martin@univ.example; +33 1 23 45 67 89' }));
    const list = await manager.get('/catalogue/admin/components');
    expect(list.text).to.contain('<td>FEG</td>').and.contain('<td>Campus Centre</td>');
    const page = await manager.get('/catalogue/admin/components/ECO');
    expect(page.text).to.contain('International office; Jeanne Martin; jeanne.martin@univ.example; +33 1 23 45 67 89');
  });

  it('shows what the last import changed, field by field', async () => {
    const b = batch();
    b.elements.find((e) => e.code === 'ROMAN')!.titleEn = 'The French novel of the nineteenth century';
    b.elements.push({ code: 'NEW1', titleFr: 'Économétrie', titleEn: 'Econometrics', componentCode: 'ECO' });
    await store(t).importBatch(system(t), year, b, { source: 'test' });
    const page = await manager.get('/catalogue/admin/changes');
    expect(page.text).to.contain('<h1>What changed</h1>');
    expect(page.text).to.contain('Title in English: The nineteenth-century French novel → The French novel of the nineteenth century');
    expect(page.text).to.contain(`href="/catalogue/admin/elements/${await id('NEW1')}">NEW1</a>`).and.contain('<td>Created</td>');
    const created = await manager.get('/catalogue/admin/changes?change=created');
    expect(created.text).to.contain('>NEW1</a>').and.not.contain('>ROMAN</a>');
  });

  it('copies a year forward, and says so in place when the target already has a catalogue', async () => {
    const page = await manager.get('/catalogue/admin/years');
    expect(page.text).to.contain('<h1>Academic years</h1>').and.contain(`<option value="${year}" selected>`);
    const done = await follow(manager, await manager.post('/catalogue/admin/years/copy', { from: String(year), to: String(year + 1) }));
    expect(flash(done.text)).to.match(/was copied into .*: 2 formations, 37 teaching elements\./);
    expect(listedCodes(done.text)).to.include('MICRO');
    const again = await manager.post('/catalogue/admin/years/copy', { from: String(year), to: String(year + 1) });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain(`<p id="f-to-error" class="field-error">${year + 1}–${year + 2} already has a catalogue: nothing was copied.</p>`);
    const same = await manager.post('/catalogue/admin/years/copy', { from: String(year), to: String(year) });
    expect(same.status).to.equal(422);
    expect(same.text).to.contain('Choose a year other than the one copied.');
  });

  it('shows a sync run: its progress bar while it runs, then its counts, errors and changes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const run = await store(t).createRun(system(t), { year, connector: 'test', trigger: 'manual' });
    const queued = await manager.get(`/catalogue/admin/sync/runs/${run.id}`);
    expect(queued.text).to.contain('Waiting to start…').and.contain(`hx-get="/catalogue/admin/sync/runs/${run.id}/progress?from=run" hx-trigger="every 1s"`);
    // what the previous test imported is left as it was: only PHY01 changes
    const b = batch();
    b.elements.find((e) => e.code === 'ROMAN')!.titleEn = 'The French novel of the nineteenth century';
    b.elements.push({ code: 'NEW1', titleFr: 'Économétrie', titleEn: 'Econometrics', componentCode: 'ECO' });
    b.elements.find((e) => e.code === 'PHY01')!.titleEn = 'Mechanics';
    const running = store(t).execute(system(t), run.id, async (progress) => {
      progress(3, 10);
      await gate;
      return { batch: b, errors: [] };
    });
    await new Promise((r) => setTimeout(r, 50));
    const bar = await manager.get(`/catalogue/admin/sync/runs/${run.id}/progress?from=sync`, { 'hx-request': 'true' });
    expect(bar.text).to.contain(`<progress id="run-bar-${run.id}" max="20" value="3"`).and.contain('3 / 20 (15 %)').and.contain('hx-trigger="every 1s"');
    const sync = await manager.get('/catalogue/admin/sync');
    expect(sync.text).to.contain('Running now').and.contain(`id="run-progress-${run.id}"`);
    release();
    await running;
    const finished = await manager.get(`/catalogue/admin/sync/runs/${run.id}/progress?from=sync`, { 'hx-request': 'true' });
    expect(finished.text).not.to.contain('hx-trigger');
    expect(finished.text).to.contain(`Run #${run.id} finished: 0 created, 1 updated, 0 closed.`);
    expect(finished.text).to.contain('id="catalogue-run-live" hx-swap-oob="innerHTML"');
    const onRunPage = await manager.get(`/catalogue/admin/sync/runs/${run.id}/progress?from=run`, { 'hx-request': 'true' });
    expect(onRunPage.headers.get('hx-refresh')).to.equal('true');
    const page = await manager.get(`/catalogue/admin/sync/runs/${run.id}`);
    expect(page.text).to.contain('Succeeded').and.contain('0 created, 1 updated, 0 closed, 0 errors');
    expect(page.text).to.contain('Title in English: Physics 1 → Mechanics');
    const history = await manager.get('/catalogue/admin/sync?state=succeeded');
    expect(history.text).to.contain(`href="/catalogue/admin/sync/runs/${run.id}">#${run.id}</a>`);
  });

  it('lists the connectors: a link for file imports, and no sync for a connector that is not configured', async () => {
    const sync = await manager.get('/catalogue/admin/sync');
    expect(sync.text).to.contain('<h3>CSV files <span class="catalogue-code">sis-csv</span></h3>').and.contain('Imports files');
    expect(sync.text).to.match(/<span class="catalogue-code">sis-sql<\/span><\/h3>[\s\S]*?Not configured[\s\S]*?No schedule/);
    expect(sync.text).not.to.contain('action="/catalogue/admin/sync/sis-sql"');
    const refused = await follow(manager, await manager.post('/catalogue/admin/sync/sis-sql', { year: String(year) }));
    expect(flash(refused.text)).to.contain('The sync of sis-sql could not start');
    const unknown = await follow(manager, await manager.post('/catalogue/admin/sync/nothing-like-this', {}));
    expect(flash(unknown.text)).to.contain('could not start');
  });

  it('shows why a run failed, with the lines of the rows in error, and that nothing changed', async () => {
    const run = await store(t).createRun(system(t), { year, connector: 'test', trigger: 'upload' });
    const b = batch();
    b.elements.push({ code: 'BAD1', titleFr: 'Cours négatif', ects: -4, line: 41 }, { code: 'MICRO', titleFr: 'Doublon', line: 42 });
    await store(t).execute(system(t), run.id, async () => ({ batch: b, errors: [] }));
    const page = await manager.get(`/catalogue/admin/sync/runs/${run.id}`);
    expect(page.text).to.contain('Failed').and.contain('Some rows have errors: nothing was imported.').and.contain('Nothing was changed in the catalogue.');
    expect(page.text).to.match(/<td class="smile-table__num">41<\/td>\s*<td>Teaching element<\/td>\s*<td>BAD1<\/td>\s*<td>ECTS credits<\/td>\s*<td>ects must be between 0 and 120 \(read: -4\)<\/td>/);
    expect(page.text).to.contain('<td class="smile-table__num">42</td>').and.contain('duplicate code &#34;MICRO&#34;');
    expect(await store(t).element(t.institution.id, year, 'BAD1')).to.equal(undefined);
  });

  it('lets a referent read but not edit, and keeps students and visitors out', async () => {
    const micro = await id('MICRO');
    const f = (await store(t).formation(t.institution.id, year, 'L3ECO'))!;
    const reads = ['/catalogue/admin', '/catalogue/admin/elements', `/catalogue/admin/elements/${micro}`, '/catalogue/admin/formations', `/catalogue/admin/formations/${f.id}`,
      '/catalogue/admin/components', '/catalogue/admin/components/ECO', '/catalogue/admin/sync', '/catalogue/admin/changes', '/catalogue/admin/years'];
    const edits = ['/catalogue/admin/elements/new', `/catalogue/admin/elements/${micro}/edit`, '/catalogue/admin/formations/new', `/catalogue/admin/formations/${f.id}/edit`];
    const student = t.client({ session: await t.signIn(['student']) });
    for (const p of [...reads, ...edits]) {
      const res = await student.get(p);
      expect(res.status, p).to.equal(403);
      expect((await t.get(p)).status, p).to.equal(401);
    }
    const referent = t.client({ session: await t.signIn(['referent']) });
    for (const p of reads) expect((await referent.get(p)).status, p).to.equal(200);
    for (const p of edits) {
      const res = await referent.get(p);
      expect(res.status, p).to.equal(403);
      expect(res.text).to.contain('you need the permission catalogue:offer.edit');
    }
    const page = await referent.get(`/catalogue/admin/elements/${micro}`);
    expect(page.text).not.to.contain(`/catalogue/admin/elements/${micro}/edit`).and.not.contain('Revert');
    expect((await referent.get('/catalogue/admin/elements')).text).not.to.contain('name="ids"');
    expect((await referent.post('/catalogue/admin/elements/bulk', { ids: String(micro), action: 'close' })).status).to.equal(403);
    expect((await referent.post('/catalogue/admin/years/copy', { from: String(year), to: String(year + 5) })).text).to.contain('you need the permission catalogue:import.run');
  });

  it('speaks French', async () => {
    const fr = t.client({ lang: 'fr', session: await t.signIn(['manager']) });
    const page = await fr.get('/catalogue/admin/elements?q=roman');
    expect(page.text).to.contain('<h1>Éléments pédagogiques</h1>').and.contain('Fermer à la mobilité').and.contain('Le roman français au XIXe siècle');
    const edit = await fr.post(`/catalogue/admin/elements/${await id('ROMAN')}/edit`, { version: '1', titleFr: '', ects: 'six' });
    expect(edit.text).to.contain('Remplissez ce champ.').and.contain('Saisissez un nombre, comme 6 ou 4,5.');
  });
});
