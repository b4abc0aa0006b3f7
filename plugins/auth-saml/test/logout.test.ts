// Single logout, both ways, with the samlify IdP verifying and producing signed messages.
import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { student, TestIdp, type TestUser } from './idp.js';
import { boot, Client, failures, introduce, startSignIn, textOf } from './support.js';

const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

describe('auth-saml: single logout', function () {
  this.timeout(60_000);
  let t: TestPlatform;
  let idp: TestIdp;

  before(async () => {
    idp = await TestIdp.start();
    t = await boot([idp]);
    await introduce(t, idp);
  });
  after(async () => {
    await t?.stop();
    await idp?.stop();
  });

  /** A browser signed in as `user`, on the home page. */
  async function signedIn(user: TestUser): Promise<Client> {
    const c = new Client(t);
    const { id } = await startSignIn(c, idp);
    const res = await c.postFromIdp('/saml/acs', { SAMLResponse: await idp.response(id, user) });
    expect(res.status, textOf(res.text).slice(0, 200)).to.equal(303);
    expect(textOf((await c.get('/')).text)).to.contain('Signed in: Giulia Bianchi');
    return c;
  }
  const isSignedIn = async (c: Client) => textOf((await c.get('/')).text).includes('Signed in: Giulia Bianchi');

  it('SP-initiated: ends the session, sends a signed LogoutRequest, accepts the IdP\'s answer', async () => {
    const user = student();
    const c = await signedIn(user);
    const res = await c.post('/saml/logout', {});
    expect(res.status).to.equal(303);
    const location = res.headers.get('location')!;
    expect(location.startsWith(`${idp.baseUrl}/slo?SAMLRequest=`)).to.equal(true);
    const request = await idp.readLogoutRequest(location);
    expect(request.nameId).to.equal(user.nameId);
    expect(await isSignedIn(c), 'signed out here at once').to.equal(false);

    const back = await c.get(pathOf(idp.logoutResponseUrl(request.id)));
    expect(back.status).to.equal(303);
    expect(back.headers.get('location')).to.equal('/');
    expect(textOf((await c.get('/')).text)).to.contain('You are signed out.');
  });

  it('the header’s Sign out button of a SAML session goes on to single logout', async () => {
    const c = await signedIn(student());
    const res = await c.post('/sign-out', {});
    expect(res.status).to.equal(307);
    expect(res.headers.get('location')).to.equal('/saml/logout');
    const onward = await c.post('/saml/logout', {});
    expect(onward.headers.get('location')!.startsWith(`${idp.baseUrl}/slo?SAMLRequest=`)).to.equal(true);
    expect(await isSignedIn(c)).to.equal(false);
  });

  it('IdP-initiated, in the same browser: ends that session and answers a signed LogoutResponse', async () => {
    const user = student();
    const c = await signedIn(user);
    const res = await c.get(pathOf(idp.logoutRequestUrl(user)));
    expect(res.status, textOf(res.text).slice(0, 300)).to.equal(302);
    const location = res.headers.get('location')!;
    expect(location.startsWith(`${idp.baseUrl}/slo?SAMLResponse=`)).to.equal(true);
    const answer = await idp.readLogoutResponse(location);
    expect(answer.inResponseTo).to.match(/^_/);
    expect(await isSignedIn(c)).to.equal(false);
  });

  it('IdP-initiated without our cookie (a cross-site POST or another device): ends every session of the person', async () => {
    const user = student();
    const laptop = await signedIn(user);
    const phone = await signedIn(user);
    const res = await new Client(t).get(pathOf(idp.logoutRequestUrl(user)));
    expect(res.status).to.equal(302);
    expect(await isSignedIn(laptop)).to.equal(false);
    expect(await isSignedIn(phone)).to.equal(false);
  });

  it('IdP-initiated over HTTP-POST (no CSRF token, no cookie): verified by its signature', async () => {
    const user = student();
    const c = await signedIn(user);
    const res = await c.postFromIdp('/saml/slo', { SAMLRequest: idp.logoutRequestPost(user) });
    expect(res.status, textOf(res.text).slice(0, 300)).to.equal(302);
    expect((await idp.readLogoutResponse(res.headers.get('location')!)).inResponseTo).to.match(/^_/);
    expect(await isSignedIn(c)).to.equal(false);
    const forged = await c.postFromIdp('/saml/slo', { SAMLRequest: Buffer.from(Buffer.from(idp.logoutRequestPost(user), 'base64').toString('utf8').replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, ''), 'utf8').toString('base64') });
    expect(forged.status, 'an unsigned POSTed LogoutRequest is refused').to.equal(401);
  });

  it('refuses an unsigned LogoutRequest and keeps the session', async () => {
    const user = student();
    const c = await signedIn(user);
    const url = new URL(idp.logoutRequestUrl(user));
    url.searchParams.delete('Signature');
    url.searchParams.delete('SigAlg');
    const res = await c.get(url.pathname + url.search);
    expect(res.status).to.equal(401);
    expect(textOf(res.text)).to.contain('Sign-out request refused');
    expect((await failures(t))[0]!.reason).to.equal('slo-unsigned');
    expect(await isSignedIn(c)).to.equal(true);
  });
});
