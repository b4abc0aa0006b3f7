/**
 * Settings of the REST connector, with defaults shaped like a Pégase ODF API. They are a starting
 * point: the real Pégase could not be reached while writing this plugin, so paths and field names
 * must be checked against the institution's own API (see the README).
 * @packageDocumentation
 */
import { secret, z } from '@smile/sdk';
import { ENTITIES, REQUIRED_FIELDS, TARGET_FIELDS, type Entity } from './mapping.js';
import { compilePath } from './path.js';

/** A path of the mapping language, checked when the settings load. */
const pathString = z.string().min(1).superRefine((s, ctx) => {
  try {
    compilePath(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** `"path"` or `{ path?, value?, map? }`: `value` is a constant, or the fallback when the path finds nothing. */
const fieldSpec = z.union([
  pathString,
  z
    .object({ path: pathString.optional(), value: scalar.optional(), map: z.record(z.string(), scalar).optional() })
    .strict()
    .refine((s) => s.path !== undefined || s.value !== undefined, { message: 'give a path, a value, or both' }),
]);

const param = z.string().regex(/^[\w.\-[\]]{1,60}$/);
const size = z.number().int().min(1).max(10_000);

/** How the API splits a list into pages. */
export const pagingSchema = z.discriminatedUnion('style', [
  z.object({
    style: z.literal('page'),
    pageParam: param.default('page'),
    sizeParam: param.default('size'),
    size: size.default(100),
    /** Number of the first page: 0 or 1. */
    firstPage: z.number().int().min(0).max(1).default(0),
    /** Path of the total number of records in a page (when the API gives it). */
    totalPath: pathString.nullable().default(null),
  }).strict(),
  z.object({
    style: z.literal('offset'),
    offsetParam: param.default('offset'),
    limitParam: param.default('limit'),
    limit: size.default(100),
    totalPath: pathString.nullable().default(null),
  }).strict(),
  z.object({
    style: z.literal('next'),
    /** Path of the next page's URL in the body (absolute, or relative to the page's URL). */
    nextPath: pathString.default('next'),
    sizeParam: param.nullable().default(null),
    size: size.default(100),
    totalPath: pathString.nullable().default(null),
  }).strict(),
  z.object({
    style: z.literal('link'),
    sizeParam: param.nullable().default(null),
    size: size.default(100),
    totalPath: pathString.nullable().default(null),
  }).strict(),
  z.object({ style: z.literal('none') }).strict(),
]);
export type Paging = z.infer<typeof pagingSchema>;

function endpointSchema(entity: Entity) {
  const targets = Object.keys(TARGET_FIELDS[entity]) as [string, ...string[]];
  return z
    .object({
      /** Path under `baseUrl`, with `{year}`, `{nextYear}` and `{institution}` placeholders. */
      path: z.string().min(1),
      /** Extra query parameters (placeholders allowed). */
      query: z.record(param, z.string()).default({}),
      /** Path of the items in a page. */
      items: pathString.default('$.items[*]'),
      paging: pagingSchema.default({ style: 'none' }),
      /** Record field → how to read it from an item. */
      fields: z.partialRecord(z.enum(targets), fieldSpec),
    })
    .strict()
    .superRefine((e, ctx) => {
      for (const f of REQUIRED_FIELDS[entity]) {
        if (!e.fields[f]) ctx.addIssue({ code: 'custom', path: ['fields', f], message: `the mapping of ${entity} must give ${f}` });
      }
    });
}

const PEGASE_PAGING = { style: 'page', pageParam: 'page', sizeParam: 'taille', size: 100, firstPage: 0, totalPath: 'totalElements' } as const;
const fr = (list: string, fallback?: string) => `${list}[langue=fr].valeur${fallback ? ` | ${fallback}` : ''}`;
const en = (list: string) => `${list}[langue=en].valeur`;
const ELEMENTS_PATH = '/etablissements/{institution}/periodes/PER-{year}/objets-maquette';

/** Endpoints of a Pégase-like ODF API (`/etablissements/…/objets-maquette`, pages of `taille` items). */
export const PEGASE_ENDPOINTS = {
  components: {
    path: '/etablissements/{institution}/structures',
    query: {},
    items: '$.items[*]',
    paging: PEGASE_PAGING,
    fields: { code: 'code', nameFr: fr('libelles', 'libelle'), nameEn: en('libelles'), nameLongFr: 'libelleLong', acronym: 'sigle', campus: 'site.libelle' },
  },
  formations: {
    path: '/etablissements/{institution}/periodes/PER-{year}/formations',
    query: {},
    items: '$.items[*]',
    paging: PEGASE_PAGING,
    fields: {
      code: 'code', nameFr: fr('libelles', 'libelle'), nameEn: en('libelles'), acronym: 'libelleCourt', componentCode: 'structurePorteuse.code',
      diplomaType: 'typeDiplome.code', diplomaTypeNameFr: 'typeDiplome.libelle', formationType: 'typeFormation.code', formationTypeNameFr: 'typeFormation.libelle',
      level: 'niveau', domain: 'domaine.libelle', isced: 'codeCite', eqf: 'niveauCec', languages: 'languesEnseignement.code', openToMobility: 'ouvertMobiliteEntrante',
    },
  },
  elements: {
    path: ELEMENTS_PATH,
    query: {},
    items: '$.items[*]',
    paging: PEGASE_PAGING,
    fields: {
      code: 'code', kind: { path: 'type.code', value: 'EC' }, titleFr: fr('libelles', 'libelle'), titleEn: en('libelles'),
      descriptionFr: fr('descriptions'), descriptionEn: en('descriptions'), objectivesFr: fr('objectifs'), objectivesEn: en('objectifs'),
      outcomesFr: fr('acquisApprentissage'), outcomesEn: en('acquisApprentissage'), prerequisitesFr: fr('prerequis'), prerequisitesEn: en('prerequis'),
      ects: 'creditsEcts', semester: { path: 'periode.code', map: { AN: 'annual' } }, level: 'niveau', languages: 'languesEnseignement.code',
      campus: 'lieu.libelle', isced: 'codeCite', seats: 'capaciteAccueilEntrants', openToMobility: 'ouvertMobiliteEntrante', hours: 'volumeHoraire',
      componentCode: 'structurePorteuse.code',
    },
  },
  // the tree: each element lists where it sits (formation, parent, rank); same pages as the elements
  links: {
    path: ELEMENTS_PATH,
    query: {},
    items: '$.items[*].contextes[*]',
    paging: PEGASE_PAGING,
    fields: { formationCode: 'formation', parentCode: 'parent', childCode: '^.code', position: 'rang' },
  },
} as const;

const endpoints = z
  .object({
    components: endpointSchema('components').nullable().default(PEGASE_ENDPOINTS.components as any),
    formations: endpointSchema('formations').nullable().default(PEGASE_ENDPOINTS.formations as any),
    elements: endpointSchema('elements').default(PEGASE_ENDPOINTS.elements as any),
    links: endpointSchema('links').nullable().default(PEGASE_ENDPOINTS.links as any),
  })
  .strict();

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'a header name (letters, digits, -)');

export const settingsSchema = z.object({
  /** Root of the API (`https://pegase.example.fr/api/odf/v1`); empty: the connector is not configured. */
  baseUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
  /** Code of the institution in the API, for `{institution}` in paths (default: the SMILE institution code). */
  institutionCode: z.string().max(100).default(''),
  /** Header carrying the credentials (`Authorization: Bearer …`, `X-API-Key: …`). Never logged, never shown. */
  authHeader: secret(z.object({ name: headerName, value: z.string().min(1) }).strict().nullable().default(null)),
  /** Other headers sent with every request (no secrets here: they are shown in the admin pages). */
  headers: z.record(headerName, z.string()).default({}),
  /** Cron expression of the scheduled sync (`0 5 * * *`: every day at 05:00), or null. */
  schedule: z.string().regex(/^\s*\S+(\s+\S+){4,5}\s*$/, 'a cron expression of 5 or 6 fields').nullable().default(null),
  /** Time allowed for one request. */
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /** Retries of a request after a network error, a timeout, a 5xx or a 429. */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /** First wait before a retry (doubled each time) when the API does not send Retry-After. */
  retryDelayMs: z.number().int().min(0).max(60_000).default(1000),
  /** Highest number of requests started per second (0: no limit). */
  requestsPerSecond: z.number().min(0).max(1000).default(5),
  endpoints: endpoints.default(PEGASE_ENDPOINTS as any),
});

export type RestSettings = z.infer<typeof settingsSchema>;
export type Endpoint = z.infer<ReturnType<typeof endpointSchema>>;

export { ENTITIES };
