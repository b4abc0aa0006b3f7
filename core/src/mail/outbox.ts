import nodemailer, { type Transporter } from 'nodemailer';
import type { Knex } from 'knex';
import { SmileError, ErrorCodes } from '@smile/sdk';
import type { CoreHooks, Logger, Mailer, OutgoingMail } from '@smile/sdk';
import type { JobQueueAdapter } from '../jobs/types.js';

export const MAIL_SEND_JOB = 'core.mail.send';
export const MAIL_SWEEP_JOB = 'core.mail.sweep';
const MAX_ATTEMPTS = 8;
/** A message stuck in `sending` longer than this was interrupted (process died mid-send). */
const STUCK_MINUTES = 10;

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** The outbox: every message is a row first, then a job delivers it. */
export class Outbox implements Mailer {
  private transport: Transporter | null;

  constructor(
    private knex: Knex,
    private jobs: JobQueueAdapter,
    private hooks: CoreHooks,
    private log: Logger,
    private smtp: SmtpSettings | undefined,
  ) {
    this.transport = smtp
      ? nodemailer.createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
          tls: { rejectUnauthorized: false },
        })
      : null;
  }

  get configured() {
    return this.transport !== null;
  }

  async queue(mail: OutgoingMail, opts: { trx?: Knex.Transaction } = {}): Promise<number> {
    const m = { ...mail, cc: [...(mail.cc ?? [])] };
    await this.hooks.beforeMailQueued.promise(m);
    for (const addr of [m.to, ...m.cc]) {
      if (!EMAIL.test(addr)) throw new SmileError(ErrorCodes.VALIDATION, `"${addr}" is not an email address`, { key: 'to', status: 400 });
    }
    const db = opts.trx ?? this.knex;
    const [row] = await db('mail_outbox')
      .insert({
        institution_id: m.institutionId, recipient: m.to, cc: m.cc, subject: m.subject, body_text: m.text, body_html: m.html ?? null, tag: m.tag ?? null,
      })
      .returning('id');
    const id = Number(row.id);
    if (this.configured) {
      const schedule = () => this.jobs.enqueue(MAIL_SEND_JOB, { id }, { jobId: `mail-${id}` }).catch((e) => this.log.warn({ err: String(e) }, 'could not schedule mail; the sweep will send it'));
      const trx = opts.trx as (Knex.Transaction & { executionPromise?: Promise<unknown> }) | undefined;
      if (trx?.executionPromise) trx.executionPromise.then(schedule, () => undefined);
      else await schedule();
    }
    return id;
  }

  /**
   * Deliver one message. The row is claimed with a conditional update first, so two workers
   * (or a retry racing the sweep) can never both send it.
   */
  async send(id: number): Promise<void> {
    if (!this.transport) return;
    const [row] = await this.knex('mail_outbox')
      .where({ id, status: 'queued' })
      .andWhere('next_attempt_at', '<=', this.knex.fn.now())
      .update({ status: 'sending', attempts: this.knex.raw('attempts + 1'), next_attempt_at: this.knex.fn.now() })
      .returning('*');
    if (!row) return;
    try {
      const info = await this.transport.sendMail({
        from: this.smtp!.from,
        to: row.recipient,
        cc: row.cc?.length ? row.cc : undefined,
        subject: row.subject,
        text: row.body_text,
        html: row.body_html ?? undefined,
        headers: { 'X-Smile-Outbox-Id': String(row.id) },
      });
      await this.knex('mail_outbox').where({ id }).update({ status: 'sent', sent_at: this.knex.fn.now(), message_id: info.messageId ?? null, last_error: null });
    } catch (e) {
      const attempts = Number(row.attempts);
      const failed = attempts >= MAX_ATTEMPTS;
      const retryIn = Math.min(60 * 60, 30 * 2 ** (attempts - 1));
      await this.knex('mail_outbox')
        .where({ id })
        .update({
          status: failed ? 'failed' : 'queued',
          last_error: String((e as Error).message ?? e).slice(0, 2000),
          next_attempt_at: this.knex.raw(`now() + interval '${retryIn} seconds'`),
        });
      this.log.warn({ outboxId: id, attempts, err: String((e as Error).message) }, failed ? 'mail failed for good' : 'mail failed, will retry');
      return;
    }
    // after the message is recorded as sent: a failing tap must never cause a second delivery
    await this.hooks.afterMailSent
      .promise({ outboxId: id, institutionId: row.institution_id, to: row.recipient, subject: row.subject, tag: row.tag })
      .catch((e) => this.log.error({ outboxId: id, err: String(e) }, 'afterMailSent tap failed'));
  }

  /** Send what is due (after SMTP was down, or after a restart). */
  async sweep(): Promise<number> {
    if (!this.transport) return 0;
    await this.knex('mail_outbox')
      .where({ status: 'sending' })
      .andWhere('next_attempt_at', '<', this.knex.raw(`now() - interval '${STUCK_MINUTES} minutes'`))
      // delivery unknown: do not risk sending twice, let an admin decide
      .update({ status: 'failed', last_error: 'interrupted while sending; delivery unknown' });
    const due = (await this.knex('mail_outbox').where({ status: 'queued' }).andWhere('next_attempt_at', '<=', this.knex.fn.now()).orderBy('id').limit(500).pluck('id')) as number[];
    for (const id of due) await this.send(Number(id));
    return due.length;
  }

  async close() {
    this.transport?.close();
  }
}
