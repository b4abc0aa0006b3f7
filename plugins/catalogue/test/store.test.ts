import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { searchElements } from '../src/search.js';
import { boot, smallBatch, store, system } from './support.js';

describe('catalogue store', () => {
  let t: TestPlatform;
  const year = 2026;
  before(async () => {
    t = await boot();
  });
  after(async () => t?.stop());

  it('imports a batch: components, formations, elements and a tree where one element sits in two formations', async () => {
    const report = await store(t).importBatch(system(t), year, smallBatch(), { source: 'test' });
    expect(report.errors).to.deep.equal([]);
    expect(report.counts.elements).to.deep.include({ created: 5, updated: 0 });
    expect(report.counts.links.created).to.equal(6);
    const f = (await store(t).formation(t.institution.id, year, 'L3ECO'))!;
    const tree = await store(t).tree(t.institution.id, f.id);
    expect(tree.map((n) => n.element.code)).to.deep.equal(['UE1', 'HIST']);
    expect(tree[0]!.children.map((n) => n.element.code)).to.deep.equal(['MICRO', 'MACRO']);
    const hist = (await store(t).element(t.institution.id, year, 'HIST'))!;
    expect((await store(t).formationsOf(t.institution.id, hist.id)).map((x) => x.code).sort()).to.deep.equal(['L3ECO', 'L3LET']);
    expect(await t.knex('catalogue_elements').where({ code: 'HIST' }).count({ n: '*' }).first()).to.deep.equal({ n: 1 } as any);
    expect(hist.componentCode).to.equal('ECO');
  });

  it('a second identical import changes nothing; a changed title is an update with its before and after', async () => {
    const again = await store(t).importBatch(system(t), year, smallBatch(), { source: 'test' });
    expect(again.counts.elements).to.deep.include({ created: 0, updated: 0, unchanged: 5 });
    const b = smallBatch();
    b.elements[1]!.titleEn = 'Microeconomics I';
    const r = await store(t).importBatch(system(t), year, b, { source: 'test' });
    expect(r.counts.elements.updated).to.equal(1);
    expect(r.changes).to.deep.include({ entity: 'element', code: 'MICRO', change: 'updated', fields: { titleEn: ['Microeconomics', 'Microeconomics I'] } });
  });

  it('a field edited by hand survives the next import, which remembers the imported value', async () => {
    const micro = (await store(t).element(t.institution.id, year, 'MICRO'))!;
    const edited = await store(t).saveElement(system(t), year, micro.id, { mobilityEcts: 5, ects: 4 }, micro.version);
    expect(edited.localFields.sort()).to.deep.equal(['ects', 'mobilityEcts']);
    const b = smallBatch();
    b.elements[1]!.ects = 7;
    b.elements[1]!.titleEn = 'Microeconomics I';
    await store(t).importBatch(system(t), year, b, { source: 'test' });
    const after = (await store(t).element(t.institution.id, year, 'MICRO'))!;
    expect(after.ects).to.equal(4);
    expect(after.mobilityEcts).to.equal(5);
    expect(after.imported.ects).to.equal(7);
    const reverted = await store(t).revertElementField(system(t), after.id, 'ects', after.version);
    expect(reverted.ects).to.equal(7);
    expect(reverted.localFields).to.deep.equal(['mobilityEcts']);
  });

  it('refuses a batch with errors and writes nothing', async () => {
    const before = await t.knex('catalogue_elements').count({ n: '*' }).first();
    const b = smallBatch();
    b.elements.push({ code: 'NEW1', titleFr: 'Nouveau', ects: -3, line: 7 }, { code: 'MICRO', titleFr: 'Doublon', line: 8 });
    b.links.push({ formationCode: 'L3ECO', parentCode: 'NOPE', childCode: 'NEW1', line: 9 });
    const r = await store(t).importBatch(system(t), year, b, { source: 'test' });
    expect(r.ok).to.equal(false);
    expect(r.errors.map((e) => [e.line, e.field])).to.deep.equal([[7, 'ects'], [8, 'code'], [9, 'parentCode']]);
    expect(await t.knex('catalogue_elements').count({ n: '*' }).first()).to.deep.equal(before);
  });

  it('a dry run reports and writes nothing', async () => {
    const b = smallBatch();
    b.elements.push({ code: 'NEW2', titleFr: 'Sociologie des organisations' });
    const r = await store(t).importBatch(system(t), year, b, { source: 'test', dryRun: true });
    expect(r.ok).to.equal(true);
    expect(r.counts.elements.created).to.equal(1);
    expect(await store(t).element(t.institution.id, year, 'NEW2')).to.equal(undefined);
  });

  it('a full sync closes what the source no longer has', async () => {
    const b = smallBatch();
    b.elements = b.elements.filter((e) => e.code !== 'ROMAN');
    b.links = b.links.filter((l) => l.childCode !== 'ROMAN');
    const r = await store(t).importBatch(system(t), year, b, { source: 'test', closeMissing: true });
    expect(r.counts.elements.closed).to.equal(1);
    const roman = (await store(t).element(t.institution.id, year, 'ROMAN'))!;
    expect(roman.inSource).to.equal(false);
    expect(roman.openToMobility).to.equal(false);
  });

  it('finds "Économie" courses for "economie", English words, prefixes and a typo', async () => {
    const s = (q: string) => searchElements(t.knex, t.institution.id, { q, year, lang: 'fr' }).then((r) => r.hits.map((h) => h.code).sort());
    expect(await s('economie')).to.include.members(['HIST', 'UE1']);
    expect(await s('microeconomics')).to.deep.equal(['MICRO']);
    expect(await s('macro')).to.deep.equal(['MACRO']);
    expect(await s('microeconomie')).to.deep.equal(['MICRO']);
    expect(await s('macroeconomei')).to.deep.equal(['MACRO']);
    expect(await s(`'; drop table x; -- <b>`)).to.deep.equal([]);
  });

  it('searches never read the whole elements table (the GIN index or an index in title order)', async () => {
    const { explainSearch } = await import('../src/search.js');
    // a word most elements have: left to itself, the planner would read the whole table
    const many = Array.from({ length: 2000 }, (_, i) => ({ code: `BULK${i}`, titleFr: `Atelier ${i}`, descriptionFr: 'Cours magistral et travaux dirigés', ects: 3 }));
    expect((await store(t).importBatch(system(t), year + 5, { components: [], formations: [], elements: many, links: [] }, { source: 'test' })).ok).to.equal(true);
    await t.knex.raw('analyze catalogue_elements');
    const scans: string[] = [];
    const visit = (node: any, q: string) => {
      if (!node || typeof node !== 'object') return;
      if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'catalogue_elements') scans.push(q);
      for (const v of Object.values(node)) (Array.isArray(v) ? v : [v]).forEach((x) => visit(x, q));
    };
    for (const q of ['magistral', 'cours travaux', 'atelier', 'magistarl', '']) {
      for (const plan of await explainSearch(t.knex, t.institution.id, { q, year: year + 5, lang: 'fr', openOnly: true })) visit(plan, q);
    }
    expect(scans).to.deep.equal([]);
  });

  it('copies a year forward with its trees and local edits', async () => {
    const counts = await store(t).copyYear(system(t), year, year + 1);
    expect(counts.elements).to.equal(5);
    const micro = (await store(t).element(t.institution.id, year + 1, 'MICRO'))!;
    expect(micro.mobilityEcts).to.equal(5);
    const f = (await store(t).formation(t.institution.id, year + 1, 'L3ECO'))!;
    expect((await store(t).tree(t.institution.id, f.id))[0]!.children.map((n) => n.element.code)).to.deep.equal(['MICRO', 'MACRO']);
    const refused = await store(t).copyYear(system(t), year, year + 1).then(() => null, (e: Error) => e.message);
    expect(refused).to.match(/already has a catalogue/);
  });
});

describe('catalogue change detection', () => {
  it('timetable slots stored by PostgreSQL (keys reordered) are not a change', async () => {
    const { sameValue } = await import('../src/rows.js');
    expect(sameValue([{ day: 1, end: '12:00', start: '10:00', room: 'A1' }], [{ start: '10:00', end: '12:00', day: 1, room: 'A1' }])).to.equal(true);
    expect(sameValue([{ day: 1, start: '10:00' }], [{ day: 2, start: '10:00' }])).to.equal(false);
    expect(sameValue('6.00', 6)).to.equal(true);
    expect(sameValue(null, undefined)).to.equal(true);
    expect(sameValue('6.00', null)).to.equal(false);
  });
});
