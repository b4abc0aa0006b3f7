/**
 * A plugin written by hand in a folder outside the repository, loaded by `smile start` through
 * SMILE_PLUGIN_PATHS: its migration runs, its page answers, its home page section shows.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createStore, http, REPO, startSmile, tempDir, type SmileServer, type Store } from './support.js';

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'smile-plugin-campus-tour',
    version: '0.3.0',
    type: 'module',
    private: true,
    smile: { id: 'campus-tour', kind: 'feature', engines: { smile: '^0.1' }, maturity: 'beta' },
  }, null, 2),
  'src/index.ts': `import { definePlugin } from '@smile/sdk';

export default definePlugin({
  register(r) {
    r.route({
      method: 'GET',
      path: '/campus-tour',
      public: true,
      async handler(ctx) {
        const stops = await ctx.db.table('campus_tour_stops').orderBy('position');
        await ctx.render('campus-tour/index', { title: 'Campus tour', stops });
      },
    });
    r.hooks.transformHomeSections.tap((sections, home) => [
      ...sections,
      { plugin: 'campus-tour', title: home.language === 'fr' ? 'Visite du campus' : 'Campus tour', html: '<p><a href="/campus-tour">Start the tour</a></p>' },
    ]);
  },
});
`,
  'migrations/001-stops.ts': `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campus_tour_stops', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('name').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('campus_tour_stops');
}
`,
  'views/index.ejs': `<h1><%= title %></h1>
<p class="count"><%= stops.length %> stops on the tour</p>
<ol><% for (const s of stops) { %><li><%= s.name %></li><% } %></ol>
`,
};

describe('a plugin outside the repository, loaded by smile start', function () {
  this.timeout(120_000);
  let store: Store;
  let server: SmileServer | undefined;

  before(async () => {
    const root = tempDir('smile-external-');
    const dir = path.join(root, 'campus-tour');
    for (const [rel, content] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), content);
    }
    // where `@smile/sdk` comes from once installed (npm install); the plugin folder itself holds only its code
    symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    store = await createStore();
    server = await startSmile({ ...store.env, SMILE_PLUGIN_PATHS: dir }, root);
  });
  after(async () => {
    await server?.stop();
    await store?.dispose();
  });

  it('serves its page, reading its own table', async () => {
    const res = await http(server!.url, 'GET', '/campus-tour', { accept: 'text/html', 'accept-language': 'en' });
    expect(res.status, res.text).to.equal(200);
    expect(res.text).to.contain('<h1>Campus tour</h1>').and.contain('0 stops on the tour');
  });

  it('shows its section on the home page', async () => {
    const res = await http(server!.url, 'GET', '/', { accept: 'text/html', 'accept-language': 'en' });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('data-plugin="campus-tour"').and.contain('Campus tour').and.contain('href="/campus-tour"');
    const fr = await http(server!.url, 'GET', '/', { accept: 'text/html', 'accept-language': 'fr' });
    expect(fr.text).to.contain('Visite du campus');
  });

  it('has created its table and recorded its migration and version', async () => {
    expect(await server!.stop()).to.equal(0);
    server = undefined;
    await store.query(async (k) => {
      expect(await k.schema.hasTable('campus_tour_stops')).to.equal(true);
      expect(await k('smile_migrations').where({ owner: 'campus-tour' }).pluck('name')).to.deep.equal(['campus-tour/001-stops']);
      expect(await k('plugins').where({ id: 'campus-tour' }).first()).to.include({ version: '0.3.0', kind: 'feature', state: 'active' });
    });
  });
});
