import { readFileSync } from 'node:fs';
import { coreServices, definePlugin, z } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { PERMISSIONS, registerRoutes } from './routes.js';
import { EsiStore, esiService } from './store.js';
import { issueMessage } from './strings.js';

export { esiService, EsiError } from './store.js';
export type { EsiService, EsiActor, AssignResult, EsiConflict, ConflictPerson, PersonEsi } from './store.js';
export { parseEsi, normaliseEsi, chooseEsi, ESI_PREFIX, ESI_MAX_LENGTH } from './esi.js';
export type { ParsedEsi, EsiChoice, Issue, IssueCode, Result } from './esi.js';
export { validateIne, esiFromIne, beaKey, base36Key, ALPHABET_23 } from './ine.js';
export type { IneFormat, ParsedIne } from './ine.js';

/** SAML name of schacPersonalUniqueCode. */
const SCHAC_PUC_OID = 'urn:oid:1.3.6.1.4.1.25178.1.2.14';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/esi@${VERSION}/esi.css">`;

/**
 * Store the ESI a person presents at sign-in (`schacPersonalUniqueCode`), or flag a conflict. Never
 * fails the sign-in: a malformed value is logged with its reason and ignored.
 */
function tapSignIn(r: RegisterApi): void {
  const service = r.deferred(esiService);
  const logger = r.deferred(coreServices.logger);
  r.hooks.afterSignIn.tap(async ({ institution, person, identity }) => {
    const log = logger().child({ plugin: 'esi', person: person.id, provider: identity.provider });
    try {
      const attrs = identity.attributes ?? {};
      // sign-in plugins give friendly names; an unmapped SAML attribute keeps its OID
      const choice = service().choose([...(attrs.schacPersonalUniqueCode ?? []), ...(attrs[SCHAC_PUC_OID] ?? [])]);
      // the values themselves stay out of the log: they identify the student
      for (const { index, issue } of choice.rejected) log.warn({ value: index, reason: issue.code }, `ESI ignored at sign-in: ${issueMessage(issue)}`);
      if (!choice.esi) return;
      if (choice.others.length) log.info({ others: choice.others.length }, 'several ESIs at sign-in: the nation-wide one is kept');
      const actor = { institutionId: institution.id, personId: person.id, label: person.displayName };
      const result = await service().assign(actor, person.id, choice.esi.value, 'sign-in');
      if (!result.ok) log.warn({ conflict: result.conflict.id }, 'ESI presented at sign-in belongs to another person: conflict flagged');
    } catch (e) {
      log.error({ err: e instanceof Error ? e.message : String(e) }, 'ESI not recorded at sign-in');
    }
  });
}

/**
 * The European Student Identifier: parse, validate and normalise ESIs, build them from the French
 * INE, keep one per person (recorded at sign-in), and let managers settle the conflicts when two
 * people present the same one.
 */
export default definePlugin({
  settings: z.object({
    /** Build ESIs from provisional INEs too (they change once the definitive INE is known). */
    allowProvisionalIne: z.boolean().default(false),
  }),
  permissions: {
    [PERMISSIONS.check]: {
      description: { fr: 'Vérifier un ESI ou un INE', en: 'Check an ESI or an INE' },
      defaultRoles: ['manager'],
    },
    [PERMISSIONS.read]: {
      description: { fr: 'Voir les conflits d’ESI entre personnes', en: 'See ESI conflicts between people' },
      defaultRoles: ['manager'],
    },
    [PERMISSIONS.resolve]: {
      description: { fr: 'Résoudre un conflit d’ESI (choisir qui garde l’ESI)', en: 'Resolve an ESI conflict (choose who keeps the ESI)' },
      defaultRoles: ['supermanager'],
    },
  },
  register(r) {
    r.provide(esiService, {
      deps: { db: coreServices.database, audit: coreServices.audit, events: coreServices.events, log: coreServices.logger },
      factory: (deps) => new EsiStore(deps, { allowProvisionalIne: r.settings.allowProvisionalIne }),
    });
    r.nav({ href: '/esi/conflicts', label: { fr: 'Conflits d’ESI', en: 'ESI conflicts' }, permission: PERMISSIONS.read, weight: 70 });
    r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('esi/') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
    tapSignIn(r);
    registerRoutes(r);
  },
});
