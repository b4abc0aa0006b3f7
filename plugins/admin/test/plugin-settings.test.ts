/**
 * A plugin's settings for one institution, from the administration area: typed fields, secrets that
 * are never shown and kept when left blank, errors in place, nothing saved on error.
 */
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { boot, Client } from './support.js';

describe('admin: plugin settings per institution', () => {
  let t: TestPlatform;
  let c: Client;
  const stored = async () => ((await t.knex('institutions').where({ id: t.institution.id }).first('settings')).settings ?? {})['sis-sql'] ?? {};
  const effective = async () => t.resolve(coreServices.platformAdmin).settings((await t.resolve(coreServices.institutions).byId(t.institution.id))!, 'sis-sql');

  before(async () => {
    t = await boot({ plugins: ['catalogue', 'sis-sql'] });
    c = Client.fromSession(t, await t.signIn(['admin']));
  });
  after(async () => t?.stop());

  it('lists a settings link per plugin and shows the fields, the secret empty and marked as not set', async () => {
    expect((await c.get('/admin/plugins')).text).to.contain('href="/admin/plugins/sis-sql/settings"');
    const page = await c.get('/admin/plugins/sis-sql/settings');
    expect(page.status).to.equal(200);
    expect(page.text).to.match(/<select id="s-client" name="s_client"/);
    expect(page.text).to.match(/<input id="s-batchSize" name="s_batchSize" type="text" inputmode="decimal" value="5000"/);
    expect(page.text).to.match(/<input id="s-connection" name="s_connection" type="password" autocomplete="off" value=""/);
    expect(page.text).to.contain('Secret: no value yet.');
  });

  it('saves typed values and a secret, which is never shown again', async () => {
    const res = await c.post('/admin/plugins/sis-sql/settings', { s_client: 'pg', s_batchSize: '2000', s_timeoutMs: '30000', s_schedule: '30 2 * * *', s_connection: 'postgres://reader:s3cret@sis.example.org/apogee' });
    expect(res.status).to.equal(303);
    expect(await stored()).to.include({ batchSize: 2000, schedule: '30 2 * * *', connection: 'postgres://reader:s3cret@sis.example.org/apogee' });
    const page = await c.get('/admin/plugins/sis-sql/settings');
    expect(page.text).to.contain('The settings of “SQL connector (Apogée views)” are saved.');
    expect(page.text).to.contain('Secret: a value is stored');
    expect(page.text).not.to.contain('s3cret');
    expect((await effective()).values).to.include({ batchSize: 2000 });
  });

  it('keeps the stored secret when the field is left blank', async () => {
    const res = await c.post('/admin/plugins/sis-sql/settings', { s_client: 'pg', s_batchSize: '3000', s_timeoutMs: '30000', s_schedule: '', s_connection: '' });
    expect(res.status).to.equal(303);
    expect(await stored()).to.include({ batchSize: 3000, schedule: null, connection: 'postgres://reader:s3cret@sis.example.org/apogee' });
  });

  it('answers errors next to their field, keeps what was typed, and saves nothing', async () => {
    const before = await stored();
    const res = await c.post('/admin/plugins/sis-sql/settings', { s_client: 'pg', s_batchSize: 'many', s_timeoutMs: '30000', s_schedule: 'every night', s_connection: '' });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/id="s-batchSize-error" class="field-error">Write a number\./);
    expect(res.text).to.contain('value="many"');
    const cron = await c.post('/admin/plugins/sis-sql/settings', { s_client: 'pg', s_batchSize: '3000', s_timeoutMs: '30000', s_schedule: 'every night', s_connection: '' });
    expect(cron.status).to.equal(422);
    expect(cron.text).to.match(/id="s-schedule-error" class="field-error">[^<]*cron expression/);
    expect(await stored()).to.deep.equal(before);
  });

  it('the catalogue’s sync page links a connector to its settings for those who may change them', async () => {
    expect((await c.get('/catalogue/admin/sync')).text).to.contain('href="/admin/plugins/sis-sql/settings"');
    const manager = Client.fromSession(t, await t.signIn(['manager']));
    const page = await manager.get('/catalogue/admin/sync');
    expect(page.status).to.equal(200);
    expect(page.text).not.to.contain('/admin/plugins/sis-sql/settings');
  });

  it('answers 404 for an unknown plugin', async () => {
    expect((await c.get('/admin/plugins/nope/settings')).status).to.equal(404);
  });
});
