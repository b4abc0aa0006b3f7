import type { Knex } from 'knex';
import { createServiceRef, ErrorCodes, SmileError } from '@smile/sdk';
import type { AuditActor, AuditLog, Database, Mailer, RequestContext } from '@smile/sdk';
import { dedupeMacros, formatDate, renderTemplate, unknownMacros } from './macros.js';
import type { MacroDefinition, MacroValues } from './macros.js';
import { SEED_TEMPLATES, seedTemplate } from './seeds.js';
import type { Recipient } from './seeds.js';

export type Language = 'fr' | 'en';
export const LANGUAGES: readonly Language[] = ['fr', 'en'];

/** Who acts: a request (its institution is taken from it) or an audit actor. */
export type MailingActor = RequestContext<any, any, any> | AuditActor;

/** One template in one language. */
export interface MailTemplate {
  id: number;
  key: string;
  language: Language;
  subject: string;
  body: string;
  version: number;
  updatedAt: Date;
  /** Intended recipient of a seeded template (`null` for a template the institution added). */
  recipient: Recipient | null;
}

/** A row of the outbox, for per-file tracking. */
export interface SentMail {
  id: number;
  to: string;
  subject: string;
  status: 'queued' | 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** What {@link MailingService.send} takes. */
export interface SendRequest {
  key: string;
  language: Language;
  to: string;
  cc?: string[];
  /** Macro values, nested (`{ student: { firstName } }`); `host.name` and `today` are filled in when absent. */
  values: MacroValues;
  /** Outbox tag for tracking, e.g. `mobility.file:42`. */
  tag?: string;
  /** Queue inside this transaction: the mail exists only if it commits. */
  trx?: Knex.Transaction;
}

/** A refused save or send, with a code the UI turns into a message. */
export class MailingError extends SmileError {
  constructor(
    readonly reason: 'unknownMacros' | 'conflict' | 'notFound' | 'empty' | 'tooLong',
    message: string,
    readonly details: { unknown?: string[]; available?: string[]; field?: 'subject' | 'body' } = {},
  ) {
    const codes = { unknownMacros: ErrorCodes.VALIDATION, empty: ErrorCodes.VALIDATION, tooLong: ErrorCodes.VALIDATION, conflict: ErrorCodes.CONFLICT, notFound: ErrorCodes.NOT_FOUND };
    const status = { unknownMacros: 422, empty: 422, tooLong: 422, conflict: 409, notFound: 404 }[reason];
    super(codes[reason], message, { plugin: 'mailing', status, expose: true, key: details.field });
  }
}

/** Templates, rendering and sending through the core outbox. */
export interface MailingService {
  /** Every macro templates may use (the plugin's own and those contributed through `transformMacros`), by name. */
  macros(): MacroDefinition[];
  /** The templates of an institution, both languages, by key (the seeded ones are created when missing). */
  templates(institutionId: number): Promise<MailTemplate[]>;
  /** One template, or `null`. */
  template(institutionId: number, key: string, language: Language): Promise<MailTemplate | null>;
  /**
   * Save a template's subject and body. `version` is the one the form was built from: a template
   * saved meanwhile is refused (`conflict`), as is one using a macro nobody defines (`unknownMacros`,
   * with the list of available macros). Audited.
   */
  save(actor: MailingActor, key: string, language: Language, text: { subject: string; body: string }, version: number): Promise<MailTemplate>;
  /** Render a template with `values` and queue it in the outbox (nothing is lost when SMTP is down). */
  send(actor: MailingActor | { institutionId: number }, req: SendRequest): Promise<{ outboxId: number; missing: string[] }>;
  /** The outbox rows with `tag`, oldest first (queued, sending, sent or failed). */
  sent(institutionId: number, tag: string): Promise<SentMail[]>;
  /** Create the seeded templates that an institution lacks. */
  ensureSeeded(institutionId: number, trx?: Knex.Transaction): Promise<void>;
}

export const mailingService = createServiceRef<MailingService>({ id: 'mailing.service' });

const SUBJECT_MAX = 500;
const BODY_MAX = 20000;

const institutionOf = (actor: MailingActor | { institutionId: number }): number => {
  const id = 'institution' in actor ? actor.institution.id : actor.institutionId;
  if (typeof id !== 'number') throw new Error('mailing: the actor has no institution');
  return id;
};

function toTemplate(row: Record<string, any>): MailTemplate {
  return {
    id: row.id,
    key: row.key,
    language: row.language,
    subject: row.subject,
    body: row.body,
    version: Number(row.version),
    updatedAt: new Date(row.updated_at),
    recipient: seedTemplate(row.key)?.recipient ?? null,
  };
}

export class MailingStore implements MailingService {
  constructor(
    private readonly deps: { db: Database; audit: AuditLog; mailer: Mailer },
    private readonly contributed: () => MacroDefinition[],
  ) {}

  macros(): MacroDefinition[] {
    return dedupeMacros(this.contributed());
  }

