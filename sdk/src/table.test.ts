import { expect } from 'chai';
import knexFactory from 'knex';
import { defineTable, isTableRegionRequest, parseTableState, tableUrl, type TableSpecInput } from './table.js';
import { columnSql, escapeLike, tableConditions, tableOrder } from './table-query.js';
import { buildTableView, formatCell, pageWindow } from './table-view.js';

const input: TableSpecInput = {
  id: 'students',
  caption: { fr: 'Étudiants', en: 'Students' },
  columns: [
    { key: 'name', label: { fr: 'Nom', en: 'Name' }, sortable: true },
    { key: 'credits', label: { fr: 'Crédits', en: 'Credits' }, type: 'number', sortable: true, firstDir: 'desc' },
    { key: 'arrived', label: { fr: 'Arrivée', en: 'Arrival' }, type: 'date', sortable: true },
    { key: 'note', label: { fr: 'Note', en: 'Note' } },
  ],
  filters: [
    { key: 'country', label: { fr: 'Pays', en: 'Country' }, type: 'select', options: [{ value: 'IT', label: { fr: 'Italie', en: 'Italy' } }, { value: 'DE', label: { fr: 'Allemagne', en: 'Germany' } }] },
    { key: 'city', label: { fr: 'Ville', en: 'City' }, type: 'text' },
    { key: 'active', label: { fr: 'Actif', en: 'Active' }, type: 'boolean' },
    { key: 'credits', label: { fr: 'Crédits', en: 'Credits' }, type: 'range' },
    { key: 'arrived', label: { fr: 'Arrivée', en: 'Arrival' }, type: 'range', valueType: 'date', sql: 'arrived_at' },
  ],
  search: { columns: ['name', "first_name || ' ' || last_name"] },
  defaultSort: { key: 'name' },
  uniqueKey: 'id',
};
const spec = defineTable(input);

describe('sdk table: defineTable', () => {
  it('fills in defaults and freezes the spec', () => {
    expect(spec.pageSizes).to.deep.equal([10, 25, 50, 100]);
    expect(spec.pageSize).to.equal(25);
    expect(spec.prefix).to.equal('');
    expect(Object.isFrozen(spec)).to.equal(true);
    expect(defineTable({ ...input, pageSizes: [5, 20] }).pageSize).to.equal(5);
  });

  it('refuses inconsistent specs at definition time', () => {
    const bad: [Partial<TableSpecInput>, RegExp][] = [
      [{ id: 'Bad id' }, /id must match/],
      [{ columns: [] }, /at least one column/],
      [{ columns: [input.columns[0]!, input.columns[0]!] }, /duplicate column/],
      [{ defaultSort: { key: 'note' } }, /defaultSort "note" must be a sortable column/],
      [{ defaultSort: { key: 'nope' } }, /defaultSort/],
      [{ filters: [{ key: 'lang', label: { fr: 'L', en: 'L' }, type: 'text' }] }, /clashes/],
      [{ filters: [{ key: 'page', label: { fr: 'P', en: 'P' }, type: 'text' }] }, /clashes/],
      [{ filters: [{ key: 'x', label: { fr: 'X', en: 'X' }, type: 'text' }, { key: 'x', label: { fr: 'X', en: 'X' }, type: 'text' }] }, /clashes/],
      [{ filters: [{ key: 'x', label: { fr: 'X', en: 'X' }, type: 'select' }] }, /needs options/],
      [{ pageSizes: [0] }, /pageSizes/],
      [{ pageSize: 30 }, /pageSize must be one of/],
      [{ prefix: 'x' }, /prefix/],
      [{ search: { columns: [] } }, /search needs/],
    ];
    for (const [change, msg] of bad) expect(() => defineTable({ ...input, ...change } as TableSpecInput), msg.source).to.throw(TypeError, msg);
  });
});

