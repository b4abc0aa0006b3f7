import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { startTestPlatform, TestClient, type TestPlatform, type TestResponse } from '@smile/sdk/testing';

export const pluginDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repo = path.resolve(pluginDir, '..', '..');

/** A message the sink received, decoded enough to read its subject, text and links. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) of a header. */
function decodeWords(v: string): string {
  return v.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`);
  // percent-decode byte by byte: literal % signs are escaped first
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

/** The decoded text of a single-part message (nodemailer uses quoted-printable or base64). */
function bodyOf(raw: string): { headers: string; text: string } {
  const i = raw.search(/\r?\n\r?\n/);
  const headers = raw.slice(0, i).replace(/\r?\n[ \t]+/g, ' ');
  const body = raw.slice(i).replace(/^\r?\n\r?\n/, '');
  const enc = /^Content-Transfer-Encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  const text = enc === 'quoted-printable' ? decodeQuotedPrintable(body) : enc === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

/** An SMTP server that accepts everything and keeps what it received. */
export class SmtpSink {
  received: ReceivedMail[] = [];
  port = 0;
  private server?: SMTPServer;

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const { headers, text } = bodyOf(Buffer.concat(chunks).toString('utf8'));
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: decodeWords(/^Subject: (.*)$/im.exec(headers)?.[1]?.trim() ?? ''),
            text,
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = ((server as any).server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address));
  }

  /** The last mail to `address`; fails when there is none. */
  last(address: string): ReceivedMail {
    const list = this.to(address);
    if (!list.length) throw new Error(`no mail to ${address} (received: ${this.received.map((m) => m.to.join(',')).join('; ') || 'none'})`);
    return list[list.length - 1]!;
  }
}

/** The site-relative link (`/local/accept?token=…`) a mail carries. */
export function linkIn(mail: ReceivedMail, kind: 'accept' | 'reset'): string {
  const m = new RegExp(`https?://[^\\s/]+(/local/${kind}\\?token=[A-Za-z0-9_-]{43})(?=\\s|$)`).exec(mail.text);
  if (!m) throw new Error(`no ${kind} link in:\n${mail.text}`);
  return m[1]!;
}

/**
 * The platform with this plugin and an SMTP sink. scrypt runs with a small cost here (the
 * parameters are stored with each hash, the code path is the same).
 */
export function boot(sink: SmtpSink, settings: Record<string, unknown> = {}): Promise<TestPlatform> {
  return startTestPlatform({
    plugins: ['auth-local'],
    pluginPaths: [],
    smtp: { host: '127.0.0.1', port: sink.port, from: 'SMILE <smile@univ.example>' },
    settings: { 'auth-local': { scrypt: { N: 1024, r: 8, p: 1 }, ...settings } },
  });
}

/** A browser without JavaScript (the SDK's test client) that follows redirects, as a browser does. */
export class Browser extends TestClient {
  constructor(t: TestPlatform, lang: 'fr' | 'en' = 'en', ip?: string, session?: { cookie: string; csrf: string }) {
    // the platform trusts no proxy: X-Forwarded-For only labels requests in tests that set trustProxy
    super(t, { lang, headers: ip ? { 'x-forwarded-for': ip } : {}, session });
  }

  /** A browser holding the session of `t.signIn(...)`. */
  static async of(t: TestPlatform, session: { cookie: string; csrf: string }, lang: 'fr' | 'en' = 'en'): Promise<Browser> {
    const b = new Browser(t, lang, undefined, session);
    await b.get('/');
    return b;
  }

  /** A GET; redirects are followed. */
  override async get(p: string): Promise<TestResponse> {
    let res = await super.get(p);
    for (let hops = 0; hops < 5 && res.status >= 300 && res.status < 400 && res.headers.get('location'); hops++) res = await super.get(res.headers.get('location')!);
    return res;
  }

  /** A form post with the `_csrf` field (repeated fields as arrays); a redirect is followed with a GET. */
  override async post(p: string, form: Record<string, string | string[]>): Promise<TestResponse> {
    const res = await super.post(p, form);
    const to = res.headers.get('location');
    if (to && res.status >= 300 && res.status < 400) return Object.assign(await this.get(to), { redirectedFrom: res.status });
    return res;
  }

  /** Sign in with email and password (and a TOTP code when asked); returns the last page. */
  async signIn(email: string, password: string): Promise<TestResponse> {
    await this.get('/local/sign-in');
    return this.post('/local/sign-in', { email, password });
  }
}

/** The text of a page's `<main>`, tags removed and spaces collapsed: what a person reads. */
export function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? html;
  return main.replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

/** The flash message of a page. */
export function flashOf(html: string): string {
  return (/<div class="flash-region"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim();
}

/** Audit rows of the institution, oldest first, optionally of one action. */
export async function auditRows(t: TestPlatform, action?: string): Promise<any[]> {
  const q = t.knex('audit_log').where({ institution_id: t.institution.id }).orderBy('id');
  if (action) q.where({ action });
  return q;
}

export const GOOD_PASSWORD = 'correct horse battery staple';

/** Invite `email` as the manager, deliver the mail, accept it with `password`: the guest's browser, signed in. */
export async function createGuest(
  t: TestPlatform, sink: SmtpSink, manager: Browser, email: string,
  o: { roles?: string[] | string; password?: string; name?: string; lang?: 'fr' | 'en' } = {},
): Promise<{ guest: Browser; page: TestResponse }> {
  const res = await manager.post('/local/invitations', { email, displayName: o.name ?? 'Guest Person', roles: o.roles ?? 'referent' });
  if (res.status !== 200) throw new Error(`invitation refused (${res.status}): ${mainText(res.text).slice(0, 400)}`);
  await t.drainJobs();
  const guest = new Browser(t, o.lang ?? 'en');
  const form = await guest.get(linkIn(sink.last(email), 'accept'));
  const token = /name="token" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  const page = await guest.post('/local/accept', { token, displayName: o.name ?? 'Guest Person', password: o.password ?? GOOD_PASSWORD, confirm: o.password ?? GOOD_PASSWORD });
  return { guest, page };
}
