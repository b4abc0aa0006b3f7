import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const REPO = path.resolve(here, '..', '..');
const EXAMPLES = path.join(REPO, 'examples');
const BROKEN = path.join(here, 'test', 'fixtures', 'broken-theme');
const VERSION = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8')).version as string;
const CSS = `/assets/custom-example@${VERSION}/theme.css`;
const LOGO = `/assets/custom-example@${VERSION}/logo.svg`;
const INTRO_EN = 'Welcome to Université Exemple!';
const INTRO_FR = 'Bienvenue à l’Université Exemple !';

/** WCAG 2 relative luminance and contrast ratio of two #rrggbb colours. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m);
  return (x! + 0.05) / (y! + 0.05);
}

describe('example custom theme (Université Exemple)', () => {
  let t: TestPlatform;
  /** Make `theme` the institution's theme, with these institution settings for it. */
  const useTheme = async (theme: string, settings: Record<string, unknown> = {}) => {
    await t.knex('institutions').where({ id: t.institution.id }).update({ theme, settings: JSON.stringify({ [theme]: settings }) });
    t.platform.institutions.invalidate();
  };

  before(async () => {
    t = await startTestPlatform({ plugins: ['hello', 'custom-example', 'broken-example'], pluginPaths: [EXAMPLES, BROKEN] });
  });
  after(async () => t?.stop());
  beforeEach(async () => useTheme('custom-example'));

  it('links its theme.css after the core CSS, and shows its logo', async () => {
    const res = await t.get('/', { 'accept-language': 'en' });
    expect(res.status).to.equal(200);
    const core = res.text.indexOf('/smile.css"');
    const theme = res.text.indexOf(`href="${CSS}"`);
    expect(core).to.be.greaterThan(-1);
    expect(theme).to.be.greaterThan(core);
    expect(res.text).to.contain(`<img src="${LOGO}" alt="" class="logo">`);
    const css = await t.get(CSS);
    expect(css.status).to.equal(200);
    expect(css.headers.get('content-type')).to.match(/^text\/css/);
    const svg = await t.get(LOGO);
    expect(svg.status).to.equal(200);
    expect(svg.headers.get('content-type')).to.equal('image/svg+xml');
    expect(svg.text).to.contain('<title id="ue-logo-title">Université Exemple</title>');
  });

  it('uses its override of the hello page, in both languages', async () => {
    const en = await t.get('/hello', { 'accept-language': 'en' });
    expect(en.status).to.equal(200);
    expect(en.text).to.contain(INTRO_EN).and.contain('<h1>Say hello</h1>');
    expect(en.text).to.contain('<label for="hello-name">Your first name</label>');
    const fr = await t.get('/hello', { 'accept-language': 'fr' });
    expect(fr.text).to.contain(INTRO_FR).and.contain('<h1>Dire bonjour</h1>');
  });

  it('keeps the form working in the override: a validation error is shown next to the field', async () => {
    const res = await t.submitForm('/hello?lang=en', '/hello', { name: '   ' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain(INTRO_EN);
    expect(res.text).to.contain('aria-invalid="true" aria-describedby="hello-name-error"');
    expect(res.text).to.contain('<p id="hello-name-error" class="field-error">Please give your first name.</p>');
    const ok = await t.submitForm('/hello', '/hello', { name: 'Ada' });
    expect(ok.status).to.equal(302);
  });

  it('overrides a core string in both languages', async () => {
    expect((await t.get('/', { 'accept-language': 'en' })).text).to.contain('Université Exemple — welcoming international students, with SMILE');
    expect((await t.get('/', { 'accept-language': 'fr' })).text).to.contain('Université Exemple — l’accueil des étudiants internationaux, avec SMILE');
  });

  it('is gone when the institution switches back to the base theme', async () => {
    await useTheme('base');
    const home = await t.get('/', { 'accept-language': 'en' });
    expect(home.text).not.to.contain(CSS).and.not.to.contain(LOGO);
    expect(home.text).to.contain('SMILE — incoming international mobility');
    const hello = await t.get('/hello', { 'accept-language': 'en' });
    expect(hello.text).to.contain('<h1>Say hello</h1>').and.not.to.contain(INTRO_EN);
  });

  it('falls back to the base theme when a theme template throws, and reports it to admins', async () => {
    await useTheme('broken-example');
    const res = await t.get('/hello', { 'accept-language': 'en' });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<h1>Say hello</h1>').and.contain('<form method="post" action="/hello"');
    const errors = t.resolve(coreServices.platformAdmin).themeErrors();
    expect(errors).to.have.property('broken-example');
    expect(errors['broken-example']!.message).to.contain('notALocal');
  });

  it('writes a valid primaryColor setting into the page as --primary, and ignores an invalid one', async () => {
    await useTheme('custom-example', { primaryColor: '#7a1f5c' });
    const good = await t.get('/', { 'accept-language': 'en' });
    expect(good.text).to.contain('--primary:#7a1f5c;');
    expect(good.text.indexOf('--primary:#7a1f5c;')).to.be.greaterThan(good.text.indexOf(CSS));
    await useTheme('custom-example', { primaryColor: 'red;}body{display:none' });
    const bad = await t.get('/', { 'accept-language': 'en' });
    expect(bad.status).to.equal(200);
    expect(bad.text).not.to.contain('display:none').and.not.to.contain('--primary:');
  });

  it('keeps a WCAG AA contrast (4.5:1) for text in its colours', () => {
    const css = readFileSync(path.join(here, 'public', 'theme.css'), 'utf8');
    const v = Object.fromEntries([...css.matchAll(/--([a-z-]+):\s*(#[0-9a-fA-F]{6})/g)].map((m) => [m[1]!, m[2]!]));
    const pairs: [string, string][] = [
      ['fg', 'bg'], ['fg', 'card'], ['muted', 'bg'], ['muted', 'card'], ['accent', 'bg'], ['accent', 'card'],
      ['primary', 'bg'], ['primary', 'card'], ['danger', 'bg'], ['danger', 'card'],
    ];
    for (const [a, b] of pairs) expect(contrast(v[a]!, v[b]!), `--${a} on --${b}`).to.be.at.least(4.5);
    // buttons: white text on --primary and on --danger
    expect(contrast('#ffffff', v.primary!)).to.be.at.least(4.5);
    expect(contrast('#ffffff', v.danger!)).to.be.at.least(4.5);
  });

  it('passes `smile theme validate`', function () {
    this.timeout(60_000);
    const env = { ...process.env, SMILE_PLUGIN_PATHS: '', SMILE_CONFIG: '' };
    const r = spawnSync(process.execPath, [path.join(REPO, 'core', 'bin', 'smile.js'), 'theme', 'validate', 'examples/custom-theme', '--plugins', 'examples/hello-plugin'], { cwd: REPO, env, encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.status, r.stdout).to.equal(0);
    expect(r.stdout).to.contain('0 error(s), 0 warning(s)');
  });
});
