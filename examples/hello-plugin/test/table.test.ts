// The server-side table component (@smile/sdk defineTable/applyTable + core/table partial), through
// the hello plugin's /hello/all page: search, filter, sort, pages, page size, htmx region, bad input.
import path from 'node:path';
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SPECIAL = ['Élodie Martin', 'Zoë <b>Bold</b>', '100% Pure', 'under_score', 'Back\\slash', "O'Brien", 'Łucja'];
/** 60 greetings: 7 with awkward names, then Visitor 07 … Visitor 59; even index French, odd English; one minute apart. */
const PEOPLE = Array.from({ length: 60 }, (_, i) => ({
  name: SPECIAL[i] ?? `Visitor ${String(i).padStart(2, '0')}`,
  language: i % 2 === 0 ? 'fr' : 'en',
  at: new Date(Date.UTC(2024, 0, 1, 0, i)),
}));
const EN = { 'accept-language': 'en' };
const FR = { 'accept-language': 'fr' };
const EMPTY_FILTERED = 'No results match your search or filters.';
const REGION = { 'hx-request': 'true', 'hx-target': 'div#hello-greetings', 'accept-language': 'en' };

const decode = (s: string) =>
  s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
/** Cell texts of the table body, row by row. */
const rows = (html: string): string[][] => {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1]!)));
};
const names = (html: string) => rows(html).map((r) => r[0]);
const count = (html: string) => decode(/<p id="hello-greetings-count"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '');
const byDateDesc = [...PEOPLE].reverse().map((p) => p.name);

