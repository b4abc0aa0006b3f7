/**
 * `smile create-plugin` scaffolds a plugin, outside the repository, whose own tests pass out of the box.
 *
 * The plugin imports `@smile/sdk` and runs mocha/tsx: outside the workspace those come from a
 * `node_modules` next to it (NODE_PATH does not apply to ES modules). Until the SDK is published,
 * a symlink to the checkout's node_modules stands in for `npm install`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { REPO, runSmile, tempDir } from './support.js';

function npx(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, SMILE_PLUGIN_PATHS: '', SMILE_CONFIG: '' };
    const child = spawn('npx', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('smile create-plugin', function () {
  this.timeout(180_000);

  it('scaffolds a plugin whose own tests pass out of the box', async () => {
    const dir = path.join(tempDir('smile-newplugin-'), 'exchange-notes');
    const r = await runSmile(['create-plugin', 'exchange-notes', '--dir', dir], {});
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain(`created ${dir}`);
    for (const f of ['package.json', '.mocharc.json', 'src/index.ts', 'migrations/001-notes.ts', 'views/index.ejs', 'locales/fr.json', 'locales/en.json', 'test/plugin.test.ts']) {
      expect(existsSync(path.join(dir, f)), f).to.equal(true);
    }
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.smile).to.include({ id: 'exchange-notes', kind: 'feature' });
    expect(pkg.smile.engines.smile).to.equal('^0.1');

    symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const run = await npx(['mocha'], dir);
    expect(run.out).to.contain('2 passing');
    expect(run.out).not.to.contain('failing');
    expect(run.code, run.out).to.equal(0);
  });

  it('refuses an id that is not kebab-case, and an existing folder', async () => {
    const bad = await runSmile(['create-plugin', 'Exchange_Notes', '--dir', path.join(tempDir(), 'x')], {});
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('SMILE_ERR_VALIDATION').and.contain('the id must be kebab-case').and.contain('"Exchange_Notes"');

    const existing = tempDir('smile-existing-');
    const again = await runSmile(['create-plugin', 'exchange-notes', '--dir', existing], {});
    expect(again.code).to.equal(2);
    expect(again.stderr).to.contain(`${existing} already exists`);
  });
});
