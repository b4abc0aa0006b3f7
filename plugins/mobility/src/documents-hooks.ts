/**
 * How documents plug into the workflow: a step condition (the student cannot validate a step
 * whose required documents are missing or refused) and the documents block on a file's page and
 * on the student's own space.
 * @packageDocumentation
 */
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { MobilityHooks } from './hooks.js';
import type { DocumentStore } from './documents-store.js';
import { ds } from './documents-strings.js';
import { blockLocals } from './documents-view.js';
import { fileInScope, inScope, pick, readScope } from './manager-common.js';

const TAP = 'mobility:documents';

/** Tap the mobility hooks: the step condition and the documents block (order 100). */
export function tapDocumentHooks(hooks: MobilityHooks, docs: () => DocumentStore): void {
  hooks.beforeTransition.tapPromise(TAP, async (e) => {
    // staff validating a step decide for themselves; only the file's own person is held back
    if (e.action !== 'validate' || e.actor.personId == null || e.actor.personId !== e.file.personId) return;
    const step = await e.trx('mobility_steps').where({ institution_id: e.institutionId, process_id: e.file.processId, key: e.fromStep }).first();
    const codes: string[] = step?.required_documents ?? [];
    if (!codes.length) return;
    const missing = await docs().missing(e.trx, e.institutionId, e.file.id, codes);
    if (!missing.length) return;
    const lang = e.actor.language ?? e.file.language ?? 'en';
    const types = await docs().types.list(e.institutionId, e.trx);
    const label = (code: string) => pick(lang, types.find((t) => t.code === code)?.label) || code;
    const list = missing.map((m) => (m.refused ? ds(lang, 'errors.stepReplace', { type: label(m.code) }) : label(m.code))).join(lang === 'fr' ? ' ; ' : '; ');
    throw new SmileError(ErrorCodes.VALIDATION, ds(lang, 'errors.stepMissing', { list }), { status: 422 });
  });

  hooks.fileSections.tapPromise(TAP, async (sections, { ctx, file, audience }) => {
    const allowed = audience === 'student'
      ? ctx.principal.personId != null && ctx.principal.personId === file.personId
      : fileInScope(readScope(ctx), file);
    if (!allowed) return sections;
    const locals = await blockLocals(ctx, file, audience, { returnTo: audience === 'student' ? `/mobility/me/${file.id}` : `/mobility/files/${file.id}` });
    return [...sections, { id: 'documents', order: 100, view: 'mobility/documents-block', locals }];
  });
}
