/**
 * The mail sent about a file, on the office's file page (a `fileSections` block, order 300): when,
 * to whom, the subject and where it stands (queued, sent, failed with the error).
 * @packageDocumentation
 */
import type { RegisterApi } from '@smile/sdk';
import { mailingService } from '@smile/plugin-mailing';
import { mobilityHooks } from './hooks.js';
import { PERMISSIONS } from './permissions.js';
import { fileTag } from './mail-notify.js';

/** The sent-mail block of the manager's file page. */
export function registerSentMail(r: RegisterApi<any>): void {
  const mailing = r.deferred(mailingService);
  r.hooksOf(mobilityHooks).fileSections.tap(async (sections, { ctx, file, audience }) => {
    if (audience !== 'manager' || !ctx.can(PERMISSIONS.read, { component: file.componentCode })) return sections;
    const mails = (await mailing().sent(ctx.institution.id, fileTag(file.id))).reverse();
    return [...sections, { id: 'sent-mail', order: 300, view: 'mobility/mail-sent', locals: { mails } }];
  });
}
