/**
 * What browsers, API clients and load balancers see: error pages and bodies, request ids,
 * health and readiness probes. The platform runs with a production configuration (NODE_ENV=production).
 */
import { expect } from 'chai';
import { ErrorCodes } from '@smile/sdk';
import { migrationStatus } from '@smile/core';
import { configFor, createStore, fixture, http, listening, Platform, type Res, type Store } from './support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-language': 'en' };

/** Nothing internal in a body shown to a visitor: no error detail, no stack frame, no source path. */
function expectNoInternals(res: Res) {
  expect(res.text).not.to.contain('hunter2');
  expect(res.text).not.to.contain('ECONNREFUSED');
  expect(res.text).not.to.match(/\bat .+\(.*:\d+:\d+\)/);
  expect(res.text).not.to.contain('http-probe/src');
  expect(res.text).not.to.contain('node_modules');
}

describe('HTTP behaviour (production configuration)', function () {
  let store: Store;
  let p: Platform;
  let url: string;
  const get = (path: string, headers: Record<string, string> = {}) => http(url, 'GET', path, headers);

  before(async function () {
    this.timeout(120_000);
    store = await createStore();
    const config = configFor(store, { pluginPaths: [fixture('http-probe')], env: { NODE_ENV: 'production' } });
    expect(config.production).to.equal(true);
    p = await Platform.boot({ config, only: ['http-probe', 'base'] });
    url = await listening(p);
  });
  after(async () => {
    await p?.stop();
    await store?.dispose();
  });

  it('answers an unknown page with a 404 HTML page showing the request id', async () => {
    const res = await get('/no/such/page', HTML);
    expect(res.status).to.equal(404);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    const id = res.headers['x-request-id'] as string;
    expect(id).to.match(UUID);
    expect(res.text).to.contain(id);
    expect(res.text).to.match(/<html/i);
  });

  it('answers an unknown API route with a JSON error, even when the client prefers HTML', async () => {
    for (const headers of [{}, HTML]) {
      const res = await get('/api/v1/no-such-thing', headers);
      expect(res.status).to.equal(404);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.json()).to.deep.equal({ error: { code: ErrorCodes.NOT_FOUND, message: 'not found', requestId: res.headers['x-request-id'] } });
    }
  });

  it('turns an uncaught error in an API route into a 500 with a request id and no internals', async () => {
    const res = await get('/api/v1/http-probe/boom');
    expect(res.status).to.equal(500);
    expect(res.headers['cache-control']).to.equal('no-store');
    const body = res.json();
    expect(body).to.deep.equal({ error: { code: ErrorCodes.INTERNAL, message: 'internal error', requestId: res.headers['x-request-id'] } });
    expect(body.error.requestId).to.match(UUID);
    expectNoInternals(res);
  });

  it('turns an uncaught error in a page route into a 500 page with a request id and no internals', async () => {
    const res = await get('/http-probe/boom', HTML);
    expect(res.status).to.equal(500);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    expect(res.text).to.contain(res.headers['x-request-id'] as string);
    expectNoInternals(res);
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const mine = 'lb-7f3a9c2e-0001';
    const res = await get('/api/v1/http-probe/boom', { 'x-request-id': mine });
    expect(res.headers['x-request-id']).to.equal(mine);
    expect(res.json().error.requestId).to.equal(mine);
    const ok = await get('/api/v1/institution', { 'x-request-id': mine });
    expect(ok.status).to.equal(200);
    expect(ok.headers['x-request-id']).to.equal(mine);

    const bad = await get('/api/v1/institution', { 'x-request-id': 'has spaces <and> tags' });
    expect(bad.headers['x-request-id']).to.match(UUID);
  });

  it('serves /healthz and /readyz as JSON', async () => {
    const health = await get('/healthz');
    expect(health.status).to.equal(200);
    expect(health.headers['content-type']).to.match(/^application\/json/);
    expect(health.json().status).to.equal('ok');
    expect(health.json().uptime).to.be.a('number');

    const ready = await get('/readyz');
    expect(ready.status).to.equal(200);
    expect(ready.json()).to.deep.equal({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('reports 503 on /readyz while migrations are pending, 200 once they are applied', async function () {
    this.timeout(120_000);
    const s2 = await createStore();
    const q = await Platform.prepare({ config: configFor(s2, { env: { NODE_ENV: 'production' } }), only: [] });
    try {
      const u = await listening(q);
      const pending = (await migrationStatus(q.db.knex, q.migrationSources())).filter((m) => !m.applied).length;
      expect(pending).to.be.greaterThan(0);
      const res = await http(u, 'GET', '/readyz');
      expect(res.status).to.equal(503);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.json()).to.deep.equal({ status: 'not ready', checks: { database: 'ok', migrations: `${pending} pending` } });

      await q.migratePhase();
      const after = await http(u, 'GET', '/readyz');
      expect(after.status).to.equal(200);
      expect(after.json().status).to.equal('ready');
    } finally {
      await q.stop();
      await s2.dispose();
    }
  });
});
