/**
 * Documents on mobility files (issue 6): document types per institution, uploads by the student and
 * the office into a storage (local disk or S3-compatible), review by managers, downloads, the step
 * condition on required documents and the documents block of the file pages.
 * @packageDocumentation
 */
import { coreServices } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import type { MobilityHooks } from './hooks.js';
import { registerDocumentTypeRoutes } from './documents-config.js';
import { tapDocumentHooks } from './documents-hooks.js';
import { registerDocumentRoutes } from './documents-routes.js';
import { DocumentStore, documentsService } from './documents-store.js';

export { DocumentStore, DocumentRefusal, documentsService } from './documents-store.js';
export type { DocumentActor, DocumentStatus, MobilityDocument } from './documents-store.js';
export type { DocumentType } from './documents-types.js';
export { storageFor, storageSettings, type DocumentStorage, type StorageSettings } from './storage.js';

/** Register the documents part: its service, pages, hook taps, and the seeding of document types. */
export function registerDocuments(r: RegisterApi<any>, hooks: MobilityHooks): void {
  r.provide(documentsService, {
    deps: { db: coreServices.database, audit: coreServices.audit, events: coreServices.events, log: coreServices.logger },
    factory: (deps) => new DocumentStore(deps),
  });
  const docs = r.deferred(documentsService);
  const institutions = r.deferred(coreServices.institutions);
  r.hooks.afterBootstrap.tap(async () => {
    for (const institution of await institutions().all()) await docs().types.ensureSeeded(institution.id);
  });
  registerDocumentTypeRoutes(r);
  registerDocumentRoutes(r);
  tapDocumentHooks(hooks, docs);
}
