/**
 * `smile theme validate`: one small broken theme per rule (core/test/fixtures/themes/<rule>), the
 * shipped themes without errors, and the command's output and exit code.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { installedSnapshot, THEME_RULES, validateTheme, type InstalledSnapshot, type ThemeFinding } from '../src/themes/validate.js';
import { REPO, SMILE_BIN, tempDir } from './support.js';

const themeFixture = (name: string) => path.join(REPO, 'core', 'test', 'fixtures', 'themes', name);
const HELLO = path.join(REPO, 'examples', 'hello-plugin');
const brief = (fs: ThemeFinding[]) => fs.map((f) => `${f.level} ${f.rule} ${f.file ?? '.'}`);

describe('smile theme validate', function () {
  this.timeout(60_000);
  let installed: InstalledSnapshot;
  before(() => {
    installed = installedSnapshot({ rootDir: REPO, extraPaths: [HELLO] });
  });

  it('knows the views, themes and strings of the core and the installed plugins', () => {
    expect([...installed.knownViews]).to.include.members(['core/layout', 'core/home', 'hello/index', 'admin/theme']);
    expect([...installed.installedThemes]).to.include('base');
    expect(installed.knownStrings.get('core')?.has('layout.poweredBy')).to.equal(true);
    expect(installed.knownStrings.get('hello')?.has('errors.required')).to.equal(true);
  });

  for (const dir of ['themes/base', 'examples/custom-theme']) {
    it(`finds nothing to report in ${dir}`, async () => {
      expect(brief(await validateTheme(path.join(REPO, dir), installed))).to.deep.equal([]);
    });
  }

  const cases: [string, string[]][] = [
    ['manifest', ['error SMILE_THEME_MANIFEST package.json']],
    ['parent-unknown', ['error SMILE_THEME_PARENT_UNKNOWN package.json']],
    ['override-unknown', ['error SMILE_THEME_OVERRIDE_UNKNOWN overrides/core/homepage.ejs']],
    ['template-syntax', ['error SMILE_THEME_TEMPLATE_SYNTAX overrides/core/home.ejs']],
    ['layout-outlets', ['error SMILE_THEME_LAYOUT_OUTLETS overrides/core/layout.ejs']],
    ['settings', ['error SMILE_THEME_SETTINGS src/index.ts']],
    ['code', ['error SMILE_THEME_CODE src/index.ts', 'error SMILE_THEME_CODE public/fancy.js', 'error SMILE_THEME_CODE src/helper.js']],
    ['locales', ['warning SMILE_THEME_LOCALES locales/en.json']],
    ['assets', ['warning SMILE_THEME_ASSETS public/brochure.pdf']],
  ];
  for (const [name, expected] of cases) {
    it(`reports ${name} (and nothing else)`, async () => {
      const findings = await validateTheme(themeFixture(name), installed);
      expect(brief(findings)).to.deep.equal(expected);
      for (const f of findings) expect(f.docs).to.equal(`docs/theme-guide.md#${f.rule.toLowerCase()}`);
    });
  }

  it('explains each finding', async () => {
    const msg = async (name: string) => (await validateTheme(themeFixture(name), installed)).map((f) => f.message).join('\n');
    expect(await msg('manifest')).to.contain('smile.kind is "feature"');
    expect(await msg('parent-unknown')).to.contain('"no-such-theme" is not installed');
    expect(await msg('override-unknown')).to.contain('"core" has no view "homepage"').and.contain('home, layout');
    expect(await msg('template-syntax')).to.contain('while compiling ejs').and.contain('a block is not closed').and.not.contain(REPO);
    expect(await msg('layout-outlets')).to.contain('parts.afterMain, parts.foot').and.not.contain('parts.head');
    expect(await msg('settings')).to.contain('motto');
    expect(await msg('code')).to.contain('exports "shout" (function)');
    expect(await msg('locales')).to.contain('missing in English: core:layout.skip');
    expect(await msg('assets')).to.contain('".pdf" files');
  });

  it('checks overrides and strings against what is installed', async () => {
    // without the hello plugin, its view cannot be checked: a warning, not an error
    const bare = installedSnapshot({ rootDir: REPO, extraPaths: [] });
    expect(brief(await validateTheme(path.join(REPO, 'examples', 'custom-theme'), bare))).to.deep.equal([
      'warning SMILE_THEME_OVERRIDE_UNKNOWN overrides/hello/index.ejs',
    ]);
    const dir = tempDir('smile-theme-');
    writeFileSync(path.join(dir, 'package.json'), readFileSync(path.join(themeFixture('assets'), 'package.json')));
    mkdirSync(path.join(dir, 'locales'));
    for (const lang of ['fr', 'en']) writeFileSync(path.join(dir, 'locales', `${lang}.json`), JSON.stringify({ core: { layout: { poweredBi: 'x' } }, nobody: { a: 'b' } }));
    const msgs = (await validateTheme(dir, installed)).map((f) => `${f.level} ${f.rule} ${f.message}`);
    expect(msgs.join('\n')).to.contain('warning SMILE_THEME_LOCALES core has no string layout.poweredBi').and.contain('no installed plugin "nobody"');
  });

  it('reports broken JSON, strings that are not strings, and a package that is not a theme', async () => {
    const dir = tempDir('smile-theme-');
    writeFileSync(path.join(dir, 'package.json'), '{ "name": ');
    mkdirSync(path.join(dir, 'locales'));
    writeFileSync(path.join(dir, 'locales', 'fr.json'), '{ "core": { "layout": { "poweredBy": 3 } } }');
    writeFileSync(path.join(dir, 'locales', 'en.json'), '["not", "an", "object"]');
    expect(brief(await validateTheme(dir, installed))).to.deep.equal([
      'error SMILE_THEME_MANIFEST package.json',
      'error SMILE_THEME_LOCALES locales/fr.json',
      'error SMILE_THEME_LOCALES locales/en.json',
    ]);
    expect(brief(await validateTheme(HELLO, installed))).to.include('error SMILE_THEME_MANIFEST package.json');
  });

  it('refuses an SVG that holds a script', async () => {
    const dir = tempDir('smile-theme-');
    writeFileSync(path.join(dir, 'package.json'), readFileSync(path.join(themeFixture('assets'), 'package.json')));
    mkdirSync(path.join(dir, 'public'));
    writeFileSync(path.join(dir, 'public', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
    expect(brief(await validateTheme(dir, installed))).to.deep.equal(['error SMILE_THEME_CODE public/logo.svg']);
  });

  it('warns about an include() that is not awaited', async () => {
    const dir = tempDir('smile-theme-');
    writeFileSync(path.join(dir, 'package.json'), readFileSync(path.join(themeFixture('assets'), 'package.json')));
    mkdirSync(path.join(dir, 'overrides', 'core'), { recursive: true });
    writeFileSync(path.join(dir, 'overrides', 'core', 'home.ejs'), "<%# an include('x') in a comment is fine %>\n<%- await include('core/table', { table }) %>\n<%- include('core/table', { table }) %>\n");
    const findings = await validateTheme(dir, installed);
    expect(brief(findings)).to.deep.equal(['warning SMILE_THEME_TEMPLATE_SYNTAX overrides/core/home.ejs']);
    expect(findings[0]!.message).to.contain('await include');
  });

  it('has a section in docs/theme-guide.md for every rule', () => {
    const guide = readFileSync(path.join(REPO, 'docs', 'theme-guide.md'), 'utf8');
    for (const rule of Object.keys(THEME_RULES)) expect(guide, rule).to.match(new RegExp(`^### ${rule}$`, 'm'));
  });

  describe('the command', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [SMILE_BIN, 'theme', ...args], { cwd: REPO, env: { ...process.env, SMILE_PLUGIN_PATHS: '', SMILE_CONFIG: '' }, encoding: 'utf8' });

    it('prints one finding per line and exits 1 on errors', () => {
      const r = run('validate', themeFixture('code'));
      expect(r.status).to.equal(1);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).to.equal('error SMILE_THEME_CODE src/index.ts: exports "shout" (function): export only the defineTheme() default (and zod schemas)');
      expect(lines).to.have.length(4);
      expect(lines[3]).to.match(/^3 error\(s\), 0 warning\(s\) in /);
    });

    it('exits 0 with warnings only, and on a valid theme', () => {
      expect(run('validate', themeFixture('assets')).status).to.equal(0);
      const r = run('validate', 'examples/custom-theme', '--plugins', 'examples/hello-plugin');
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      expect(r.stdout.trim()).to.equal('0 error(s), 0 warning(s) in examples/custom-theme');
    });

    it('prints JSON with --json, and its usage when called wrongly', () => {
      const r = run('validate', themeFixture('manifest'), '--json');
      expect(JSON.parse(r.stdout)).to.deep.equal([
        { rule: 'SMILE_THEME_MANIFEST', level: 'error', message: 'smile.kind is "feature": a theme has "kind": "theme"', file: 'package.json', docs: 'docs/theme-guide.md#smile_theme_manifest' },
      ]);
      const bad = run('check');
      expect(bad.status).to.equal(2);
      expect(bad.stderr).to.contain('usage: smile theme validate <dir>');
    });
  });
});