describe('sdk table: parseTableState', () => {
  it('gives the defaults for an empty query', () => {
    expect(parseTableState(spec, {})).to.deep.equal({ q: '', filters: {}, sort: 'name', dir: 'asc', page: 1, size: 25, extra: {}, prefix: '' });
  });

  it('reads every valid parameter', () => {
    const s = parseTableState(spec, {
      q: '  Ada  ', sort: 'credits', dir: 'asc', page: '3', size: '50', country: 'IT', city: ' Rome ', active: 'false',
      credits_min: '10', credits_max: '30.5', arrived_min: '2024-02-29', arrived_max: '2024-12-31',
    });
    expect(s).to.deep.include({ q: 'Ada', sort: 'credits', dir: 'asc', page: 3, size: 50 });
    expect(s.filters).to.deep.equal({ country: 'IT', city: 'Rome', active: 'false', credits_min: '10', credits_max: '30.5', arrived_min: '2024-02-29', arrived_max: '2024-12-31' });
  });

  it('falls back to defaults on bad values, never throwing', () => {
    const s = parseTableState(spec, {
      sort: 'password', dir: 'sideways', page: '0', size: '7', country: 'XX', active: 'maybe', credits_min: 'ten', credits_max: 'Infinity',
      arrived_min: '2023-02-30', arrived_max: '31/12/2024', city: '   ',
    });
    expect(s).to.deep.include({ sort: 'name', dir: 'asc', page: 1, size: 25 });
    expect(s.filters).to.deep.equal({});
    for (const page of ['-1', '1.5', 'abc', '1e99', '']) expect(parseTableState(spec, { page }).page, page).to.equal(1);
    expect(parseTableState(spec, { page: '1e3' }).page).to.equal(1000);
    for (const odd of [undefined, null, 42, {}, ['x'], [['nested']]]) expect(() => parseTableState(spec, { q: odd, sort: odd, country: odd })).not.to.throw();
  });

  it('takes the first of repeated parameters, strips control characters and caps text at 200 characters', () => {
    expect(parseTableState(spec, { q: ['first', 'second'], country: ['DE', 'IT'] })).to.deep.include({ q: 'first', filters: { country: 'DE' } });
    expect(parseTableState(spec, { q: 'a\u0000b\nc' }).q).to.equal('a b c');
    expect(parseTableState(spec, { q: 'x'.repeat(500) }).q).to.have.length(200);
  });

  it('uses the column first direction when sorting on a new column without a direction', () => {
    expect(parseTableState(spec, { sort: 'credits' }).dir).to.equal('desc');
    expect(parseTableState(spec, { sort: 'arrived' }).dir).to.equal('asc');
    expect(parseTableState(spec, { sort: 'note' }).sort).to.equal('name');
  });

  it('normalises booleans', () => {
    for (const [v, want] of [['1', 'true'], ['yes', 'true'], ['on', 'true'], ['0', 'false'], ['no', 'false'], ['x', undefined]]) {
      expect(parseTableState(spec, { active: v }).filters.active, v).to.equal(want);
    }
  });

  it('keeps the page’s other parameters, but not lang nor _csrf', () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, 'v']));
    const s = parseTableState(spec, { tab: 'files', lang: 'en', _csrf: 'secret', 'bad key': 'x', empty: '', ...many });
    expect(s.extra.tab).to.equal('files');
    expect(s.extra).not.to.have.any.keys('lang', '_csrf', 'bad key', 'empty');
    expect(Object.keys(s.extra)).to.have.length(20);
  });

  it('reads prefixed parameters only', () => {
    const p = defineTable({ ...input, prefix: 'st_' });
    const s = parseTableState(p, { st_q: 'Ada', q: 'other', st_country: 'IT', st_page: '2', page: '5' });
    expect(s).to.deep.include({ q: 'Ada', page: 2, prefix: 'st_', filters: { country: 'IT' } });
    expect(s.extra).to.deep.equal({ q: 'other', page: '5' });
  });
});

