/**
 * Mail of the mobility workflow: the macros, the notifications of transitions and refused
 * documents, messages, reminders, and the sent-mail block of a file. The mass mail and the bulk
 * actions hang off the files list (`manager-list.ts`). Who gets which mail: `mail-rules.ts`.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { coreServices } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { mailingHooks } from '@smile/plugin-mailing';
import { mobilityHooks, type MobilityHooks } from './hooks.js';
import { mailDeps, notifyAudience, notifyTransition } from './mail-notify.js';
import { sendDueReminders, type ReminderDeps } from './mail-reminders.js';
import { registerSentMail } from './mail-sent.js';
import { MOBILITY_MACROS } from './mail-values.js';
import { registerMessages } from './messages.js';

export { MAIL_RULES, studentLanguage, transitionNotices, reminderNotices } from './mail-rules.js';
export { sendDueReminders } from './mail-reminders.js';
export { MOBILITY_MACROS, macroValues } from './mail-values.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/mobility@${VERSION}/manager.css">`;

/** Every 15 minutes: a reminder comes at most a quarter of an hour after its date. */
export const REMINDER_CRON = '*/15 * * * *';

/** The reminder job's dependencies for a registration (tests call {@link sendDueReminders} with them). */
export function reminderDeps(r: RegisterApi<any>): ReminderDeps {
  return { ...mailDeps(r), db: r.deferred(coreServices.database), institutions: r.deferred(coreServices.institutions) };
}

/** Register the mail part of the plugin. `_hooks` are the plugin's own (tapped through `r.hooksOf`, which awaits async taps). */
export function registerMail(r: RegisterApi<any>, _hooks: MobilityHooks): void {
  const deps = reminderDeps(r);
  const mobility = r.hooksOf(mobilityHooks);

  r.hooksOf(mailingHooks).transformMacros.tap((list) => [...list, ...MOBILITY_MACROS.map((m) => ({ ...m }))]);

  // queued with the transition's transaction: the mail exists only if the transition commits
  mobility.afterTransition.tap((event) => notifyTransition(deps, event));

  r.subscribe({
    event: 'mobility.document.refused',
    async handler(payload, ctx) {
      const fileId = Number(payload.fileId);
      if (!ctx.institutionId || !Number.isInteger(fileId)) return;
      // subscribers run even where the plugin is off: check it here
      if ((await deps.institutions().byId(ctx.institutionId))?.plugins?.mobility === false) return;
      const file = await deps.store().file(ctx.institutionId, fileId);
      if (!file) return;
      const comment = typeof payload.comment === 'string' ? payload.comment : null;
      await notifyAudience(deps, deps.db().knex, file, 'document-refused', 'student', { comment });
    },
  });

  r.job({
    name: 'reminders',
    cron: REMINDER_CRON,
    async handler() {
      await sendDueReminders(deps);
    },
  });

  registerMessages(r, deps);
  registerSentMail(r);
  r.hooks.transformLayout.tap((parts, page) => (/^mobility\/(bulk|mail)-/.test(page.view) ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
}
