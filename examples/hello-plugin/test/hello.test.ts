import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

describe('example hello plugin', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ plugins: ['hello'], pluginPaths: [here], settings: { hello: { greeting: 'Bonjour' } } });
  });
  after(async () => t?.stop());

  it('serves its page in the visitor language', async () => {
    const fr = await t.get('/hello', { 'accept-language': 'fr-FR,fr;q=0.9' });
    expect(fr.status).to.equal(200);
    expect(fr.text).to.contain('Dire bonjour').and.contain('Personne n’a encore dit bonjour.');
    const en = await t.get('/hello', { 'accept-language': 'en' });
    expect(en.text).to.contain('Say hello');
  });

  it('renders only the fragment for htmx requests, and varies on it', async () => {
    const res = await t.get('/hello', { 'hx-request': 'true', 'accept-language': 'en' });
    expect(res.text).to.contain('<h1>Say hello</h1>');
    expect(res.text).not.to.contain('<html');
    expect(res.headers.get('vary')).to.match(/HX-Request/i);
  });

  it('refuses a form without the CSRF token', async () => {
    const res = await t.request('POST', '/hello', { form: { name: 'Mallory' } });
    expect(res.status).to.equal(403);
    expect(await t.knex('hello_greetings').where({ visitor_name: 'Mallory' })).to.have.length(0);
  });

  it('shows a validation error next to the field and stores nothing', async () => {
    const res = await t.submitForm('/hello?lang=en', '/hello', { name: '   ' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please give your first name.');
    expect(res.text).to.contain('aria-invalid="true"');
    expect(await t.knex('hello_greetings')).to.have.length(0);
  });

  it('stores a greeting, and its event subscriber runs after commit', async () => {
    const res = await t.submitForm('/hello', '/hello', { name: 'Zoë <script>' });
    expect(res.status).to.equal(302);
    await t.drainJobs();
    const [row] = await t.knex('hello_greetings').where({ visitor_name: 'Zoë <script>' });
    expect(row.institution_id).to.equal(t.institution.id);
    expect(row.acknowledged).to.equal(true);
    const page = await t.get('/hello');
    expect(page.text).to.contain('Zoë &lt;script&gt;');
    expect(page.text).not.to.contain('Zoë <script>');
  });

  it('adds its section to the home page through the hook', async () => {
    const home = await t.get('/', { 'accept-language': 'en' });
    expect(home.text).to.contain('Say hello').and.contain('href="/hello"');
  });

  it('keeps institutions apart', async () => {
    const other = await t.createInstitution({ code: 'other-u', hostNames: ['other.example'] });
    await t.knex('hello_greetings').insert({ institution_id: other.id, visitor_name: 'Elsewhere', language: 'fr' });
    const ours = await t.get('/hello');
    expect(ours.text).not.to.contain('Elsewhere');
    const theirs = await t.get('/hello', { host: 'other.example' });
    expect(theirs.text).to.contain('Elsewhere').and.not.contain('Zoë');
  });

  it('guards its API with its permission, per institution', async () => {
    expect((await t.get('/api/v1/hello/greetings')).status).to.equal(401);
    expect((await t.get('/api/v1/hello/greetings', { authorization: await t.token(['core:plugins.read']) })).status).to.equal(403);
    const res = await t.get('/api/v1/hello/greetings?limit=5', { authorization: await t.token(['hello:greeting.read']) });
    expect(res.status).to.equal(200);
    expect(res.json().map((g: { visitorName: string }) => g.visitorName)).to.deep.equal(['Zoë <script>']);
    const bad = await t.get('/api/v1/hello/greetings?limit=500', { authorization: await t.token(['hello:greeting.read']) });
    expect(bad.status).to.equal(400);
    expect(bad.json().error.code).to.equal('SMILE_ERR_VALIDATION');
  });

  it('documents its API in the OpenAPI document', async () => {
    const doc = (await t.get('/api/v1/openapi.json')).json();
    const op = doc.paths['/hello/greetings'].get;
    expect(op['x-permission']).to.equal('hello:greeting.read');
    expect(op.parameters.map((p: { name: string }) => p.name)).to.include('limit');
  });

  it('adds its command to the smile CLI', function () {
    this.timeout(120000);
    const res = spawnSync(process.execPath, [path.resolve(here, '../../core/bin/smile.js'), 'hello', 'count'], {
      env: { ...process.env, SMILE_PLUGIN_PATHS: here, SMILE_DATA_DIR: path.join(here, '../../var/test-hello-cli'), SMILE_LOG_LEVEL: 'silent', DATABASE_URL: '' },
      encoding: 'utf8',
    });
    expect(res.stderr).to.equal('');
    expect(res.stdout).to.contain('no greetings yet');
    expect(res.status).to.equal(0);
  });
});
