/**
 * A real SAML 2.0 IdP for the tests, built with samlify, in-process: its own RSA key and
 * self-signed certificate (made for the run), its metadata, verification of the SP's signed
 * AuthnRequests (HTTP-Redirect), signed login responses, and single logout messages. It can also
 * serve a tiny login page over HTTP that auto-posts the response to the SP, for the browser test.
 *
 * samlify insists on an XML schema validator before it parses anything. We install one that
 * accepts every document: these tests exercise the SP (SMILE), whose own parser and checks are
 * under test; samlify only plays the IdP and parses messages SMILE produced.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import * as samlify from 'samlify';
import { generateKeyAndCertificate, certBody } from '../src/x509.js';

samlify.setSchemaValidator({ validate: async () => 'accepted: the tests check the SP, not samlify' });

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
export const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
export const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
export const oid = (n: string) => `urn:oid:${n}`;

/** One attribute of a test person, as the IdP sends it. */
export interface TestAttribute {
  name: string;
  friendlyName?: string;
  values: string[];
}

export interface TestUser {
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  attributes: TestAttribute[];
}

/** Knobs to produce responses that a correct SP must refuse. */
export interface ResponseOptions {
  audience?: string;
  recipient?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  /** `null`: an unsolicited (IdP-initiated) response without InResponseTo. */
  inResponseTo?: string | null;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const newId = () => `_${randomBytes(16).toString('hex')}`;

/** A student of the Università di Bologna with every attribute SMILE maps. */
export function student(overrides: Partial<Record<string, string[]>> = {}): TestUser {
  const a = (name: string, friendlyName: string, values: string[]) => ({ name: oid(name), friendlyName, values: overrides[friendlyName] ?? values });
  return {
    nameId: `persistent-${randomBytes(6).toString('hex')}`,
    nameIdFormat: PERSISTENT,
    sessionIndex: `_session-${randomBytes(6).toString('hex')}`,
    attributes: [
      a('1.3.6.1.4.1.5923.1.1.1.6', 'eduPersonPrincipalName', ['giulia.bianchi@unibo.it']),
      a('0.9.2342.19200300.100.1.3', 'mail', ['giulia.bianchi@studio.unibo.it']),
      a('2.5.4.42', 'givenName', ['Giulia']),
      a('2.5.4.4', 'sn', ['Bianchi']),
      a('2.16.840.1.113730.3.1.241', 'displayName', ['Giulia Bianchi']),
      a('1.3.6.1.4.1.25178.1.2.3', 'schacDateOfBirth', ['20030415']),
      a('1.3.6.1.4.1.25178.1.2.9', 'schacHomeOrganization', ['unibo.it']),
      a('1.3.6.1.4.1.25178.1.2.14', 'schacPersonalUniqueCode', [
        'urn:schac:personalUniqueCode:int:esi:unibo.it:0000123456',
        'urn:schac:personalUniqueCode:it:unibo.it:matricola:0000123456',
      ]),
      a('1.3.6.1.4.1.5923.1.1.1.1', 'eduPersonAffiliation', ['student', 'member']),
    ].filter((x) => x.values.length > 0),
  };
}

function responseXml(v: {
  id: string; assertionId: string; issuer: string; destination: string; audience: string; recipient: string; inResponseTo: string | null;
  now: Date; notBefore: Date; notOnOrAfter: Date; user: TestUser;
}): string {
  const irt = v.inResponseTo ? ` InResponseTo="${esc(v.inResponseTo)}"` : '';
  const attrs = v.user.attributes
    .map((a) => `<saml:Attribute Name="${esc(a.name)}"${a.friendlyName ? ` FriendlyName="${esc(a.friendlyName)}"` : ''} NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${a.values
      .map((x) => `<saml:AttributeValue xsi:type="xs:string">${esc(x)}</saml:AttributeValue>`)
      .join('')}</saml:Attribute>`)
    .join('');
  return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${v.id}" Version="2.0" IssueInstant="${v.now.toISOString()}" Destination="${esc(v.destination)}"${irt}>` +
    `<saml:Issuer>${esc(v.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="${v.assertionId}" Version="2.0" IssueInstant="${v.now.toISOString()}">` +
    `<saml:Issuer>${esc(v.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${esc(v.user.nameIdFormat ?? TRANSIENT)}">${esc(v.user.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${v.notOnOrAfter.toISOString()}" Recipient="${esc(v.recipient)}"${irt}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${v.notBefore.toISOString()}" NotOnOrAfter="${v.notOnOrAfter.toISOString()}"><saml:AudienceRestriction><saml:Audience>${esc(v.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${v.now.toISOString()}" SessionIndex="${esc(v.user.sessionIndex ?? '_s1')}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attrs ? `<saml:AttributeStatement>${attrs}</saml:AttributeStatement>` : '') +
    `</saml:Assertion></samlp:Response>`;
}

/** The signed part of a redirect-binding URL, as the signer computed it: the raw, still-encoded parameters. */
export function octetString(url: string, param: 'SAMLRequest' | 'SAMLResponse'): string {
  const raw = new URL(url).search.slice(1).split('&');
  const pick = (k: string) => raw.find((p) => p.startsWith(`${k}=`));
  return [pick(param), pick('RelayState'), pick('SigAlg')].filter(Boolean).join('&');
}

const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

export class TestIdp {
  readonly idp: ReturnType<typeof samlify.IdentityProvider>;
  private sp: ReturnType<typeof samlify.ServiceProvider> | null = null;
  private server: http.Server | null = null;
  /** The person the HTTP login page signs in (browser test). */
  user: TestUser = student();

  private constructor(
    readonly entityId: string,
    readonly baseUrl: string,
    readonly keys: { privateKey: string; certificate: string },
    readonly name: { fr: string; en: string },
  ) {
    this.idp = samlify.IdentityProvider({
      entityID: entityId,
      privateKey: keys.privateKey,
      signingCert: keys.certificate,
      wantAuthnRequestsSigned: true,
      nameIDFormat: [PERSISTENT],
      singleSignOnService: [{ Binding: REDIRECT, Location: `${baseUrl}/sso` }],
      singleLogoutService: [{ Binding: REDIRECT, Location: `${baseUrl}/slo` }],
    });
  }

  /**
   * A new IdP. With `http`, it listens on 127.0.0.1 and its URLs are real; otherwise they are
   * never fetched. `keys` lets a second IdP impersonate the first with another key.
   */
  static async start(opts: { http?: boolean; entityId?: string; keys?: { privateKey: string; certificate: string }; name?: { fr: string; en: string } } = {}): Promise<TestIdp> {
    const keys = opts.keys ?? (await generateKeyAndCertificate('idp.test', { bits: 2048 }));
    const name = opts.name ?? { fr: 'Università di Bologna', en: 'University of Bologna' };
    if (!opts.http) return new TestIdp(opts.entityId ?? 'https://idp.unibo.test/idp/shibboleth', 'https://idp.unibo.test/idp', keys, name);
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const idp = new TestIdp(opts.entityId ?? `${base}/idp`, base, keys, name);
    idp.server = server;
    server.on('request', (req, res) => void idp.serve(req, res));
    return idp;
  }

  /** What SMILE's settings need to know about this IdP (`idps: [...]`). */
  setting(): { entityId: string; name: { fr: string; en: string }; ssoUrl: string; sloUrl: string; certificates: string[] } {
    return { entityId: this.entityId, name: this.name, ssoUrl: `${this.baseUrl}/sso`, sloUrl: `${this.baseUrl}/slo`, certificates: [certBody(this.keys.certificate)] };
  }

  /** The IdP's metadata (samlify's). */
  metadata(): string {
    return this.idp.getMetadata();
  }

  /** Learn the SP from its metadata document (what a federation would give the IdP). */
  useSp(spMetadata: string): void {
    this.sp = samlify.ServiceProvider({ metadata: spMetadata, wantLogoutRequestSigned: true, wantLogoutResponseSigned: true });
  }

  private get spEntity() {
    if (!this.sp) throw new Error('call useSp(metadata) first');
    return this.sp;
  }

  /** Verify the SP's signed AuthnRequest (the Location of SMILE's redirect) and return its ID and RelayState. */
  async readAuthnRequest(location: string): Promise<{ id: string; relayState: string; acsUrl: string }> {
    const { extract } = await this.idp.parseLoginRequest(this.spEntity, 'redirect', { query: queryOf(location), octetString: octetString(location, 'SAMLRequest') });
    const request = extract.request as Record<string, string>;
    return { id: request.id!, relayState: queryOf(location).RelayState ?? '', acsUrl: request.assertionConsumerServiceUrl ?? '' };
  }

  /** A signed login response (assertion signed, as Shibboleth does), base64 as posted to the ACS. */
  async response(requestId: string | null, user: TestUser, opts: ResponseOptions = {}): Promise<string> {
    const sp = this.spEntity;
    const acs = sp.entityMeta.getAssertionConsumerService('post') as string;
    const now = new Date();
    const id = newId();
    const xml = responseXml({
      id, assertionId: newId(), issuer: this.entityId, destination: acs, recipient: opts.recipient ?? acs,
      audience: opts.audience ?? sp.entityMeta.getEntityID(), inResponseTo: opts.inResponseTo === undefined ? requestId : opts.inResponseTo,
      now, notBefore: opts.notBefore ?? new Date(now.getTime() - 60_000), notOnOrAfter: opts.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000), user,
    });
    const res = await this.idp.createLoginResponse(sp, { extract: { request: { id: requestId ?? '' } } }, 'post', { email: user.nameId }, {
      customTagReplacement: () => ({ id, context: xml }),
    });
    return res.context;
  }

  /** An IdP-initiated, signed LogoutRequest (HTTP-Redirect URL to the SP's SLO). */
  logoutRequestUrl(user: TestUser): string {
    const r = this.idp.createLogoutRequest(this.spEntity, 'redirect', { logoutNameID: user.nameId, sessionIndex: user.sessionIndex });
    return r.context;
  }

  /** The same, for the HTTP-POST binding: the base64 SAMLRequest the IdP's page would post. */
  logoutRequestPost(user: TestUser): string {
    return this.idp.createLogoutRequest(this.spEntity, 'post', { logoutNameID: user.nameId, sessionIndex: user.sessionIndex }).context;
  }

  /** Verify the SP's signed LogoutRequest (SP-initiated logout) and return its ID and NameID. */
  async readLogoutRequest(location: string): Promise<{ id: string; nameId: string; sessionIndex: string | undefined }> {
    const { extract } = await this.idp.parseLogoutRequest(this.spEntity, 'redirect', { query: queryOf(location), octetString: octetString(location, 'SAMLRequest') });
    return { id: (extract.request as Record<string, string>).id!, nameId: extract.nameID as string, sessionIndex: (extract.sessionIndex as any)?.sessionIndex };
  }

  /** Verify the SP's signed LogoutResponse (answer to our LogoutRequest). */
  async readLogoutResponse(location: string): Promise<{ inResponseTo: string; status: string }> {
    const { extract } = await this.idp.parseLogoutResponse(this.spEntity, 'redirect', { query: queryOf(location), octetString: octetString(location, 'SAMLResponse') });
    const r = extract.response as Record<string, string>;
    return { inResponseTo: r.inResponseTo!, status: (extract as any).status ?? '' };
  }

  /** The IdP's answer to an SP-initiated logout (HTTP-Redirect URL to the SP's SLO). */
  logoutResponseUrl(requestId: string): string {
    return this.idp.createLogoutResponse(this.spEntity, { extract: { request: { id: requestId } } }, 'redirect').context;
  }

  /** The login page: verify the AuthnRequest, then auto-post a response for `this.user` to the ACS. */
  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = `${this.baseUrl}${req.url}`;
      if (!req.url?.startsWith('/sso')) {
        res.writeHead(404).end();
        return;
      }
      const request = await this.readAuthnRequest(url);
      const saml = await this.response(request.id, this.user);
      const acs = this.spEntity.entityMeta.getAssertionConsumerService('post') as string;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP</title></head>
<body onload="document.forms[0].submit()"><main><h1>Test IdP</h1><p>Signing you in as ${esc(this.user.nameId)}…</p>
<form method="post" action="${esc(acs)}"><input type="hidden" name="SAMLResponse" value="${esc(saml)}">
<input type="hidden" name="RelayState" value="${esc(request.relayState)}"><noscript><button type="submit">Continue</button></noscript></form></main></body></html>`);
    } catch (e) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`test IdP: ${(e as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