describe('server-side table (hello /hello/all)', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ plugins: ['hello'], pluginPaths: [here] });
    await t.knex('hello_greetings').insert(PEOPLE.map((p) => ({ institution_id: t.institution.id, visitor_name: p.name, language: p.language, created_at: p.at })));
  });
  after(async () => t?.stop());

  it('shows the first page in the layout, sorted by the default sort, with an accessible structure', async () => {
    const res = await t.get('/hello/all', EN);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<html').and.contain('<h1>All greetings</h1>');
    expect(count(res.text)).to.equal('Results 1–25 of 60');
    expect(res.text).to.match(/<p id="hello-greetings-count" class="smile-table__count" role="status">/);
    expect(names(res.text)).to.deep.equal(byDateDesc.slice(0, 25));
    expect(res.text).to.contain('<caption id="hello-greetings-caption">All greetings<span class="smile-table__sr">, sorted by Date, descending</span></caption>');
    expect(res.text).to.match(/<th scope="col" aria-sort="descending">\s*<a id="hello-greetings-sort-created_at"/);
    expect(res.text).to.match(/<form id="hello-greetings-form" class="smile-table__controls" role="search" method="get" action="\/hello\/all"/);
    expect(res.text).to.contain('<label for="hello-greetings-q">Search</label>').and.contain('<button type="submit">Apply</button>');
    expect(res.text).to.match(/<nav class="smile-table__pages" aria-label="Pages of All greetings">/);
    expect(res.text).to.match(/id="hello-greetings-page-1"[^>]*aria-current="page"/);
    expect(res.text).to.contain('role="region" aria-labelledby="hello-greetings-caption" tabindex="0"');
  });

  it('speaks French, numbers and texts included', async () => {
    const res = await t.get('/hello/all?size=100', FR);
    expect(count(res.text)).to.equal('60 résultats');
    expect(res.text).to.contain('<label for="hello-greetings-q">Rechercher</label>');
    expect(rows(res.text)[0]![1]).to.equal('Anglais');
    expect(count((await t.get('/hello/all', FR)).text)).to.equal('Résultats 1 à 25 sur 60');
  });

  it('searches without regard to case or accents, on every word', async () => {
    for (const q of ['elodie', 'ÉLODIE', 'martin elo', 'Elodie']) {
      const res = await t.get(`/hello/all?q=${encodeURIComponent(q)}`, EN);
      expect(names(res.text), q).to.deep.equal(['Élodie Martin']);
      expect(count(res.text)).to.equal('1 result');
    }
    expect(names((await t.get('/hello/all?q=lucja', EN)).text)).to.deep.equal(['Łucja']);
    expect(names((await t.get('/hello/all?q=zoe', EN)).text)).to.deep.equal(['Zoë <b>Bold</b>']);
  });

  it('uses unaccent() once the extension is installed, with the same results', async () => {
    const seen: string[] = [];
    const spy = (q: { sql: string }) => seen.push(q.sql);
    t.knex.on('query', spy);
    await t.get('/hello/all?q=elodie', EN);
    expect(seen.some((s) => s.includes('translate(lower('))).to.equal(true);
    await t.knex.raw('create extension if not exists unaccent');
    seen.length = 0;
    try {
      expect(names((await t.get('/hello/all?q=elodie', EN)).text)).to.deep.equal(['Élodie Martin']);
      expect(seen.some((s) => s.includes('.unaccent(') && s.includes(' like '))).to.equal(true);
      expect(names((await t.get('/hello/all?q=ELODIE', EN)).text)).to.deep.equal(['Élodie Martin']);
      expect(names((await t.get('/hello/all?q=lucja', EN)).text)).to.deep.equal(['Łucja']);
      expect(names((await t.get('/hello/all?sort=visitor_name&dir=asc&size=10', EN)).text).slice(0, 4)).to.deep.equal(['100% Pure', 'Back\\slash', 'Élodie Martin', 'Łucja']);
    } finally {
      t.knex.off('query', spy);
      await t.knex.raw('drop extension if exists unaccent');
    }
  });

  it('filters on the language, and ignores a value that is not an option', async () => {
    const res = await t.get('/hello/all?language=fr&size=50', EN);
    expect(count(res.text)).to.equal('30 results');
    expect(rows(res.text).every((r) => r[1] === 'French')).to.equal(true);
    expect(res.text).to.contain('<option value="fr" selected>French</option>');
    expect(count((await t.get('/hello/all?language=xx', EN)).text)).to.equal('Results 1–25 of 60');
  });

  it('sorts by name (accents folded) and by date, both ways', async () => {
    const asc = names((await t.get('/hello/all?sort=visitor_name&dir=asc&size=100', EN)).text);
    expect(asc.slice(0, 8)).to.deep.equal(['100% Pure', 'Back\\slash', 'Élodie Martin', 'Łucja', "O'Brien", 'under_score', 'Visitor 07', 'Visitor 08']);
    expect(asc.at(-1)).to.equal('Zoë <b>Bold</b>');
    const desc = await t.get('/hello/all?sort=visitor_name&dir=desc&size=100', EN);
    expect(names(desc.text)).to.deep.equal([...asc].reverse());
    expect(desc.text).to.match(/<th scope="col" aria-sort="descending">\s*<a id="hello-greetings-sort-visitor_name"/);
    expect(names((await t.get('/hello/all?sort=created_at&dir=asc&size=10', EN)).text)).to.deep.equal(PEOPLE.slice(0, 10).map((p) => p.name));
  });

  it('pages: page 2, page size, a page past the end', async () => {
    const p2 = await t.get('/hello/all?page=2', EN);
    expect(names(p2.text)).to.deep.equal(byDateDesc.slice(25, 50));
    expect(count(p2.text)).to.equal('Results 26–50 of 60');
    expect(p2.text).to.match(/id="hello-greetings-page-2"[^>]*aria-current="page"/);
    expect(p2.text).to.contain('id="hello-greetings-prev" rel="prev" href="/hello/all?sort=created_at&amp;dir=desc&amp;size=25"');
    expect(p2.text).to.contain('id="hello-greetings-next" rel="next" href="/hello/all?sort=created_at&amp;dir=desc&amp;size=25&amp;page=3"');
    const small = await t.get('/hello/all?size=10', EN);
    expect(names(small.text)).to.have.length(10);
    expect(count(small.text)).to.equal('Results 1–10 of 60');
    expect(small.text).to.contain('id="hello-greetings-page-6"').and.contain('<option value="10" selected>10</option>');
    const last = await t.get('/hello/all?page=99', EN);
    expect(count(last.text)).to.equal('Results 51–60 of 60');
    expect(last.text).to.contain('<span id="hello-greetings-next" class="smile-table__off" aria-disabled="true" tabindex="-1">Next');
  });

  it('falls back to defaults on bad values instead of failing', async () => {
    const res = await t.get('/hello/all?page=abc&size=7&sort=evil%3Bdrop&dir=up&language[]=fr&q[]=x', EN);
    expect(res.status).to.equal(200);
    expect(names(res.text)).to.have.length.greaterThan(0);
    expect((await t.get('/hello/all?page=-3&size=1e9&dir=desc%00', EN)).status).to.equal(200);
  });

  it('answers an htmx request aimed at the region with the region only (and the count out of band)', async () => {
    const res = await t.get('/hello/all?page=2', REGION);
    expect(res.status).to.equal(200);
    expect(res.text).not.to.contain('<html').and.not.to.contain('<h1>').and.not.to.contain('<form');
    expect(res.text.trim()).to.match(/^<p id="hello-greetings-count" hx-swap-oob="innerHTML">Results 26–50 of 60<\/p>\s*<div id="hello-greetings" class="smile-table__region">/);
    expect(names(res.text)).to.deep.equal(byDateDesc.slice(25, 50));
    expect(res.text).to.contain('<input type="hidden" form="hello-greetings-form" name="sort" value="created_at">');
    expect(res.headers.get('vary')).to.match(/HX-Request/i).and.match(/HX-Target/i);
    // htmx 2 sends the bare id
    expect((await t.get('/hello/all', { ...REGION, 'hx-target': 'hello-greetings' })).text).not.to.contain('<h1>');
    // an htmx request aimed elsewhere (e.g. the body) gets the whole view, without the layout
    const other = await t.get('/hello/all', { ...REGION, 'hx-target': 'body' });
    expect(other.text).to.contain('<h1>All greetings</h1>').and.contain('<form').and.not.contain('<html');
  });

  it('treats SQL and HTML in the search box as plain text: results or none, never an error, always escaped', async () => {
    const expect1 = { '%': ['100% Pure'], _: ['under_score'], '\\': ['Back\\slash'], "'": ["O'Brien"], '<b>': ['Zoë <b>Bold</b>'] } as Record<string, string[]>;
    for (const [q, want] of Object.entries(expect1)) {
      const res = await t.get(`/hello/all?q=${encodeURIComponent(q)}`, EN);
      expect(res.status, q).to.equal(200);
      expect(names(res.text), q).to.deep.equal(want);
    }
    const odd = ["'; drop table hello_greetings; --", '" or 1=1 --', '<script>alert(1)</script>', '%%', '?', '??', '$1', ':name', '\u0000x', '[a-z]*', ')', 'x'.repeat(500), '\u{1F600}'];
    for (const q of odd) {
      const res = await t.get(`/hello/all?q=${encodeURIComponent(q)}&language=${encodeURIComponent(q)}`, EN);
      expect(res.status, q).to.equal(200);
      expect(count(res.text), q).to.equal('No results');
      expect(res.text, q).to.contain(EMPTY_FILTERED);
    }
    const xss = await t.get(`/hello/all?q=${encodeURIComponent('<script>alert(1)</script>')}&tab=${encodeURIComponent('"><script>')}`, EN);
    expect(xss.text).not.to.contain('<script>alert(1)</script>').and.not.to.contain('"><script>');
    expect(xss.text).to.contain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(xss.text).to.contain('<input type="hidden" name="tab" value="&#34;&gt;&lt;script&gt;">');
    const data = await t.get('/hello/all?q=zoe', EN);
    expect(data.text).to.contain('Zoë &lt;b&gt;Bold&lt;/b&gt;').and.not.to.contain('<b>Bold</b>');
    expect(await t.knex('hello_greetings').count('* as n').first()).to.deep.equal({ n: 60 });
  });

  it('shows an empty state with a way back', async () => {
    const res = await t.get('/hello/all?q=nobody-here&sort=visitor_name&dir=asc', EN);
    expect(count(res.text)).to.equal('No results');
    expect(res.text).to.contain('No results match your search or filters.').and.not.to.contain('<table');
    expect(res.text).to.contain('<a href="/hello/all?sort=visitor_name&amp;dir=asc&amp;size=25">Clear search and filters</a>');
  });

  it('reproduces a bookmarked view, and its links and form keep its state', async () => {
    const url = '/hello/all?q=visitor&language=en&sort=visitor_name&dir=desc&size=10&page=2&tab=all';
    const a = await t.get(url, EN);
    const b = await t.get(url, { ...EN, cookie: 'smile_lang=en' });
    expect(names(a.text)).to.deep.equal(names(b.text));
    const want = PEOPLE.filter((p) => p.name.startsWith('Visitor') && p.language === 'en').map((p) => p.name).sort().reverse().slice(10, 20);
    expect(names(a.text)).to.deep.equal(want);
    expect(count(a.text)).to.equal('Results 11–20 of 27');
    expect(a.text).to.contain('name="q" value="visitor"').and.contain('<option value="en" selected>English</option>');
    expect(a.text).to.contain('<input type="hidden" name="tab" value="all">');
    expect(a.text).to.contain('href="/hello/all?tab=all&amp;q=visitor&amp;language=en&amp;sort=visitor_name&amp;dir=desc&amp;size=10&amp;page=3"');
    // sorting again keeps search and filters and goes back to page 1
    expect(a.text).to.contain('id="hello-greetings-sort-visitor_name" class="smile-table__sort" href="/hello/all?tab=all&amp;q=visitor&amp;language=en&amp;sort=visitor_name&amp;dir=asc&amp;size=10"');
  });
});

