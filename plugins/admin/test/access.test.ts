import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { ALL, Client, boot, versionOf } from './support.js';

const PAGES: [string, string][] = [
  ['/admin', 'admin:area.view'],
  ['/admin/institution', 'admin:institution.edit'],
  ['/admin/theme', 'admin:theme.edit'],
  ['/admin/plugins', 'admin:plugins.manage'],
  ['/admin/outbox', 'admin:outbox.read'],
  ['/admin/jobs', 'admin:jobs.read'],
  ['/admin/people', 'admin:people.manage'],
  ['/admin/roles', 'admin:roles.manage'],
  ['/admin/roles/matrix', 'admin:roles.manage'],
  ['/admin/components', 'admin:roles.manage'],
  ['/admin/rules', 'admin:rules.manage'],
  ['/admin/audit', 'admin:audit.read'],
];

describe('admin: access and dashboard', () => {
  let t: TestPlatform;
  before(async () => {
    t = await boot();
  });
  after(async () => t?.stop());

  for (const [page, perm] of PAGES) {
    it(`${page}: 401 anonymous, 403 without ${perm}, 200 with it`, async () => {
      expect((await t.get(page)).status).to.equal(401);
      const others = ALL.filter((p) => p !== perm);
      expect((await t.get(page, { authorization: await t.token(others) })).status).to.equal(403);
      const ok = await t.get(page, { authorization: await t.token([perm]), 'accept-language': 'en' });
      expect(ok.status).to.equal(200);
      expect(ok.text).to.contain('<main').and.contain('/assets/admin@0.1.0/admin.css');
    });
  }

  it('the menu shows Administration only to those who may open it', async () => {
    const withPerm = await t.get('/', { authorization: await t.token(['admin:area.view']) });
    expect(withPerm.text).to.contain('href="/admin"');
    const without = await t.get('/', { authorization: await t.token(['admin:jobs.read']) });
    expect(without.text).not.to.contain('href="/admin"');
  });

  it('the dashboard links only to the sections the person may see, and warns that SMTP is missing', async () => {
    const c = await Client.signIn(t, ['admin:area.view', 'admin:outbox.read']);
    const res = await c.get('/admin');
    expect(res.text).to.contain('href="/admin/outbox"').and.not.contain('href="/admin/institution"').and.not.contain('href="/admin/jobs"');
    expect(res.text).to.contain('No SMTP server is configured: mail stays in the outbox.');
    const bare = await (await Client.signIn(t, ['admin:area.view'])).get('/admin');
    expect(bare.text).to.contain('none of its sections');
  });

  it('lists theme render errors on the dashboard', async () => {
    t.platform.renderer.themeErrors.set('broken', { message: 'boom <b>', at: new Date() });
    try {
      const res = await (await Client.signIn(t)).get('/admin');
      expect(res.text).to.contain('The theme “broken” failed to render').and.contain('boom &lt;b&gt;');
    } finally {
      t.platform.renderer.themeErrors.delete('broken');
    }
  });

  it('speaks French', async () => {
    const res = await (await Client.signIn(t, ALL, 'fr')).get('/admin');
    expect(res.text).to.contain('<html lang="fr"').and.contain('Fiche de l’établissement').and.contain('File d’envoi des courriels');
  });

  it('shows the job queue counts', async () => {
    await t.drainJobs();
    const { kind } = await t.resolve(coreServices.platformAdmin).jobStats();
    const res = await (await Client.signIn(t)).get('/admin/jobs');
    expect(res.text).to.contain(kind === 'bullmq' ? 'BullMQ on Redis' : 'in-process (no Redis')
    expect(res.text).to.contain('<code>core.mail.send</code>').and.contain('<caption id="jobs-caption">Jobs</caption>');
    expect(res.text).to.match(/<th scope="col" class="num">Waiting<\/th>/);
  });
});

describe('admin: signed-in people (demo personas)', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ plugins: ['admin', 'base', 'demo'], demo: true });
  });
  after(async () => t?.stop());

  it('the admin role gets every admin permission by default, and can save through a session', async () => {
    const c = await Client.persona(t, 'admin');
    const dash = await c.get('/admin');
    expect(dash.status).to.equal(200);
    for (const href of ['/admin/institution', '/admin/theme', '/admin/plugins', '/admin/outbox', '/admin/jobs']) expect(dash.text).to.contain(`href="${href}"`);
    const page = await c.get('/admin/institution');
    const res = await c.post('/admin/institution', {
      nameFr: 'Université de démonstration', nameEn: 'Demo University (renamed)', schacCode: 'demo.smile.example', erasmusCode: 'F DEMO01',
      pic: '', country: 'FR', hostNames: '', defaultLanguage: 'fr', updatedAt: versionOf(page.text),
    });
    expect(res.status).to.equal(303);
    expect((await c.get('/admin/institution')).text).to.contain('The institution record is saved.').and.contain('value="Demo University (renamed)"');
  });

  it('the technical administrator gets the technical sections only', async () => {
    const c = Client.fromSession(t, await t.signIn(['techadmin']));
    for (const p of ['/admin', '/admin/theme', '/admin/plugins', '/admin/outbox', '/admin/jobs']) expect((await c.get(p)).status, p).to.equal(200);
    for (const p of ['/admin/institution', '/admin/roles', '/admin/rules', '/admin/people', '/admin/audit']) expect((await c.get(p)).status, p).to.equal(403);
  });

  it('other roles do not see the administration', async () => {
    const c = await Client.persona(t, 'manager');
    expect((await c.get('/admin')).status).to.equal(403);
    expect((await c.get('/')).text).not.to.contain('href="/admin"');
  });
});
