/**
 * What the student part hooks into: the invitation of every new file (event `mobility.file.created`),
 * the link by ESI at sign-in (`afterSignIn`), and the step condition that a student step is sent
 * only with the required profile fields filled in (`beforeTransition`).
 * @packageDocumentation
 */
import { coreServices, ErrorCodes, SmileError } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { mailingService } from '@smile/plugin-mailing';
import type { MobilityHooks } from './hooks.js';
import type { ProfileField } from './profile-fields.js';
import { s } from './student-common.js';
import { inviteNewFile, linkByEsi, type InvitationDeps } from './student-invitations.js';
import { missingFields, requiredFields, valuesOfRow } from './student-store.js';

/** A student step refused because required profile fields are empty; `fields` lists them. */
export class ProfileIncomplete extends SmileError {
  constructor(lang: 'fr' | 'en', readonly fields: ProfileField[]) {
    const names = fields.map((f) => s(lang, `profile.fields.${f}`)).join(', ');
    super(ErrorCodes.VALIDATION, s(lang, 'student.errors.incomplete', { fields: names }), { status: 422 });
  }
}

/** The services the taps need, resolved once the platform has booted. */
export function invitationDeps(r: RegisterApi<any>): () => InvitationDeps {
  const db = r.deferred(coreServices.database);
  const audit = r.deferred(coreServices.audit);
  const roles = r.deferred(coreServices.roles);
  const mailing = r.deferred(mailingService);
  const config = r.deferred(coreServices.config);
  return () => ({ knex: db().knex, audit: audit(), roles: roles(), mailing, config });
}

export function registerTaps(r: RegisterApi<any>, hooks: MobilityHooks): void {
  const deps = invitationDeps(r);
  const institutions = r.deferred(coreServices.institutions);
  const logger = r.deferred(coreServices.logger);

  r.subscribe({
    event: 'mobility.file.created',
    async handler(payload, { institutionId, log }) {
      const fileId = Number(payload.fileId);
      const institution = institutionId === null ? undefined : await institutions().byId(institutionId);
      // subscribers run even where the plugin is off: they check it themselves
      if (!institution || institution.plugins.mobility === false || !Number.isInteger(fileId)) return;
      // demo files stand for people who do not exist: nobody to invite
      if (payload.source === 'demo') return;
      if (await inviteNewFile(deps(), institution, fileId)) log.info({ file: fileId }, 'mobility: invitation sent');
    },
  });

  r.hooks.afterSignIn.tap(async ({ institution, person, identity }) => {
    const linked = await linkByEsi(deps(), institution, person, identity.attributes ?? {});
    if (linked.length) logger().info({ person: person.id, files: linked }, 'mobility: files linked by ESI at sign-in');
  });

  hooks.beforeTransition.tapPromise('mobility:student-profile', async (event) => {
    // abandoning and refusing stay possible with an incomplete profile; the platform's own moves are not the student's
    if (event.action !== 'validate' || event.system) return;
    const step = await event.trx('mobility_steps').where({ process_id: event.file.processId, key: event.fromStep }).first('owner');
    if (step?.owner !== 'student') return;
    const row = await event.trx('mobility_files').where({ institution_id: event.institutionId, id: event.file.id }).first();
    const missing = missingFields(valuesOfRow(row), await requiredFields(event.trx, event.institutionId, event.file.exchangeType));
    if (missing.length) throw new ProfileIncomplete(event.actor.language ?? 'en', missing);
  });
}
