import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SmileError, ErrorCodes, PLUGIN_ID } from '@smile/sdk';
import { CORE_VERSION } from '../plugins/discovery.js';
import { findRoot } from '../config.js';


/** The files of a new plugin, by relative path. */
export function scaffoldFiles(id: string): Record<string, string> {
  const major = CORE_VERSION.split('.')[0] === '0' ? `^${CORE_VERSION.split('.').slice(0, 2).join('.')}` : `^${CORE_VERSION.split('.')[0]}`;
  const table = `${id.replace(/-/g, '_')}_notes`;
  return {
    'package.json': `${JSON.stringify(
      {
        name: `smile-plugin-${id}`,
        version: '0.1.0',
        type: 'module',
        private: true,
        smile: { id, kind: 'feature', engines: { smile: major }, dependsOn: {}, maturity: 'experimental', privacy: {} },
        scripts: { test: 'mocha' },
      },
      null,
      2,
    )}\n`,
    '.mocharc.json': `${JSON.stringify({ 'node-option': ['import=tsx'], spec: ['test/**/*.test.ts'], timeout: 60000 }, null, 2)}\n`,
    'README.md': `# ${id}\n\nA SMILE plugin. \`npm test\` boots a real platform with this plugin and checks its page.\n`,
    'src/index.ts': `import { definePlugin, z } from '@smile/sdk';

export default definePlugin({
  settings: z.object({
    title: z.string().default('${id}'),
  }),
  permissions: {
    '${id}:note.read': {
      description: { fr: 'Lire les notes', en: 'Read notes' },
      defaultRoles: ['manager'],
    },
  },
  register(r) {
    r.route({
      method: 'GET',
      path: '/${id}',
      public: true,
      async handler(ctx) {
        const notes = await ctx.db.table('${table}').orderBy('id');
        await ctx.render('${id}/index', { title: r.settings.title, notes });
      },
    });
    r.api({
      method: 'GET',
      path: '/${id}/notes',
      permission: '${id}:note.read',
      summary: 'Notes of this institution',
      response: z.array(z.object({ id: z.number(), text: z.string() })),
      async handler(ctx) {
        return (await ctx.db.table('${table}').orderBy('id')).map((n: { id: number; text: string }) => ({ id: n.id, text: n.text }));
      },
    });
  },
});
`,
    'migrations/001-notes.ts': `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('${table}', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.text('text').notNullable();
    t.index(['institution_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('${table}');
}
`,
    'views/index.ejs': `<h1><%= title %></h1>
<p><%= t('${id}:intro') %></p>
<ul>
<% for (const n of notes) { %>  <li><%= n.text %></li>
<% } %></ul>
`,
    'locales/fr.json': `${JSON.stringify({ intro: 'Votre nouveau plugin fonctionne.' }, null, 2)}\n`,
    'locales/en.json': `${JSON.stringify({ intro: 'Your new plugin works.' }, null, 2)}\n`,
    'test/plugin.test.ts': `import path from 'node:path';
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

describe('${id} plugin', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ plugins: ['${id}'], pluginPaths: [here] });
  });
  after(async () => t?.stop());

  it('shows its page with the notes of the institution only', async () => {
    const other = await t.createInstitution({ code: 'other', hostNames: ['other.test'] });
    await t.knex('${table}').insert([
      { institution_id: t.institution.id, text: 'A note for us' },
      { institution_id: other.id, text: 'Not for us' },
    ]);
    const res = await t.get('/${id}', { 'accept-language': 'en' });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Your new plugin works.');
    expect(res.text).to.contain('A note for us');
    expect(res.text).not.to.contain('Not for us');
  });

  it('guards its API with its permission', async () => {
    expect((await t.get('/api/v1/${id}/notes')).status).to.equal(401);
    const res = await t.get('/api/v1/${id}/notes', { authorization: await t.token(['${id}:note.read']) });
    expect(res.status).to.equal(200);
    expect(res.json().map((n: { text: string }) => n.text)).to.deep.equal(['A note for us']);
  });
});
`,
  };
}

export async function createPlugin(args: string[], out: (l: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { dir: { type: 'string' } } });
  const id = positionals[0];
  if (!id || !PLUGIN_ID.test(id)) {
    throw new SmileError(ErrorCodes.VALIDATION, `usage: smile create-plugin <id> — the id must be kebab-case (e.g. "exchange-notes"), got "${id ?? ''}"`, { key: 'id' });
  }
  const root = findRoot();
  const dir = path.resolve(values.dir ?? (existsSync(path.join(root, 'plugins')) && process.cwd() === root ? path.join(root, 'plugins', id) : id));
  if (existsSync(dir)) throw new SmileError(ErrorCodes.VALIDATION, `${dir} already exists`, { key: 'dir' });
  for (const [rel, content] of Object.entries(scaffoldFiles(id))) {
    const f = path.join(dir, rel);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, content);
  }
  out(`created ${dir}`);
  out(`next: cd ${path.relative(process.cwd(), dir) || '.'} && npx mocha   (or set SMILE_PLUGIN_PATHS=${path.dirname(dir)} and npm start)`);
  return 0;
}
