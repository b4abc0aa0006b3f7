/**
 * The mail outbox against a real SMTP server (smtp-server sink): delivered once, kept when SMTP is
 * down and sent by the sweep when it is back, never sent twice, and listed for operators.
 */
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { SMTPServer } from 'smtp-server';
import { coreServices, ErrorCodes } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';

interface Received {
  from: string;
  to: string[];
  subject: string;
  outboxId: string;
}

/** An SMTP server that accepts everything and keeps what it received. */
class SmtpSink {
  received: Received[] = [];
  port = 0;
  private server?: SMTPServer;

  async start(port = 0) {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, cb) => {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
        stream.on('end', () => {
          const headers = raw.split(/\r?\n\r?\n/)[0]!;
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: /^Subject: (.*)$/im.exec(headers)?.[1]?.trim() ?? '',
            outboxId: /^X-Smile-Outbox-Id: (.*)$/im.exec(headers)?.[1]?.trim() ?? '',
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = ((server as any).server.address() as AddressInfo).port;
  }

  async stop() {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  with(subject: string) {
    return this.received.filter((m) => m.subject === subject);
  }
}

describe('mail outbox', function () {
  const sink = new SmtpSink();
  let t: TestPlatform;
  const mail = (subject: string, to = 'ada.lovelace@student.example') => ({ institutionId: t.institution.id, to, subject, text: `Body of ${subject}`, tag: 'test' });
  const row = (id: number) => t.knex('mail_outbox').where({ id }).first();

  before(async function () {
    this.timeout(120_000);
    await sink.start();
    t = await startTestPlatform({ plugins: [], smtp: { host: '127.0.0.1', port: sink.port, from: 'SMILE <smile@univ.example>' } });
  });
  after(async () => {
    await t?.stop();
    await sink.stop();
  });

  it('delivers a queued message once, to the right recipient with the right subject', async () => {
    const id = await t.resolve(coreServices.mailer).queue(mail('Welcome to Lyon'));
    await t.drainJobs();
    expect(sink.with('Welcome to Lyon')).to.deep.equal([{ from: 'smile@univ.example', to: ['ada.lovelace@student.example'], subject: 'Welcome to Lyon', outboxId: String(id) }]);
    const r = await row(id);
    expect(r).to.include({ status: 'sent', attempts: 1, last_error: null, recipient: 'ada.lovelace@student.example' });
    expect(r.sent_at).to.be.instanceOf(Date);
  });

  it('keeps a message queued while SMTP is down, and the sweep delivers it exactly once when SMTP is back', async () => {
    const port = sink.port;
    await sink.stop();
    const id = await t.resolve(coreServices.mailer).queue(mail('Your learning agreement'));
    await t.drainJobs();
    const failed = await row(id);
    expect(failed).to.include({ status: 'queued', attempts: 1 });
    expect(failed.last_error).to.match(/ECONNREFUSED/);
    expect(failed.next_attempt_at.getTime()).to.be.greaterThan(Date.now());
    expect(sink.with('Your learning agreement')).to.have.length(0);

    await sink.start(port);
    // the retry delay has passed
    await t.knex('mail_outbox').where({ id }).update({ next_attempt_at: t.knex.raw("now() - interval '1 second'") });
    expect(await t.platform.mailer.sweep()).to.equal(1);
    expect(await t.platform.mailer.sweep()).to.equal(0);
    await t.drainJobs();
    expect(sink.with('Your learning agreement')).to.have.length(1);
    const sent = await row(id);
    expect(sent).to.include({ status: 'sent', attempts: 2, last_error: null });
  });

  it('delivers once when two workers send the same message at the same time', async () => {
    const [{ id }] = await t.knex('mail_outbox')
      .insert({ institution_id: t.institution.id, recipient: 'grace@student.example', subject: 'Housing offer', body_text: 'A room for you' })
      .returning('id');
    await Promise.all([t.platform.mailer.send(Number(id)), t.platform.mailer.send(Number(id))]);
    expect(sink.with('Housing offer')).to.have.length(1);
    expect(await row(Number(id))).to.include({ status: 'sent', attempts: 1 });
  });

  describe('without SMTP configured', () => {
    let t2: TestPlatform;
    before(async function () {
      this.timeout(120_000);
      t2 = await startTestPlatform({ plugins: [] });
    });
    after(async () => t2?.stop());

    it('keeps messages queued and lists them at GET /api/v1/outbox for core:outbox.read', async () => {
      const mailer = t2.resolve(coreServices.mailer);
      const first = await mailer.queue({ institutionId: t2.institution.id, to: 'a@student.example', subject: 'First', text: 'x', tag: 'file:1' });
      const second = await mailer.queue({ institutionId: t2.institution.id, to: 'b@student.example', subject: 'Second', text: 'y' });
      await t2.drainJobs();
      expect(await t2.platform.mailer.sweep()).to.equal(0);
      const rows = await t2.knex('mail_outbox').orderBy('id');
      expect(rows.map((r) => [r.id, r.status, r.attempts, r.last_error])).to.deep.equal([[first, 'queued', 0, null], [second, 'queued', 0, null]]);

      expect((await t2.get('/api/v1/outbox')).status).to.equal(401);
      const forbidden = await t2.get('/api/v1/outbox', { authorization: await t2.token(['core:jobs.read']) });
      expect(forbidden.status).to.equal(403);
      expect(forbidden.json().error.code).to.equal(ErrorCodes.FORBIDDEN);

      const auth = { authorization: await t2.token(['core:outbox.read']) };
      const res = await t2.get('/api/v1/outbox', auth);
      expect(res.status).to.equal(200);
      const list = res.json();
      expect(list.map((m: any) => [m.id, m.recipient, m.subject, m.status, m.attempts, m.lastError, m.sentAt, m.tag])).to.deep.equal([
        [second, 'b@student.example', 'Second', 'queued', 0, null, null, null],
        [first, 'a@student.example', 'First', 'queued', 0, null, null, 'file:1'],
      ]);
      expect((await t2.get('/api/v1/outbox?status=sent', auth)).json()).to.deep.equal([]);
    });
  });
});
