import { expect } from 'chai';
import { startTestPlatform, type TestPlatform, type TestResponse } from '@smile/sdk/testing';

const cookiesOf = (res: TestResponse) => (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));
const jar = (...lists: string[][]) => {
  const m = new Map<string, string>();
  for (const l of lists) for (const c of l) m.set(c.split('=')[0]!, c);
  return [...m.values()].join('; ');
};

async function signIn(t: TestPlatform, persona: string) {
  const page = await t.get('/demo/sign-in', { 'accept-language': 'en' });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const res = await t.request('POST', '/demo/sign-in', { headers: { cookie: jar(cookiesOf(page)), 'accept-language': 'en' }, form: { _csrf: token, persona } });
  return { res, cookie: jar(cookiesOf(page), cookiesOf(res)) };
}

describe('demo sign-in', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ plugins: ['demo'], demo: true });
  });
  after(async () => t?.stop());

  it('lists the four personas', async () => {
    const page = await t.get('/demo/sign-in', { 'accept-language': 'en' });
    for (const name of ['Sofia Rossi', 'Claire Martin', 'Jean Dupont', 'Nadia Benali']) expect(page.text).to.contain(`Sign in as ${name}`);
  });

  it('the generic sign-in page leads to it when it is the only method', async () => {
    const res = await t.get('/sign-in');
    expect(res.status).to.equal(302);
    expect(res.headers.get('location')).to.equal('/demo/sign-in');
  });

  it('signs in as a persona with a new session, and signs out', async () => {
    const { res, cookie } = await signIn(t, 'student');
    expect(res.status).to.equal(302);
    const home = await t.get('/', { cookie, 'accept-language': 'en' });
    expect(home.text).to.contain('Signed in: Sofia Rossi');
    expect(home.text, 'the home page greets the signed-in user').to.contain('Hello Sofia Rossi.');
    expect(home.text).to.contain('Welcome, Sofia Rossi.');
    // as a browser does: the first page cleared the flash cookie
    const kept = cookie.split('; ').filter((c) => !c.startsWith('smile_flash=')).join('; ');
    expect(home.headers.getSetCookie().some((c) => /^smile_flash=;/.test(c)), 'the flash cookie is cleared').to.equal(true);
    const again = await t.get('/', { cookie: kept, 'accept-language': 'en' });
    expect(again.text, 'the flash shows once').not.to.contain('Welcome, Sofia Rossi.');
    const token = /name="_csrf" value="([^"]+)"/.exec(home.text)![1]!;
    const out = await t.request('POST', '/sign-out', { headers: { cookie: kept }, form: { _csrf: token } });
    expect(out.status).to.equal(302);
    const after = await t.get('/', { cookie: kept, 'accept-language': 'en' });
    expect(after.text).not.to.contain('Signed in: Sofia Rossi');
    expect(await t.knex('sessions').count('* as n').first()).to.deep.equal({ n: 0 });
  });

  it('gives each persona the default permissions of its role', async () => {
    const admin = await signIn(t, 'admin');
    const res = await t.get('/api/v1/plugins', { cookie: admin.cookie });
    expect(res.status, 'admin holds core:plugins.read').to.equal(200);
    const student = await signIn(t, 'student');
    expect((await t.get('/api/v1/plugins', { cookie: student.cookie })).status).to.equal(403);
  });

  it('stops honouring demo sessions once an institution disables the plugin', async () => {
    const { cookie } = await signIn(t, 'manager');
    expect((await t.get('/', { cookie, 'accept-language': 'en' })).text).to.contain('Signed in: Claire Martin');
    await t.platform.institutions.setPluginEnabled(t.institution.id, 'demo', false);
    try {
      const home = await t.get('/', { cookie, 'accept-language': 'en' });
      expect(home.text).not.to.contain('Signed in: Claire Martin');
      expect((await t.get('/demo/sign-in')).status).to.equal(404);
    } finally {
      await t.platform.institutions.setPluginEnabled(t.institution.id, 'demo', true);
    }
  });

  it('refuses an unknown persona and a forged form', async () => {
    const { res } = await signIn(t, 'root');
    expect(res.status).to.equal(400);
    const forged = await t.request('POST', '/demo/sign-in', { form: { persona: 'admin' } });
    expect(forged.status).to.equal(403);
  });
});

describe('demo sign-in outside demo mode', () => {
  it('is refused when the instance is not in demo mode', async () => {
    const t = await startTestPlatform({ plugins: ['demo'], demo: false });
    try {
      const page = await t.get('/demo/sign-in', { 'accept-language': 'en' });
      expect(page.text).to.contain('Demo sign-in is available in demo mode only.');
      expect(page.text, 'no sign-in buttons').not.to.contain('Sign in as');
      const home = await t.get('/');
      const token = /name="csrf-token" content="([^"]+)"/.exec(home.text)![1]!;
      const res = await t.request('POST', '/demo/sign-in', { headers: { cookie: jar(cookiesOf(home)) }, form: { _csrf: token, persona: 'admin' } });
      expect(res.status).to.equal(403);
    } finally {
      await t.stop();
    }
  });

  it('is refused in production, even in demo mode', async () => {
    const t = await startTestPlatform({ plugins: ['demo'], demo: true, production: true });
    try {
      const page = await t.get('/demo/sign-in', { 'accept-language': 'en' });
      expect(page.text).to.contain('Demo sign-in is disabled in production.');
      expect(page.text).not.to.contain('Sign in as');
    } finally {
      await t.stop();
    }
  });
});
