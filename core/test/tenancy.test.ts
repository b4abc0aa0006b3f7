/**
 * Tenancy: each institution sees only its own rows, through TenantDb and through the API, and an
 * API token only works on its own institution's host.
 */
import { expect } from 'chai';
import { ErrorCodes, type Institution } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { createToken, revokeToken } from '@smile/core';
import { fixture } from './support.js';

describe('tenancy', function () {
  let t: TestPlatform;
  let a: Institution;
  let b: Institution;
  const hostA = { host: 'mobility.univ-a.example' };
  const hostB = { host: 'international.univ-b.example' };
  /** An API token for `inst`, with its id. */
  const tokenFor = async (inst: Institution, permissions: string[]) => {
    const { token, id } = await createToken(t.knex, { institutionId: inst.id, name: `test-${inst.code}`, permissions, known: new Set(t.platform.registry.permissions.keys()) });
    return { id, authorization: `Bearer ${token}` };
  };

  before(async function () {
    this.timeout(120_000);
    t = await startTestPlatform({ plugins: ['tenant-notes'], pluginPaths: [fixture('tenant-notes')] });
    a = await t.createInstitution({ code: 'univ-a', hostNames: [hostA.host] });
    b = await t.createInstitution({ code: 'univ-b', hostNames: [hostB.host] });
  });
  after(async () => t?.stop());

  it('resolves the institution from the host name', async () => {
    expect((await t.get('/api/v1/institution', hostA)).json().code).to.equal('univ-a');
    expect((await t.get('/api/v1/institution', hostB)).json().code).to.equal('univ-b');
  });

  it('sets institution_id on inserts and reads only the institution\'s rows', async () => {
    const write = ['tenant-notes:note.read', 'tenant-notes:note.write'];
    const ta = await tokenFor(a, write);
    const tb = await tokenFor(b, write);
    const created = await t.request('POST', '/api/v1/tenant-notes/notes', { headers: { ...hostA, authorization: ta.authorization }, body: { text: 'A: welcome week' } });
    expect(created.status).to.equal(201);
    expect(created.json().institutionId).to.equal(a.id);
    expect((await t.request('POST', '/api/v1/tenant-notes/notes', { headers: { ...hostB, authorization: tb.authorization }, body: { text: 'B: housing' } })).status).to.equal(201);

    const rows = await t.knex('tenant_notes').orderBy('id');
    expect(rows.map((r) => [r.institution_id, r.text])).to.deep.equal([[a.id, 'A: welcome week'], [b.id, 'B: housing']]);

    const listA = await t.get('/api/v1/tenant-notes/notes', { ...hostA, authorization: ta.authorization });
    expect(listA.json().map((n: { text: string }) => n.text)).to.deep.equal(['A: welcome week']);
    const listB = await t.get('/api/v1/tenant-notes/notes', { ...hostB, authorization: tb.authorization });
    expect(listB.json().map((n: { text: string }) => n.text)).to.deep.equal(['B: housing']);
  });

  it('filters reads, updates and deletes of a plugin\'s TenantDb on its institution', async () => {
    await t.knex('tenant_notes').insert([{ institution_id: a.id, text: 'A: second' }, { institution_id: b.id, text: 'B: second' }]);
    const dbA = t.platform.db.forInstitution(a.id);
    expect(dbA.institutionId).to.equal(a.id);
    expect((await dbA.table('tenant_notes')).every((r: { institution_id: number }) => r.institution_id === a.id)).to.equal(true);

    expect(await dbA.table('tenant_notes').update({ text: 'changed by A' })).to.equal(2);
    expect(await dbA.table('tenant_notes').where({ text: 'changed by A' }).del()).to.equal(2);
    expect((await t.knex('tenant_notes').where({ institution_id: b.id }).orderBy('id').pluck('text'))).to.deep.equal(['B: housing', 'B: second']);

    const [row] = await dbA.insert('tenant_notes', { text: 'A: third', institution_id: b.id });
    expect(row.institution_id).to.equal(a.id);
  });

  it('refuses an API token of institution A on institution B\'s host (401)', async () => {
    const { authorization } = await tokenFor(a, ['tenant-notes:note.read']);
    expect((await t.get('/api/v1/tenant-notes/notes', { ...hostA, authorization })).status).to.equal(200);
    const res = await t.get('/api/v1/tenant-notes/notes', { ...hostB, authorization });
    expect(res.status).to.equal(401);
    expect(res.json().error.code).to.equal(ErrorCodes.UNAUTHENTICATED);
    expect(res.text).not.to.contain('A: ');
  });

  it('refuses a revoked token (401)', async () => {
    const tok = await tokenFor(a, ['tenant-notes:note.read']);
    expect((await t.get('/api/v1/tenant-notes/notes', { ...hostA, authorization: tok.authorization })).status).to.equal(200);
    expect(await revokeToken(t.knex, tok.id)).to.equal(true);
    const res = await t.get('/api/v1/tenant-notes/notes', { ...hostA, authorization: tok.authorization });
    expect(res.status).to.equal(401);
    expect(res.json().error).to.include({ code: ErrorCodes.UNAUTHENTICATED, message: 'invalid or revoked API token for this institution' });
  });

  it('asks for a token (401) or a permission (403) before answering', async () => {
    expect((await t.get('/api/v1/tenant-notes/notes', hostA)).status).to.equal(401);
    const { authorization } = await tokenFor(a, ['tenant-notes:note.write']);
    const res = await t.get('/api/v1/tenant-notes/notes', { ...hostA, authorization });
    expect(res.status).to.equal(403);
    expect(res.json().error.code).to.equal(ErrorCodes.FORBIDDEN);
  });
});
