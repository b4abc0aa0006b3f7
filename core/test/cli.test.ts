/**
 * The `smile` command as an operator runs it: migrations, plugin list, API tokens, and the embedded
 * data dir lock. Runs on an embedded data dir, or on its own database of the DATABASE_URL server.
 */
import path from 'node:path';
import { expect } from 'chai';
import { createStore, http, REPO, runSmile, SERVER_DB, startSmile, type SmileServer, type Store } from './support.js';

const HELLO = path.join(REPO, 'examples', 'hello-plugin');
const TOKEN = /^smile_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/;

describe('smile CLI', function () {
  this.timeout(120_000);
  let store: Store;
  let env: Record<string, string>;
  let server: SmileServer | undefined;
  let tokenId = 0;
  let token = '';

  /** Run `smile <args>`, expecting success; returns stdout lines. */
  const ok = async (...args: string[]) => {
    const r = await runSmile(args, env, store.dataDir);
    expect(r.stderr, `smile ${args.join(' ')}`).to.equal('');
    expect(r.code, `smile ${args.join(' ')}`).to.equal(0);
    return r.stdout.trim().split('\n');
  };
  const status = async () => Object.fromEntries((await ok('migrate', 'status')).map((l) => [l.trim().split(/\s+/)[1], l.trim().split(/\s+/)[0]]));
  /** Applied migrations, read in the database. */
  const applied = () => store.query(async (k) => ((await k('smile_migrations').pluck('name')) as string[]).sort());
  const stopServer = async () => {
    const code = await server?.stop();
    server = undefined;
    return code;
  };

  before(async () => {
    store = await createStore();
    env = { ...store.env, SMILE_PLUGIN_PATHS: HELLO };
  });
  after(async () => {
    await stopServer();
    await store?.dispose();
  });

  it('migrate status lists pending migrations of the core and the plugins', async () => {
    const s = await status();
    expect(s['core/001-core']).to.equal('pending');
    expect(s['hello/001-greetings']).to.equal('pending');
    expect(Object.values(s).every((v) => v === 'pending')).to.equal(true);
  });

  it('migrate up applies them', async () => {
    const out = await ok('migrate', 'up');
    expect(out).to.include('migrated core/001-core').and.include('migrated hello/001-greetings');
    expect(out.at(-1)).to.match(/^\d+ migration\(s\) applied$/);
    expect(await applied()).to.include('core/001-core').and.include('hello/001-greetings');
    expect(await store.query((k) => k.schema.hasTable('hello_greetings'))).to.equal(true);
  });

  it('migrate down --plugin hello reverts only hello; migrate up applies it again', async () => {
    const before = await applied();
    expect(await ok('migrate', 'down', '--plugin', 'hello')).to.deep.equal(['reverted hello/001-greetings', '1 migration(s) reverted']);
    expect(await applied()).to.deep.equal(before.filter((m) => m !== 'hello/001-greetings'));
    expect(await store.query((k) => k.schema.hasTable('hello_greetings'))).to.equal(false);

    expect(await ok('migrate', 'up')).to.deep.equal(['migrated hello/001-greetings', '1 migration(s) applied']);
    expect(await applied()).to.deep.equal(before);
    expect(await store.query((k) => k.schema.hasTable('hello_greetings'))).to.equal(true);
  });

  it('start serves the migrated database and creates the default institution', async () => {
    server = await startSmile(env, store.dataDir);
    const ready = await http(server.url, 'GET', '/readyz');
    expect(ready.status).to.equal(200);
    expect((await http(server.url, 'GET', '/api/v1/institution')).json().code).to.equal('default');
  });

  it('refuses a second process on the same embedded data dir with SMILE_ERR_DATA_DIR_LOCKED', async function () {
    if (SERVER_DB) this.skip();
    expect(server, 'the server of the previous test').not.to.equal(undefined);
    const r = await runSmile(['migrate', 'status'], env, store.dataDir);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('SMILE_ERR_DATA_DIR_LOCKED').and.contain(`pid ${server!.child.pid}`).and.contain(store.dataDir);
    expect(r.stdout).to.equal('');
  });

  it('plugins list --json shows id, version, kind, maturity and enabled per institution', async () => {
    expect(await stopServer()).to.equal(0);
    const rows = JSON.parse((await ok('plugins', 'list', '--json')).join('\n'));
    expect(rows.find((r: { id: string }) => r.id === 'hello')).to.deep.equal({ id: 'hello', version: '1.0.0', kind: 'feature', maturity: 'stable', enabled: { default: true } });
    for (const r of rows) expect(r).to.have.all.keys('id', 'version', 'kind', 'maturity', 'enabled');
  });

  it('tokens create prints a token once, which then works against the API', async () => {
    const out = await ok('tokens', 'create', '--institution', 'default', '--name', 'ci', '--permissions', 'core:plugins.read');
    expect(out).to.have.length(2);
    const m = /^token (\d+) created for default; it is shown only once:$/.exec(out[0]!);
    expect(m, out[0]).not.to.equal(null);
    tokenId = Number(m![1]);
    token = out[1]!;
    expect(token).to.match(TOKEN);

    server = await startSmile(env, store.dataDir);
    expect((await http(server.url, 'GET', '/api/v1/plugins')).status).to.equal(401);
    const res = await http(server.url, 'GET', '/api/v1/plugins', { authorization: `Bearer ${token}` });
    expect(res.status).to.equal(200);
    expect(res.json().find((p: { id: string }) => p.id === 'hello')).to.deep.include({ version: '1.0.0', enabled: true });
    expect(await stopServer()).to.equal(0);
  });

  it('tokens list shows tokens without their secret; tokens revoke revokes it', async () => {
    const line = (await ok('tokens', 'list')).find((l) => l.startsWith(`${tokenId} `));
    expect(line).to.match(/\bci\b/).and.match(/\bactive\b/).and.contain('core:plugins.read');
    expect(line).not.to.contain(token.slice(16));

    expect(await ok('tokens', 'revoke', String(tokenId))).to.deep.equal([`token ${tokenId} revoked`]);
    expect((await ok('tokens', 'list')).find((l) => l.startsWith(`${tokenId} `))).to.match(/\brevoked\b/);
    const row = await store.query((k) => k('api_tokens').where({ id: tokenId }).first());
    expect(row.revoked_at).to.be.instanceOf(Date);
  });

  it('roles grant gives a role to someone who signed in once; refuses an unknown e-mail or role, changing nothing', async () => {
    const inst = await store.query((k) => k('institutions').where({ code: 'default' }).first());
    const [person] = await store.query((k) => k('persons').insert({ display_name: 'Ada Admin', email: 'ada@univ.example' }).returning('id'));
    await store.query((k) => k('institution_people').insert({ institution_id: inst.id, person_id: person.id }));
    expect(await ok('roles', 'grant', '--email', 'ADA@univ.example', '--role', 'admin')).to.deep.equal(['ADA@univ.example now holds admin in default']);
    const line = (await ok('roles', 'list')).find((l) => l.startsWith('admin '));
    expect(line).to.match(/parent=supermanager/).and.match(/people=1\b/);
    const unknown = await runSmile(['roles', 'grant', '--email', 'nobody@univ.example', '--role', 'admin'], env, store.dataDir);
    expect(unknown.code).to.not.equal(0);
    expect(unknown.stderr).to.contain('nobody with the e-mail nobody@univ.example has signed in to default yet');
    const badRole = await runSmile(['roles', 'grant', '--email', 'ada@univ.example', '--role', 'wizard'], env, store.dataDir);
    expect(badRole.stderr).to.contain('unknown role "wizard"');
    expect(await store.query((k) => k('role_assignments').where({ person_id: person.id }))).to.have.length(1);
    const audit = await store.query((k) => k('audit_log').where({ action: 'core.role.assigned' }));
    expect(audit.map((a: any) => a.actor_label)).to.deep.equal(['smile roles grant (command line)']);
  });

  it('tokens create refuses an unknown permission with a clear message and creates nothing', async () => {
    const r = await runSmile(['tokens', 'create', '--institution', 'default', '--name', 'typo', '--permissions', 'core:plugins.read,core:plugin.write'], env, store.dataDir);
    expect(r.code).to.not.equal(0);
    expect(r.stderr).to.contain('SMILE_ERR_VALIDATION: unknown permission "core:plugin.write"');
    expect(r.stdout).not.to.match(/smile_/);
    expect(await store.query((k) => k('api_tokens').where({ name: 'typo' }))).to.deep.equal([]);
  });
});
