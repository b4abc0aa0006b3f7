// The public catalogue as a visitor (no sign-in) and another system (JSON API) see it: search with
// filters, sorts and pages, the htmx fragment and the URL, the browse pages, the element page at
// its stable address, and the cache that never outlives a change of the catalogue.
import { expect } from 'chai';
import type { TestPlatform, TestResponse } from '@smile/sdk/testing';
import { publicBatch } from './public-fixtures.js';
import { boot, store, system } from './support.js';

/** What htmx sends when the search form changes (or a paging link is followed: `source` `a`). */
const HTMX = (source = 'form#catalogue-search') => ({ 'hx-request': 'true', 'hx-request-type': 'partial', 'hx-target': 'div#catalogue-results', 'hx-source': source });

/** The element codes listed in a results page, in order. */
const codes = (res: TestResponse) => [...res.text.matchAll(/<span class="pub-code">([^<]+)<\/span>/g)].map((m) => m[1]!);
/** The titles of the results, as the visitor reads them. */
const titles = (res: TestResponse) => [...res.text.matchAll(/<h3><a href="[^"]+"(?: lang="\w+")?>([^<]+)<\/a><\/h3>/g)].map((m) => m[1]!);

describe('catalogue: public catalogue and API', () => {
  let t: TestPlatform;
  let year: number;
  const fr = { 'accept-language': 'fr' };
  const en = { 'accept-language': 'en' };
  const search = (qs: string, headers: Record<string, string> = fr) => t.get(`/catalogue?${qs}`, headers);

  before(async () => {
    t = await boot();
    year = store(t).currentYear();
    const report = await store(t).importBatch(system(t), year, publicBatch(), { source: 'test' });
    expect(report.errors).to.deep.equal([]);
    // last year's catalogue has a course that no longer exists
    const old = await store(t).importBatch(system(t), year - 1, { components: [], formations: [], links: [], elements: [{ code: 'ARCHIVE', titleFr: 'Archéologie du paysage', titleEn: 'Landscape archaeology', ects: 4 }] }, { source: 'test' });
    expect(old.errors).to.deep.equal([]);
  });
  after(async () => t?.stop());

  describe('search page', () => {
    it('finds "Économie" courses for "economie", open ones only, without signing in', async () => {
      const res = await search('q=economie');
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('<html').and.contain('role="search"');
      expect(codes(res)).to.include.members(['UE1', 'HIST', 'ECOENV']).and.not.include('TRAVAIL');
      expect(titles(res)).to.include('Économie de l’environnement');
      expect(res.text).to.match(/id="catalogue-count"[^>]*role="status"|role="status"[^>]*id="catalogue-count"/);
    });

    it('finds by English title and shows titles in the visitor’s language, falling back to French with lang="fr"', async () => {
      const res = await search('q=environmental', en);
      expect(codes(res)).to.deep.equal(['ECOENV']);
      expect(titles(res)).to.deep.equal(['Environmental economics']);
      const urban = await search('q=sociologie', en);
      expect(urban.text).to.contain('lang="fr">Sociologie urbaine</a>');
    });

    it('matches word beginnings and tolerates a small typo, saying so', async () => {
      expect(codes(await search('q=macro'))).to.deep.equal(['MACRO']);
      const typo = await search('q=macroeconomei');
      expect(codes(typo)).to.deep.equal(['MACRO']);
      expect(typo.text).to.contain('orthographe est proche').and.contain('(orthographe approchée)');
    });

    it('combines filters: component, semester, language of instruction and an ECTS range (mobility ECTS first)', async () => {
      const res = await search('component=ECO&semester=S2&language=en&ectsMin=4&ectsMax=5');
      expect(codes(res)).to.deep.equal(['ECOENV']);
      expect(res.text).to.contain('1 cours').and.contain('(5 actifs)');
      // an annual course is taught in both semesters
      expect(codes(await search('component=ECO&semester=S1'))).to.include.members(['HIST', 'MICRO']).and.not.include('MACRO');
      expect(codes(await search('exchangeType=erasmus-traineeship&component=ECO'))).to.not.include('ECOENV');
      expect(codes(await search('campus=Campus%20Sud'))).to.deep.equal(['ECOENV']);
      expect(codes(await search('level=4&q=seminaire&size=50'))).to.have.length(24);
    });

    it('offers the filter values found in the data, with the exchange types of the settings', async () => {
      const res = await search('', en);
      expect(res.text).to.contain('<option value="INT">Institute of International Studies</option>');
      expect(res.text).to.contain('<option value="en">English</option>').and.contain('<option value="fr">French</option>');
      expect(res.text).to.contain('<option value="Campus Sud">Campus Sud</option>');
      expect(res.text).to.contain('<option value="first-semester">First semester</option>');
      expect(res.text).to.contain('Bachelor, year 3 (L3)');
    });

    it('sorts by title, code and ECTS', async () => {
      expect(codes(await search('q=seminaire&sort=code&size=10'))).to.deep.equal(['SEM01', 'SEM02', 'SEM03', 'SEM04', 'SEM05', 'SEM06', 'SEM07', 'SEM08', 'SEM09', 'SEM10']);
      const byEcts = await t.get(`/api/v1/catalogue/elements?component=ECO&sort=ects&pageSize=50`);
      const ects = byEcts.json().items.map((i: { ects: number; mobilityEcts: number | null }) => i.mobilityEcts ?? i.ects);
      expect(ects).to.deep.equal([...ects].sort((a: number, b: number) => b - a));
      const byTitle = titles(await search('component=ECO&sort=title', en));
      expect(byTitle).to.deep.equal([...byTitle].sort((a, b) => a.localeCompare(b, 'en')));
    });

    it('pages the results, and the links say where they lead', async () => {
      const first = await search('q=seminaire&size=10', en);
      expect(first.text).to.contain('Courses 1 to 10 of 24');
      expect(first.text).to.contain('href="/catalogue?q=seminaire&amp;size=10&amp;page=2"');
      const third = await search('q=seminaire&size=10&page=3&sort=code', en);
      expect(codes(third)).to.deep.equal(['SEM21', 'SEM22', 'SEM23', 'SEM24']);
      expect(third.text).to.contain('Courses 21 to 24 of 24').and.contain('rel="prev"').and.not.contain('rel="next"');
      // past the last page: nothing, and the count says how many there are
      const beyond = await search('q=seminaire&size=10&page=9', en);
      expect(codes(beyond)).to.deep.equal([]);
      expect(beyond.status).to.equal(200);
    });

    it('answers htmx with the results fragment and puts the canonical query in the URL', async () => {
      const res = await search('q=economie&semester=S2&component=&level=&sort=relevance', { ...fr, ...HTMX() });
      expect(res.status).to.equal(200);
      expect(res.text).to.not.contain('<html').and.not.contain('role="search"');
      expect(res.text).to.contain('hx-swap-oob').and.contain('Économie de l’environnement');
      expect(res.headers.get('hx-replace-url')).to.equal('/catalogue?q=economie&semester=S2');
      expect(res.headers.get('vary')).to.match(/HX-Request/i).and.match(/HX-Target/i);
      // a paging link adds a history entry instead, and moves the focus to the results
      const page2 = await search('q=seminaire&size=10&page=2', { ...fr, ...HTMX('a') });
      expect(page2.headers.get('hx-push-url')).to.equal('/catalogue?q=seminaire&size=10&page=2');
      expect(page2.text).to.contain('autofocus');
      // the full page declares the same behaviour, and works as a plain GET form without JavaScript
      const page = await search('q=seminaire&size=10');
      expect(page.text).to.contain('hx-get="/catalogue"').and.contain('hx-replace-url="true"').and.contain('hx-target="#catalogue-results"');
      expect(page.text).to.contain('method="get" action="/catalogue"');
      expect(page.text).to.contain('hx-get="/catalogue?q=seminaire&amp;size=10&amp;page=2"').and.contain('hx-push-url="true"');
      // a history restore asks for the whole page
      const full = await search('q=economie', { ...fr, ...HTMX(), 'hx-request-type': 'full' });
      expect(full.text).to.contain('role="search"');
    });

    it('never fails on SQL or HTML special characters, in the words or in the filters', async () => {
      for (const q of [`'`, `%`, `_`, `<script>alert(1)</script>`, `'; drop table catalogue_elements; --`, `économie' OR '1'='1`, `:* & | ! ( )`, '\\', `"`, '\u0000x']) {
        const res = await search(`q=${encodeURIComponent(q)}`);
        expect(res.status, q).to.equal(200);
        expect(res.text, q).to.not.contain('<script>alert(1)');
        const api = await t.get(`/api/v1/catalogue/elements?q=${encodeURIComponent(q)}`);
        expect(api.status, q).to.be.oneOf([200, 400]);
      }
      const odd = await search(`component=${encodeURIComponent(`' or 1=1 --`)}&level=abc&ectsMin=1e999&ectsMax=-3&semester=%3Cb%3E&language=%27&campus=%25&exchangeType=%3C&sort=drop&page=99999&size=7&year=abcd`);
      expect(odd.status).to.equal(200);
      expect(codes(odd)).to.deep.equal([]);
      // a query of signs only has no words: it lists the catalogue, as an empty one does
      expect(codes(await search('q=%25%27'))).to.have.length(20);
    });

    it('shows a new title at once after a change (the cache keys on the catalogue generation)', async () => {
      expect(titles(await search('q=microeconomics', en))).to.deep.equal(['Microeconomics']);
      const micro = (await store(t).element(t.institution.id, year, 'MICRO'))!;
      await store(t).saveElement(system(t), year, micro.id, { titleEn: 'Microeconomic theory' }, micro.version);
      expect(titles(await search('q=microeconomic', en))).to.deep.equal(['Microeconomic theory']);
      expect(titles(await search('q=micro', en))).to.deep.equal(['Microeconomic theory']);
      // closed to mobility: gone from the search, as soon as it is closed
      expect(codes(await search('q=roman'))).to.deep.equal(['ROMAN']);
      const roman = (await store(t).element(t.institution.id, year, 'ROMAN'))!;
      await store(t).setElementsOpen(system(t), [roman.id], false);
      expect(codes(await search('q=roman'))).to.deep.equal([]);
      await store(t).setElementsOpen(system(t), [roman.id], true);
      expect(codes(await search('q=roman'))).to.deep.equal(['ROMAN']);
    });

    it('searches another year when asked, and keeps it in the URL', async () => {
      expect(codes(await search('q=archeologie'))).to.deep.equal([]);
      const res = await search(`q=archeologie&year=${year - 1}`);
      expect(codes(res)).to.deep.equal(['ARCHIVE']);
      expect(res.text).to.contain(`href="/catalogue/${year - 1}/elements/ARCHIVE"`);
      const frag = await search(`q=archeologie&year=${year - 1}`, { ...fr, ...HTMX() });
      expect(frag.headers.get('hx-replace-url')).to.equal(`/catalogue?q=archeologie&year=${year - 1}`);
    });

    it('keeps another institution’s catalogue out', async () => {
      const other = await t.createInstitution({ code: 'other', hostNames: ['other.test'] });
      await store(t).importBatch({ institutionId: other.id, label: 'test' }, year, { components: [], formations: [], links: [], elements: [{ code: 'OTHER1', titleFr: 'Économie maritime', titleEn: 'Maritime economics' }] }, { source: 'test' });
      expect(codes(await search('q=maritime'))).to.deep.equal([]);
      expect(codes(await search('q=maritime', { ...fr, host: 'other.test' }))).to.deep.equal(['OTHER1']);
      expect((await t.get(`/catalogue/${year}/elements/OTHER1`)).status).to.equal(404);
    });
  });

  describe('browse and element pages', () => {
    it('lists the components with what they offer, then a component’s formations', async () => {
      const list = await t.get('/catalogue/components', en);
      expect(list.status).to.equal(200);
      expect(list.text).to.contain(`href="/catalogue/${year}/components/ECO"`).and.contain('Faculty of Economics');
      expect(list.text).to.contain('1 programme and 5 courses open to exchange students');
      const eco = await t.get(`/catalogue/${year}/components/ECO`, en);
      expect(eco.status).to.equal(200);
      expect(eco.text).to.contain('Faculty of Economics and Management').and.contain(`href="/catalogue/${year}/formations/L3ECO"`);
      expect(eco.text).to.contain('mailto:ri-eco@univ.example').and.contain('Claire Dupont');
      expect(eco.text).to.contain('href="/catalogue?component=ECO"');
    });

    it('shows a formation with its tree of open elements, nested', async () => {
      const res = await t.get(`/catalogue/${year}/formations/L3ECO`, fr);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('Licence 3 Économie').and.contain('Licence').and.contain('0311');
      const ue = res.text.indexOf(`/catalogue/${year}/elements/UE1"`);
      const nested = res.text.indexOf('<ul class="pub-tree">', ue);
      expect(ue).to.be.greaterThan(0);
      expect(nested).to.be.greaterThan(ue);
      expect(res.text.indexOf(`/catalogue/${year}/elements/MICRO"`)).to.be.greaterThan(nested);
      expect(res.text).to.not.contain('TRAVAIL');
      expect((await t.get(`/catalogue/${year}/formations/NOPE`)).status).to.equal(404);
    });

    it('shows every detail of an element in the visitor’s language', async () => {
      const path = `/catalogue/${year}/elements/ECOENV`;
      const frPage = await t.get(path, fr);
      expect(frPage.status).to.equal(200);
      expect(frPage.text).to.contain('<h1>Économie de l’environnement</h1>');
      for (const s of ['Les instruments économiques des politiques climatiques.', 'Évaluer une taxe carbone.', 'Microéconomie.', '4 ECTS pour les étudiants en échange (5 ECTS pour les autres)', 'anglais', 'Campus Sud', '0311', 'Premier semestre', 'Analyse coûts-bénéfices', 'mardi', '10:15–12:15', 'B204', 'Faculté d’économie', 'Licence 3 Économie', 'Semestre 2 (printemps)', '36 h']) {
        expect(frPage.text, s).to.contain(s);
      }
      expect(frPage.text).to.contain(`${path}</a>`);
      const enPage = await t.get(`${path}?lang=en`);
      expect(enPage.text).to.contain('<h1>Environmental economics</h1>').and.contain('The economic instruments of climate policy.').and.contain('Assess a carbon tax.');
      expect(enPage.text).to.contain('Tuesday').and.contain('First semester').and.contain('4 ECTS for exchange students (5 ECTS for others)');
      const fallback = await t.get(`/catalogue/${year}/elements/URBAN`, en);
      expect(fallback.text).to.contain('<h1 lang="fr">Sociologie urbaine</h1>');
    });

    it('keeps the page of a closed element, saying it is not open this year', async () => {
      const res = await t.get(`/catalogue/${year}/elements/TRAVAIL`, en);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('Labour economics').and.contain('This course is not open to incoming exchange students');
    });

    it('answers 404 for unknown codes and years, and redirects a link without a year', async () => {
      for (const p of [`/catalogue/${year}/elements/NOPE`, `/catalogue/1999/elements/ECOENV`, `/catalogue/${year}/elements/%3Cscript%3E`, `/catalogue/${year}/components/NOPE`]) {
        const res = await t.get(p, en);
        expect(res.status, p).to.equal(404);
        expect(res.text, p).to.contain('Page not found').and.not.contain('<script>');
      }
      const redirect = await t.get('/catalogue/elements/ECOENV');
      expect(redirect.status).to.equal(302);
      expect(redirect.headers.get('location')).to.equal(`/catalogue/${year}/elements/ECOENV`);
      // only last year has it: its latest page
      expect((await t.get('/catalogue/elements/ARCHIVE')).headers.get('location')).to.equal(`/catalogue/${year - 1}/elements/ARCHIVE`);
      expect((await t.get('/catalogue/elements/NOPE')).status).to.equal(404);
    });

    it('is in the main menu for everyone', async () => {
      const home = await t.get('/', en);
      expect(home.text).to.contain('href="/catalogue"').and.contain('Course catalogue');
    });
  });

  describe('JSON API', () => {
    it('searches with the same parameters, paged, with bilingual titles and stable page URLs', async () => {
      const res = await t.get('/api/v1/catalogue/elements?q=economie&semester=S2&component=ECO');
      expect(res.status).to.equal(200);
      const body = res.json();
      expect(body.year).to.equal(year);
      expect(body.items.map((i: { code: string }) => i.code)).to.include.members(['ECOENV', 'HIST']);
      expect(body.items.every((i: { component: { code: string } }) => i.component.code === 'ECO')).to.equal(true);
      const env = body.items.find((i: { code: string }) => i.code === 'ECOENV');
      expect(env.title).to.deep.equal({ fr: 'Économie de l’environnement', en: 'Environmental economics' });
      expect(env.component).to.deep.equal({ code: 'ECO', name: { fr: 'Faculté d’économie', en: 'Faculty of Economics' } });
      expect(env.url).to.match(new RegExp(`^https?://[^/]+/catalogue/${year}/elements/ECOENV$`));
      const paged = (await t.get('/api/v1/catalogue/elements?q=seminaire&pageSize=10&page=3')).json();
      expect([paged.total, paged.page, paged.pageCount, paged.items.length]).to.deep.equal([24, 3, 3, 4]);
      expect((await t.get('/api/v1/catalogue/elements?pageSize=7')).status).to.equal(400);
      expect((await t.get('/api/v1/catalogue/elements?semester=S3')).status).to.equal(400);
    });

    it('gives an element with everything about it, closed ones included', async () => {
      const res = await t.get(`/api/v1/catalogue/elements/${year}/ECOENV`);
      expect(res.status).to.equal(200);
      const e = res.json();
      expect(e).to.deep.include({ code: 'ECOENV', year, ects: 5, mobilityEcts: 4, semester: 'S2', seats: 10, openToMobility: true, isced: '0311' });
      expect(e.learningOutcomes).to.deep.equal({ fr: 'Évaluer une taxe carbone.', en: 'Assess a carbon tax.' });
      expect(e.exchangeTypes).to.deep.equal([{ code: 'first-semester', name: { fr: 'Premier semestre', en: 'First semester' } }]);
      expect(e.timetable).to.deep.equal([{ day: 2, start: '10:15', end: '12:15', room: 'B204', kind: 'CM' }]);
      expect(e.component.contacts[0]).to.deep.include({ email: 'ri-eco@univ.example' });
      expect(e.formations.map((f: { code: string }) => f.code)).to.deep.equal(['L3ECO']);
      expect(e.url).to.match(new RegExp(`/catalogue/${year}/elements/ECOENV$`));
      expect((await t.get(`/api/v1/catalogue/elements/${year}/TRAVAIL`)).json().openToMobility).to.equal(false);
      expect((await t.get(`/api/v1/catalogue/elements/${year}/NOPE`)).status).to.equal(404);
      expect((await t.get('/api/v1/catalogue/elements/abcd/ECOENV')).status).to.equal(400);
    });

    it('lists formations and components, and gives a formation with its tree', async () => {
      const formations = (await t.get(`/api/v1/catalogue/formations?year=${year}`)).json();
      expect(formations.items.map((f: { code: string }) => f.code).sort()).to.deep.equal(['L3ECO', 'L3LET', 'M1RI']);
      const l3 = formations.items.find((f: { code: string }) => f.code === 'L3ECO');
      expect(l3).to.deep.include({ elements: 5, level: 3 });
      expect(l3.diplomaType).to.deep.equal({ code: 'LIC', name: { fr: 'Licence', en: 'Bachelor' } });
      const tree = (await t.get(`/api/v1/catalogue/formations/${year}/L3ECO`)).json();
      expect(tree.tree.map((n: { code: string }) => n.code)).to.deep.equal(['UE1', 'HIST', 'ECOENV']);
      expect(tree.tree[0].children.map((n: { code: string }) => n.code)).to.deep.equal(['MICRO', 'MACRO']);
      const components = (await t.get('/api/v1/catalogue/components')).json();
      expect(components.items.map((c: { code: string }) => c.code).sort()).to.deep.equal(['ECO', 'INT', 'LET']);
      expect(components.items.find((c: { code: string }) => c.code === 'INT')).to.deep.include({ formations: 1, elements: 24 });
    });

    it('is documented in OpenAPI as public', async () => {
      const doc = (await t.get('/api/v1/openapi.json')).json();
      for (const p of ['/catalogue/elements', '/catalogue/elements/{year}/{code}', '/catalogue/formations', '/catalogue/formations/{year}/{code}', '/catalogue/components']) {
        expect(doc.paths[p]?.get?.security, p).to.deep.equal([]);
      }
    });
  });
});
