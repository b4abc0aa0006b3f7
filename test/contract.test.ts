import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { discoverPlugins, findRootForTests } from './support/platform.js';
import { startTestPlatform } from '@smile/sdk/testing';
import { migrateDown, migrateUp } from '@smile/core';

const root = findRootForTests();
const examples = path.join(root, 'examples');
const all = discoverPlugins({ rootDir: root, extraPaths: [examples] });

// Every plugin, theme and example boots on its own, migrates down and up again, and renders the home page.
describe('plugin contract', () => {
  for (const p of all) {
    it(`${p.id} (${p.manifest.kind}) boots alone, migrates down and up, and renders`, async () => {
      const t = await startTestPlatform({ plugins: [p.id], pluginPaths: [examples] });
      try {
        const sources = t.platform.migrationSources();
        const mine = sources.filter((s: { owner: string }) => s.owner === p.id);
        await migrateDown(t.knex, sources, { owner: p.id, all: true });
        await migrateUp(t.knex, sources);
        const applied = await t.knex('smile_migrations').where({ owner: p.id }).pluck('name');
        const files = mine.flatMap((s: { dir: string }) => {
          try {
            return readdirSync(s.dir).filter((f) => /\.(ts|js)$/.test(f));
          } catch {
            return [];
          }
        });
        expect(applied).to.have.length(files.length);
        const home = await t.get('/');
        expect(home.status).to.equal(200);
        expect(home.text).to.contain('<main');
      } finally {
        await t.stop();
      }
    });
  }

  it('the examples import nothing from the core, only @smile/sdk', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const full = path.join(d, f);
        if (f === 'node_modules') continue;
        if (statSync(full).isDirectory()) walk(full);
        else if (f.endsWith('.ts')) files.push(full);
      }
    };
    walk(examples);
    expect(files.length).to.be.greaterThan(3);
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      expect(src, f).not.to.match(/from ['"](@smile\/core|(\.\.\/)+core\/)/);
    }
  });
});

describe('plugin-owned hooks', () => {
  const fixtures = path.join(root, 'test', 'fixtures');

  it('a dependent plugin taps another plugin\'s hooks, ordered by stage', async () => {
    const t = await startTestPlatform({ plugins: ['greeting-tapper'], pluginPaths: [fixtures] });
    try {
      const res = await t.get('/greeting');
      expect(res.text).to.equal('HELLO world');
    } finally {
      await t.stop();
    }
  });
});