describe('sdk table: tableUrl', () => {
  const state = parseTableState(spec, { q: 'Ada & Bob', country: 'IT', sort: 'credits', dir: 'desc', page: '3', size: '10', tab: 'x' });

  it('keeps everything it does not change', () => {
    expect(tableUrl(state, { page: 4 }, '/students')).to.equal('/students?tab=x&q=Ada+%26+Bob&country=IT&sort=credits&dir=desc&size=10&page=4');
    expect(tableUrl(state)).to.equal('?tab=x&q=Ada+%26+Bob&country=IT&sort=credits&dir=desc&size=10&page=3');
  });

  it('goes back to page 1 when anything but the page changes', () => {
    expect(tableUrl(state, { sort: 'name', dir: 'asc' })).to.equal('?tab=x&q=Ada+%26+Bob&country=IT&sort=name&dir=asc&size=10');
    expect(tableUrl(state, { size: 50 })).not.to.contain('page=');
    expect(tableUrl(state, { page: 1 })).not.to.contain('page=');
  });

  it('merges filters, removing empty ones, and clears the search', () => {
    expect(tableUrl(state, { q: '', filters: { country: undefined, city: 'Paris' } })).to.equal('?tab=x&city=Paris&sort=credits&dir=desc&size=10');
  });

  it('round-trips through parseTableState, prefix included', () => {
    const p = defineTable({ ...input, prefix: 'st_' });
    const s = parseTableState(p, { st_q: "l'été 100% _x_", st_city: '<b>', st_sort: 'arrived', st_page: '2', other: 'y' });
    const url = new URL(tableUrl(s, {}, '/p'), 'http://x');
    expect(url.pathname).to.equal('/p');
    expect(parseTableState(p, Object.fromEntries(url.searchParams))).to.deep.equal(s);
  });
});

describe('sdk table: isTableRegionRequest', () => {
  const ctx = (h: Record<string, string>) => ({ koa: { get: (n: string) => h[n.toLowerCase()] ?? '' } }) as any;
  it('is true only for htmx requests aimed at the region', () => {
    expect(isTableRegionRequest(ctx({ 'hx-request': 'true', 'hx-target': 'div#students' }), spec)).to.equal(true);
    expect(isTableRegionRequest(ctx({ 'hx-request': 'true', 'hx-target': 'students' }), spec)).to.equal(true);
    expect(isTableRegionRequest(ctx({ 'hx-request': 'true', 'hx-target': 'body' }), spec)).to.equal(false);
    expect(isTableRegionRequest(ctx({ 'hx-request': 'true', 'hx-target': 'div#other' }), spec)).to.equal(false);
    expect(isTableRegionRequest(ctx({ 'hx-target': 'div#students' }), spec)).to.equal(false);
    expect(isTableRegionRequest(ctx({ 'hx-request': 'true', 'hx-target': 'div#%E0%A4%A' }), spec)).to.equal(false);
  });
});

describe('sdk table: SQL', () => {
  const knex = knexFactory({ client: 'pg' });
  const evil = "x'; drop table students; -- %_\\";
  const state = parseTableState(spec, { q: `${evil} second`, city: evil, country: 'IT', active: 'true', credits_min: '5', arrived_max: '2024-01-31', sort: 'name' });

  it('binds every user value and never puts it in the SQL text', () => {
    for (const fold of [{ kind: 'translate' as const }, { kind: 'unaccent' as const, schema: 'public' }]) {
      const conds = tableConditions(spec, state, fold);
      expect(conds).to.have.length(12); // 7 search words (one AND term each), country, city, active, credits min, arrived max
      for (const c of conds) {
        expect(c.sql).not.to.contain('drop').and.not.to.contain('second');
        expect(() => knex.raw(c.sql, c.bindings as any).toSQL()).not.to.throw();
      }
      const all = conds.flatMap((c) => c.bindings);
      expect(all).to.include(`%${escapeLike("x';")}%`).and.include('%second%').and.include('IT').and.include(true).and.include(5).and.include('2024-01-31');
    }
  });

  it('quotes plain names as identifiers of the wrapped query and keeps expressions as written', () => {
    expect(columnSql('name')).to.deep.equal({ sql: '??', bindings: ['smile_t.name'] });
    expect(columnSql("a || ' ' || b").sql).to.equal("(a || ' ' || b)");
    const order = tableOrder(spec, { ...state, dir: 'desc' }, { kind: 'translate' });
    expect(knex.raw(order.sql, order.bindings as any).toString()).to.match(/^translate\(lower\(\("smile_t"\."name"\)::text\), '.+', '.+'\) desc nulls last, "smile_t"\."name" desc nulls last, "smile_t"\."id" desc nulls last$/);
    const num = tableOrder(spec, { ...state, sort: 'credits' }, { kind: 'translate' });
    expect(knex.raw(num.sql, num.bindings as any).toString()).to.equal('"smile_t"."credits" asc nulls last, "smile_t"."id" asc nulls last');
  });

  it('escapes LIKE wildcards', () => {
    expect(escapeLike('100%_a\\b')).to.equal('100\\%\\_a\\\\b');
  });
});

