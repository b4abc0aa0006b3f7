/**
 * The demo catalogue: realistic, deterministic, valid; seeded at first start through the import
 * engine (this year and last year), searchable; and `smile seed catalogue --size N` for benchmarks.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { startTestPlatform } from '@smile/sdk/testing';
import { DEMO_SIZE, demoCatalogue, generateCatalogue, previousYearCatalogue } from '../src/demo.js';
import { searchElements } from '../src/search.js';
import type { CatalogueBatch } from '../src/types.js';
import { validateBatch } from '../src/validate.js';
import { store } from './support.js';

const none = () => ({ components: new Set<string>(), formations: new Set<string>(), elements: new Set<string>() });

/** Depth of the deepest tree (1 = an element at the top of a formation). */
function depth(batch: CatalogueBatch): number {
  const parentOf = new Map(batch.links.filter((l) => l.parentCode).map((l) => [`${l.formationCode}\u0000${l.childCode}`, l.parentCode!]));
  let deepest = 0;
  for (const l of batch.links) {
    let d = 1;
    let at = l.parentCode;
    while (at) {
      d++;
      at = parentOf.get(`${l.formationCode}\u0000${at}`) ?? null;
    }
    deepest = Math.max(deepest, d);
  }
  return deepest;
}

describe('catalogue demo data', () => {
  const batch = demoCatalogue();

  it('is a realistic catalogue: 12+ components, 2,000+ elements with real French and English titles', () => {
    expect(batch.components.length).to.be.at.least(12);
    expect(batch.elements.length).to.equal(DEMO_SIZE).and.to.be.at.least(2000);
    for (const e of batch.elements) {
      expect(e.titleFr, e.code).to.be.a('string').and.not.equal('');
      expect(e.titleEn, e.code).to.be.a('string').and.not.equal('');
      expect(`${e.titleFr} ${e.titleEn}`, e.code).not.to.match(/\b(course|cours|element|élément|ue|ec)\s*\d+\s*$/i);
    }
    const titles = batch.elements.map((e) => e.titleFr);
    expect(new Set(titles).size, 'distinct French titles').to.be.above(1000);
    expect(titles).to.include.members(['Microéconomie', 'Droit des obligations', 'Chimie organique']);
    expect(batch.elements.map((e) => e.titleEn)).to.include.members(['Microeconomics', 'Law of obligations', 'Organic chemistry']);
    const c = batch.components.find((x) => x.code === 'DSP')!;
    expect(c).to.deep.include({ nameFr: 'UFR Droit et science politique', nameEn: 'Faculty of Law and Political Science', campus: 'Campus Centre-ville' });
    expect(c.contacts!.map((x) => x.email)).to.include('ri-droit@demo.example');
    expect(new Set(batch.formations.map((f) => f.diplomaType))).to.include.members(['LIC', 'MAS', 'BUT', 'DU', 'DFG']);
    for (const f of batch.formations) {
      expect(f.isced, f.code).to.match(/^\d{4}$/);
      expect(f.eqf, f.code).to.be.within(5, 8);
    }
  });

  it('has several languages of instruction, both semesters and year-long courses, closed and restricted courses', () => {
    const langs = new Set(batch.elements.flatMap((e) => e.languages ?? []));
    expect([...langs]).to.include.members(['fr', 'en', 'es', 'de', 'it']);
    const english = batch.elements.filter((e) => e.kind === 'EC' && e.languages?.includes('en')).length;
    expect(english, 'courses taught in English').to.be.above(150);
    const semesters = new Set(batch.elements.map((e) => e.semester));
    expect([...semesters]).to.include.members(['S1', 'S2', 'annual']);
    expect(batch.elements.some((e) => e.openToMobility === false)).to.equal(true);
    expect(batch.elements.some((e) => e.exchangeTypes?.length)).to.equal(true);
    expect(batch.elements.some((e) => typeof e.seats === 'number')).to.equal(true);
    expect(batch.elements.some((e) => e.timetable?.length)).to.equal(true);
    for (const e of batch.elements.filter((x) => x.kind === 'EC')) expect([2, 3, 4, 5, 6], `${e.code} ects`).to.include(e.ects);
  });

  it('builds UE → EC and UE → module → EC trees, a UE’s ECTS being the sum of its children’s, with courses shared by two formations', () => {
    expect(depth(batch)).to.be.at.least(3);
    const placements = new Map<string, Set<string>>();
    for (const l of batch.links) placements.set(l.childCode, (placements.get(l.childCode) ?? new Set()).add(l.formationCode));
    const shared = [...placements.values()].filter((f) => f.size > 1);
    expect(shared.length, 'elements in two formations').to.be.above(20);
    expect(placements.size, 'every element is placed').to.equal(batch.elements.length);

    const byCode = new Map(batch.elements.map((e) => [e.code, e]));
    for (const u of batch.elements.filter((e) => e.kind !== 'EC')) {
      const kids = batch.links.filter((l) => l.parentCode === u.code).map((l) => byCode.get(l.childCode)!);
      expect(kids.length, `${u.code} has children`).to.be.above(0);
      expect(u.ects, `${u.code} ECTS`).to.equal(kids.reduce((s, k) => s + (k.ects ?? 0), 0));
    }
  });

  it('has unique codes and passes the import validation', () => {
    expect(new Set(batch.elements.map((e) => e.code)).size).to.equal(batch.elements.length);
    expect(new Set(batch.formations.map((f) => f.code)).size).to.equal(batch.formations.length);
    expect(validateBatch(batch, none())).to.deep.equal([]);
    expect(validateBatch(previousYearCatalogue(batch), none())).to.deep.equal([]);
  });

  it('is the same every time; size N gives exactly N elements', () => {
    expect(JSON.stringify(demoCatalogue())).to.equal(JSON.stringify(batch));
    for (const n of [1, 37, 3000]) {
      const b = generateCatalogue({ size: n });
      expect(b.elements.length, `size ${n}`).to.equal(n);
      expect(validateBatch(b, none()), `size ${n}`).to.deep.equal([]);
    }
    // a larger catalogue only adds formations after those of a smaller one
    const small = generateCatalogue({ size: 3000 });
    expect(small.elements.slice(0, 2000)).to.deep.equal(batch.elements.slice(0, 2000));
  });

  it('last year’s offer differs a little: a few courses are new this year', () => {
    const previous = previousYearCatalogue(batch);
    expect(previous.elements.length).to.be.below(batch.elements.length).and.above(batch.elements.length * 0.95);
    expect(previous.formations.map((f) => f.code)).to.deep.equal(batch.formations.map((f) => f.code));
  });

  describe('seeded at first start', () => {
    let t: TestPlatform;
    before(async () => {
      t = await startTestPlatform({ plugins: ['catalogue', 'base'], demo: true });
    });
    after(async () => t?.stop());

    it('imports this year’s and last year’s catalogue, which a search for “economie” finds', async () => {
      const s = store(t);
      const year = s.currentYear();
      expect(await s.years(t.institution.id)).to.include.members([year, year - 1]);
      const count = async (y: number) => Number((await t.knex('catalogue_elements').where({ institution_id: t.institution.id, year: y }).count({ n: '*' }).first())!.n);
      expect(await count(year)).to.equal(DEMO_SIZE);
      expect(await count(year - 1)).to.be.within(DEMO_SIZE * 0.95, DEMO_SIZE - 1);

      const found = await searchElements(t.knex, t.institution.id, { q: 'economie', year, lang: 'fr', pageSize: 50 });
      expect(found.total).to.be.above(10);
      expect(found.hits.some((h) => /Économie/.test(h.titleFr))).to.equal(true);
      const en = await searchElements(t.knex, t.institution.id, { q: 'organic chemistry', year, lang: 'en' });
      expect(en.hits.map((h) => h.titleEn)).to.include('Organic chemistry');
    });

    it('stores the trees, shared courses and component details', async () => {
      const s = store(t);
      const year = s.currentYear();
      const f = (await s.formation(t.institution.id, year, 'L1-ECO'))!;
      expect(f).to.deep.include({ nameFr: 'Licence Économie et gestion – 1re année', nameEn: 'Bachelor in Economics and management – year 1', level: 1, componentCode: 'ECO' });
      const tree = await s.tree(t.institution.id, f.id);
      expect(tree.length).to.be.above(5);
      const deep = tree.some((ue) => ue.children.some((m) => m.children.length > 0));
      expect(deep, 'a UE → module → EC branch').to.equal(true);
      const shared = await t.knex('catalogue_links').where({ institution_id: t.institution.id, year }).groupBy('child_id').havingRaw('count(distinct formation_id) > 1').select('child_id');
      expect(shared.length).to.be.above(20);
      const details = await t.knex('catalogue_component_details').where({ institution_id: t.institution.id });
      expect(details.length).to.be.at.least(12);
    });
  });

  describe('smile seed catalogue --size N', function () {
    this.timeout(300_000);
    const saved: Record<string, string | undefined> = {};
    let dataDir = '';
    let dropDatabase: (() => Promise<void>) | undefined;
    let databaseUrl: string | undefined;

    before(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'smile-seed-'));
      for (const k of ['DATABASE_URL', 'SMILE_DATA_DIR', 'SMILE_LOG_LEVEL', 'SMILE_CONFIG']) saved[k] = process.env[k];
      if (process.env.DATABASE_URL) {
        // a database of its own on the server
        const { default: knexFactory } = await import('knex');
        const name = `smile_seedtest_${randomBytes(5).toString('hex')}`;
        const server = process.env.DATABASE_URL;
        const admin = knexFactory({ client: 'pg', connection: server, pool: { min: 0, max: 1 } });
        await admin.raw(`create database ${name}`);
        await admin.destroy();
        const u = new URL(server);
        u.pathname = `/${name}`;
        databaseUrl = u.toString();
        dropDatabase = async () => {
          const a = knexFactory({ client: 'pg', connection: server, pool: { min: 0, max: 1 } });
          await a.raw(`drop database if exists ${name} with (force)`).catch(() => undefined);
          await a.destroy();
        };
      }
      process.env.DATABASE_URL = databaseUrl ?? '';
      process.env.SMILE_DATA_DIR = dataDir;
      process.env.SMILE_LOG_LEVEL = 'silent';
      // the other plugins stay out of this test (the catalogue needs none of them)
      const plugins = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
      const others = readdirSync(plugins)
        .map((d) => {
          try {
            return JSON.parse(readFileSync(path.join(plugins, d, 'package.json'), 'utf8')).smile?.id as string | undefined;
          } catch {
            return undefined;
          }
        })
        .filter((id): id is string => !!id && id !== 'catalogue');
      const config = path.join(dataDir, 'smile.config.json');
      writeFileSync(config, JSON.stringify({ plugins: { disabled: others } }));
      process.env.SMILE_CONFIG = config;
    });
    after(async () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** `smile <args>` in this process: exit code and printed lines. */
    const smile = async (...args: string[]) => {
      // a variable, so that the type checker does not follow the kernel's sources
      const core = '@smile/core';
      const { cli } = (await import(core)) as { cli: (argv: string[], out: (l: string) => void, err: (l: string) => void) => Promise<number> };
      const out: string[] = [];
      const code = await cli(args, (l) => out.push(l), (l) => out.push(l));
      return { code, out };
    };

    it('generates and imports N elements, printing the counts; a second run finds them all unchanged', async () => {
      const first = await smile('seed', 'catalogue', '--size', '3000', '--year', '2031');
      expect(first.code, first.out.join('\n')).to.equal(0);
      expect(first.out.join('\n')).to.include('academic year 2031–2032').and.match(/elements: +3000 created, 0 updated, 0 unchanged/);
      expect(first.out[0]).to.match(/^generated 14 components, \d+ formations, 3000 teaching elements/);

      const again = await smile('seed', 'catalogue', '--size', '3000', '--year', '2031');
      expect(again.code, again.out.join('\n')).to.equal(0);
      expect(again.out.join('\n')).to.match(/elements: +0 created, 0 updated, 3000 unchanged/);
    });

    it('refuses a size that is not a number', async () => {
      const r = await smile('seed', 'catalogue', '--size', 'lots');
      expect(r.code).to.equal(2);
      expect(r.out.join('\n')).to.include('--size');
    });
  });
});