  async ensureSeeded(institutionId: number, trx?: Knex.Transaction): Promise<void> {
    const db = trx ?? this.deps.db.knex;
    const rows = SEED_TEMPLATES.flatMap((s) => LANGUAGES.map((language) => ({ institution_id: institutionId, key: s.key, language, subject: s[language].subject, body: s[language].body })));
    await db('mailing_templates').insert(rows).onConflict(['institution_id', 'key', 'language']).ignore();
  }

  async templates(institutionId: number): Promise<MailTemplate[]> {
    await this.ensureSeeded(institutionId);
    const rows = await this.deps.db.knex('mailing_templates').where({ institution_id: institutionId }).orderBy(['key', 'language']);
    return rows.map(toTemplate);
  }

  async template(institutionId: number, key: string, language: Language, trx?: Knex.Transaction): Promise<MailTemplate | null> {
    const db = trx ?? this.deps.db.knex;
    const find = () => db('mailing_templates').where({ institution_id: institutionId, key, language }).first();
    let row = await find();
    if (!row && seedTemplate(key)) {
      await this.ensureSeeded(institutionId, trx);
      row = await find();
    }
    return row ? toTemplate(row) : null;
  }

  /** The macros of `text` nobody defines, refused with the list of available ones. */
  private check(field: 'subject' | 'body', text: string): void {
    const macros = this.macros();
    const unknown = unknownMacros(text, macros);
    if (unknown.length) {
      throw new MailingError('unknownMacros', `unknown macro(s) in the ${field}: ${unknown.join(', ')}; available: ${macros.map((m) => m.name).join(', ')}`, {
        unknown,
        available: macros.map((m) => m.name),
        field,
      });
    }
  }

  async save(actor: MailingActor, key: string, language: Language, text: { subject: string; body: string }, version: number): Promise<MailTemplate> {
    const institutionId = institutionOf(actor);
    const subject = text.subject.replace(/[\r\n]+/g, ' ').trim();
    const body = text.body.replace(/\r\n/g, '\n').trim();
    if (!subject) throw new MailingError('empty', 'the subject is empty', { field: 'subject' });
    if (!body) throw new MailingError('empty', 'the body is empty', { field: 'body' });
    if (subject.length > SUBJECT_MAX) throw new MailingError('tooLong', `the subject is longer than ${SUBJECT_MAX} characters`, { field: 'subject' });
    if (body.length > BODY_MAX) throw new MailingError('tooLong', `the body is longer than ${BODY_MAX} characters`, { field: 'body' });
    this.check('subject', subject);
    this.check('body', body);
    const current = await this.template(institutionId, key, language);
    if (!current) throw new MailingError('notFound', `no template "${key}" in ${language}`);
    return this.deps.db.knex.transaction(async (trx) => {
      const [row] = await trx('mailing_templates')
        .where({ institution_id: institutionId, key, language, version })
        .update({ subject, body, version: trx.raw('version + 1'), updated_at: trx.fn.now() })
        .returning('*');
      if (!row) throw new MailingError('conflict', `template "${key}" (${language}) was changed by someone else meanwhile`);
      await this.deps.audit.record(
        actor,
        {
          action: 'mailing.template.updated',
          targetType: 'mailing_template',
          targetId: row.id,
          before: { subject: current.subject, body: current.body, version: current.version },
          after: { subject, body, version: Number(row.version) },
          detail: { key, language },
        },
        { trx },
      );
      return toTemplate(row);
    });
  }

  async send(actor: MailingActor | { institutionId: number }, req: SendRequest): Promise<{ outboxId: number; missing: string[] }> {
    const institutionId = institutionOf(actor);
    const db = req.trx ?? this.deps.db.knex;
    const tpl = await this.template(institutionId, req.key, req.language, req.trx);
    if (!tpl) throw new MailingError('notFound', `no template "${req.key}" in ${req.language}`);
    const inst = await db('institutions').where({ id: institutionId }).first('name_fr', 'name_en');
    const host = (req.values.host && typeof req.values.host === 'object' && !(req.values.host instanceof Date) ? req.values.host : {}) as MacroValues;
    const values: MacroValues = {
      today: formatDate(new Date(), req.language),
      ...req.values,
      host: { name: req.language === 'fr' ? inst?.name_fr : inst?.name_en, ...host },
    };
    if (values.deadline instanceof Date) values.deadline = formatDate(values.deadline, req.language);
    const subject = renderTemplate(tpl.subject, values);
    const body = renderTemplate(tpl.body, values);
    const outboxId = await this.deps.mailer.queue(
      { institutionId, to: req.to, cc: req.cc, subject: subject.text.replace(/[\r\n]+/g, ' ').trim(), text: body.text, html: body.html, tag: req.tag },
      { trx: req.trx },
    );
    return { outboxId, missing: [...new Set([...subject.missing, ...body.missing])] };
  }

  async sent(institutionId: number, tag: string): Promise<SentMail[]> {
    const rows = await this.deps.db.knex('mail_outbox').where({ institution_id: institutionId, tag }).orderBy('id');
    return rows.map((r) => ({
      id: Number(r.id),
      to: r.recipient,
      subject: r.subject,
      status: r.status,
      attempts: Number(r.attempts),
      lastError: r.last_error ?? null,
      createdAt: new Date(r.created_at),
      sentAt: r.sent_at ? new Date(r.sent_at) : null,
    }));
  }
}