describe('sdk table: view model', () => {
  const t = (key: string, vars: Record<string, string | number> = {}) => `${key}${Object.keys(vars).length ? JSON.stringify(vars) : ''}`;

  it('formats numbers and dates for the language', () => {
    const col = { key: 'n', label: { fr: 'N', en: 'N' }, type: 'number' as const };
    expect(formatCell(col, { n: 1234.5 }, { lang: 'en', t })).to.equal('1,234.5');
    expect(formatCell(col, { n: '1234.5' }, { lang: 'fr', t })).to.equal(new Intl.NumberFormat('fr').format(1234.5)).and.match(/^1\s234,5$/u);
    expect(formatCell(col, { n: null }, { lang: 'fr', t })).to.equal('');
    expect(formatCell({ ...col, type: 'boolean' }, { n: true }, { lang: 'fr', t })).to.equal('core:table.yes');
    expect(formatCell({ ...col, type: 'date' }, { n: new Date(2024, 4, 3) }, { lang: 'fr', t })).to.equal('3 mai 2024');
    expect(formatCell({ ...col, format: (v) => `#${v}` }, { n: 7 }, { lang: 'fr', t })).to.equal('#7');
  });

  it('lists pages with gaps around the current one', () => {
    expect(pageWindow(1, 1)).to.deep.equal([1]);
    expect(pageWindow(3, 7)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(pageWindow(1, 20)).to.deep.equal([1, 2, null, 20]);
    expect(pageWindow(10, 20)).to.deep.equal([1, null, 9, 10, 11, null, 20]);
    expect(pageWindow(4, 20)).to.deep.equal([1, 2, 3, 4, 5, null, 20]);
    expect(pageWindow(20, 20)).to.deep.equal([1, null, 19, 20]);
  });

  it('gives headers with aria-sort and toggling links, counts and page links', () => {
    const state = { ...parseTableState(spec, { sort: 'credits', dir: 'desc', size: '10', country: 'IT' }), page: 2 };
    const result = { rows: [{ name: 'Ada', credits: 1500, arrived: null, note: '<b>' }], total: 31, page: 2, pageCount: 4, from: 11, to: 20, state, spec, view: null as any };
    const v = buildTableView(result, { lang: 'fr', baseUrl: '/s', t });
    expect(v.headers.map((h) => h.ariaSort)).to.deep.equal([undefined, 'descending', undefined, undefined]);
    expect(v.headers[1]!.href).to.equal('/s?country=IT&sort=credits&dir=asc&size=10');
    expect(v.headers[0]!.href).to.equal('/s?country=IT&sort=name&dir=asc&size=10');
    expect(v.headers[3]!.href).to.equal(undefined);
    expect(v.countKey).to.equal('range');
    expect(v.numbers).to.deep.equal({ total: '31', from: '11', to: '20', page: '2', pageCount: '4' });
    expect(v.rows[0]!.map((c) => c.text)).to.deep.equal(['Ada', new Intl.NumberFormat('fr').format(1500), '', '<b>']);
    expect(v.prev).to.equal('/s?country=IT&sort=credits&dir=desc&size=10');
    expect(v.next).to.equal('/s?country=IT&sort=credits&dir=desc&size=10&page=3');
    expect(v.pages.filter((p) => p.kind === 'page' && p.current).map((p) => (p as { n: number }).n)).to.deep.equal([2]);
    expect(v.clearHref).to.equal('/s?sort=credits&dir=desc&size=10');
    expect(v.filtered).to.equal(true);
    expect(v.filters.find((f) => f.key === 'credits')!.names).to.deep.equal(['credits_min', 'credits_max']);
    expect(buildTableView({ ...result, total: 0, rows: [], pageCount: 1 }, { lang: 'en', baseUrl: '/s', t }).countKey).to.equal('none');
    expect(buildTableView({ ...result, total: 1, pageCount: 1 }, { lang: 'en', baseUrl: '/s', t }).countKey).to.equal('one');
  });
});
