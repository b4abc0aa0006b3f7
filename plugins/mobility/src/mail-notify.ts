/**
 * Sending the mobility mails: the notices of a transition (queued in its transaction, so a mail
 * exists only if the transition commits), a refused document, a reminder, a message.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import { coreServices } from '@smile/sdk';
import type { Logger, RegisterApi } from '@smile/sdk';
import { mailingService, type MailingService } from '@smile/plugin-mailing';
import type { TransitionEvent } from './hooks.js';
import { mobilityService, type MobilityStore } from './store.js';
import type { MobilityFile, StepSpec } from './types.js';
import { transitionNotices, type Audience, type Notice, type TemplateKey } from './mail-rules.js';
import { addresseesOf, fileLink, institutionInfo, type Addressee, type InstitutionInfo } from './mail-recipients.js';
import { exchangeTypeLabel, macroValues } from './mail-values.js';

type Db = Knex | Knex.Transaction;

/** The services sending needs; getters, since taps are declared before the platform boots. */
export interface MailDeps {
  mailing: () => MailingService;
  store: () => MobilityStore;
  baseUrl: () => string;
  log: () => Logger;
}

/** The mail services of a plugin's registration, resolved on first use. */
export function mailDeps(r: RegisterApi<any>): MailDeps {
  const config = r.deferred(coreServices.config);
  return { mailing: r.deferred(mailingService), store: r.deferred(mobilityService), baseUrl: () => config().baseUrl, log: r.deferred(coreServices.logger) };
}

/** The tag of every mail about a file: the sent-mail block of the file lists them. */
export const fileTag = (fileId: number): string => `mobility.file:${fileId}`;

/** The deadline of the file's active step visit, if any. */
export async function activeDeadline(db: Db, fileId: number): Promise<Date | null> {
  const v = await db('mobility_file_steps').where({ file_id: fileId, state: 'active' }).first('deadline_at');
  return v?.deadline_at ? new Date(v.deadline_at) : null;
}

/** What one call of {@link sendTemplate} needs besides the file. */
export interface TemplateMail {
  template: TemplateKey;
  to: Addressee[];
  step?: StepSpec | null;
  deadline?: Date | null;
  comment?: string | null;
}

/**
 * Queue `template` to each addressee, in their language, with the file's macro values, tagged with
 * the file. With `trx` the mails exist only if it commits. Returns how many were queued.
 */
export async function sendTemplate(deps: MailDeps, db: Db, inst: InstitutionInfo, file: MobilityFile, mail: TemplateMail, trx?: Knex.Transaction): Promise<number> {
  const labels = new Map<string, string>();
  for (const a of mail.to) {
    if (!labels.has(a.language)) labels.set(a.language, await exchangeTypeLabel(db, inst.id, file.exchangeType, a.language));
    await deps.mailing().send({ institutionId: inst.id }, {
      key: mail.template,
      language: a.language,
      to: a.email,
      tag: fileTag(file.id),
      trx,
      values: macroValues(file, {
        language: a.language, link: fileLink(inst, file.id, a.side), step: mail.step ?? null, deadline: mail.deadline ?? null,
        comment: mail.comment ?? null, exchangeTypeLabel: labels.get(a.language),
      }),
    });
  }
  return mail.to.length;
}

/** Queue the notices of a plan for a file. */
export async function sendNotices(
  deps: MailDeps, db: Db, inst: InstitutionInfo, file: MobilityFile, notices: Notice[], extra: { comment?: string | null; components?: (n: Notice) => string[] | undefined } = {}, trx?: Knex.Transaction,
): Promise<number> {
  let sent = 0;
  const deadline = notices.some((n) => n.deadlineOfCurrent) ? await activeDeadline(db, file.id) : null;
  for (const n of notices) {
    const to = await addresseesOf(db, inst, file, n.audience, n.role, deps.log(), extra.components?.(n));
    sent += await sendTemplate(deps, db, inst, file, { template: n.template, to, step: n.step, deadline: n.deadlineOfCurrent ? deadline : null, comment: extra.comment }, trx);
  }
  return sent;
}

/** The `afterTransition` tap: the mails of {@link transitionNotices}, in the transition's transaction. */
export async function notifyTransition(deps: MailDeps, event: TransitionEvent): Promise<void> {
  const trx = event.trx;
  const process = await deps.store().process(event.institutionId, event.file.processId, trx);
  const from = process.steps.find((s) => s.key === event.fromStep);
  if (!from) return;
  const to = event.toStep ? process.steps.find((s) => s.key === event.toStep) ?? null : null;
  const notices = transitionNotices({ action: event.action, partial: event.partial, from, to });
  if (!notices.length) return;
  const inst = await institutionInfo(trx, event.institutionId, deps.baseUrl());
  await sendNotices(deps, trx, inst, event.file, notices, { comment: event.comment }, trx);
}

/** Send a template to one audience of a file outside any transition (document refused, message). */
export async function notifyAudience(
  deps: MailDeps, db: Db, file: MobilityFile, template: TemplateKey, audience: Audience, opts: { role?: string; comment?: string | null; trx?: Knex.Transaction } = {},
): Promise<number> {
  const inst = await institutionInfo(db, file.institutionId, deps.baseUrl());
  const to = await addresseesOf(db, inst, file, audience, opts.role, deps.log());
  return sendTemplate(deps, db, inst, file, { template, to, comment: opts.comment ?? null, deadline: await activeDeadline(db, file.id) }, opts.trx);
}
