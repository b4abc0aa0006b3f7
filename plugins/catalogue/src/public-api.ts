/**
 * The public catalogue as JSON, under `/api/v1/catalogue` (no token needed): the same search as the
 * page, an element with everything about it, formations with their trees, components. Texts come in
 * both languages as `{ fr, en }`; every element carries the absolute address of its stable page.
 * @packageDocumentation
 */
import { ErrorCodes, SmileError, z } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { siteOrigin } from './public-browse.js';
import { openTree, type PublicCatalogue, type PublicComponent, type PublicNode } from './public-data.js';
import { componentPath, DEFAULT_PAGE_SIZE, elementPath, formationPath, SORTS, toSearchQuery, type PublicSearch } from './public-query.js';
import { SEARCH_PAGE_SIZES } from './search.js';
import type { CatalogueSettings } from './settings.js';
import type { CatalogueStore } from './store.js';
import { SEMESTERS } from './types.js';

const text = z.string().nullable();
const bilingual = z.object({ fr: z.string(), en: text }).describe('A text in French and English (`en` is null when there is none)');
const optionalBilingual = z.object({ fr: text, en: text });
/** Text without control characters (PostgreSQL refuses NUL bytes): a value that cannot match is refused, never an error. */
const plain = (max: number) => z.string().max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'text without control characters');
const codeParam = plain(64).min(1);
const yearParam = z.coerce.number().int().min(1900).max(2999).describe('Academic year: 2026 is 2026–2027');
const semester = z.enum(SEMESTERS as unknown as ['S1', 'S2', 'annual']);
const componentRef = z.object({ code: z.string(), name: bilingual });
const contact = z.object({ role: z.string().optional(), name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() });
const component = z.object({
  code: z.string(), name: bilingual, nameLong: optionalBilingual, acronym: text, campus: text, contacts: z.array(contact), url: z.string(),
});

const searchQuery = z.object({
  q: z.string().max(200).optional().describe('Words to find in titles, descriptions and codes, in French or English (accents and case do not matter; word beginnings match; small typos are tolerated when nothing matches exactly)'),
  year: yearParam.optional(),
  lang: z.enum(['fr', 'en']).optional().describe('Language of the titles when sorting by title (default: the request’s)'),
  component: plain(64).optional().describe('Component code'),
  level: z.coerce.number().int().min(0).max(20).optional().describe('Year of study (1 = first year of a bachelor)'),
  semester: semester.optional(),
  language: z.string().regex(/^[a-z]{2,3}$/).optional().describe('Language of instruction (ISO 639-1)'),
  ectsMin: z.coerce.number().min(0).max(999).optional(),
  ectsMax: z.coerce.number().min(0).max(999).optional(),
  campus: plain(200).optional(),
  exchangeType: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
  sort: z.enum(SORTS).optional().describe('relevance (default with words), title (default without), code, ects'),
  page: z.coerce.number().int().min(1).max(1000).optional(),
  pageSize: z.coerce.number().int().refine((n) => SEARCH_PAGE_SIZES.includes(n), `one of ${SEARCH_PAGE_SIZES.join(', ')}`).optional(),
});

const elementSummary = z.object({
  code: z.string(), year: z.number(), kind: z.string(), title: bilingual, ects: z.number().nullable(), mobilityEcts: z.number().nullable(),
  semester: semester.nullable(), level: z.number().nullable(), languages: z.array(z.string()), campus: text, seats: z.number().nullable(),
  component: componentRef.nullable(), url: z.string().describe('Stable address of the element’s page'),
});

const slot = z.object({ day: z.number(), start: z.string(), end: z.string(), room: z.string().optional(), kind: z.string().optional() });
const elementDetail = elementSummary.extend({
  description: optionalBilingual, objectives: optionalBilingual, learningOutcomes: optionalBilingual, prerequisites: optionalBilingual,
  isced: text, competences: z.array(z.string()), hours: z.number().nullable(),
  exchangeTypes: z.array(z.object({ code: z.string(), name: bilingual })).nullable().describe('null: every exchange type may take it'),
  openToMobility: z.boolean().describe('false: not open to incoming students this year (the page still answers)'),
  timetable: z.array(slot),
  component: component.nullable(),
  formations: z.array(z.object({ code: z.string(), name: bilingual, url: z.string() })),
});

const formationSummary = z.object({
  code: z.string(), year: z.number(), name: bilingual, acronym: text, level: z.number().nullable(), eqf: z.number().nullable(), isced: text,
  domain: text, languages: z.array(z.string()), diplomaType: z.object({ code: z.string(), name: bilingual }).nullable(), component: componentRef.nullable(),
  elements: z.number().describe('Elements open to mobility in its tree'), url: z.string(),
});

interface TreeJson {
  code: string;
  kind: string;
  title: { fr: string; en: string | null };
  ects: number | null;
  mobilityEcts: number | null;
  semester: 'S1' | 'S2' | 'annual' | null;
  open: boolean;
  url: string;
  children: TreeJson[];
}
const treeNode: z.ZodType<TreeJson> = z.lazy(() =>
  z.object({
    code: z.string(), kind: z.string(), title: bilingual, ects: z.number().nullable(), mobilityEcts: z.number().nullable(), semester: semester.nullable(),
    open: z.boolean().describe('false: a closed element shown because open ones sit under it'), url: z.string(), children: z.array(treeNode),
  }),
);
const formationDetail = formationSummary.extend({
  formationType: z.object({ code: z.string(), name: bilingual }).nullable(),
  openToMobility: z.boolean(),
  tree: z.array(treeNode),
});

const bi = (fr: string, en: string | null | undefined) => ({ fr, en: en && en !== fr ? en : null });
const notFound = (what: string) => new SmileError(ErrorCodes.NOT_FOUND, `${what} not found`, { status: 404 });

export function registerPublicApi(r: RegisterApi<CatalogueSettings>, reads: PublicCatalogue, store: () => CatalogueStore): void {
  const componentJson = (origin: string, year: number, c: PublicComponent) => ({
    code: c.code, name: bi(c.nameFr, c.nameEn), nameLong: { fr: c.nameLongFr, en: c.nameLongEn }, acronym: c.acronym, campus: c.campus,
    contacts: c.contacts.map((x) => ({ role: x.role, name: x.name, email: x.email, phone: x.phone })), url: origin + componentPath(year, c.code),
  });
  const yearOf = (asked: number | undefined) => asked ?? store().currentYear();

  r.api({
    method: 'GET',
    path: '/catalogue/elements',
    public: true,
    summary: 'Search the teaching elements open to incoming students',
    description: 'The search of the public catalogue page, with the same parameters. Results are paged.',
    query: searchQuery,
    response: z.object({ year: z.number(), total: z.number(), page: z.number(), pageSize: z.number(), pageCount: z.number(), fuzzy: z.boolean(), items: z.array(elementSummary) }),
    async handler(ctx) {
      const q = ctx.query;
      const year = yearOf(q.year);
      const s: PublicSearch = {
        q: q.q ?? '', year, component: q.component ?? '', level: q.level, semester: q.semester, language: q.language ?? '', ectsMin: q.ectsMin, ectsMax: q.ectsMax,
        campus: q.campus ?? '', exchangeType: q.exchangeType ?? '', sort: q.sort ?? 'relevance', page: q.page ?? 1, size: q.pageSize ?? DEFAULT_PAGE_SIZE,
      };
      const result = await reads.search(ctx.institution.id, toSearchQuery(s, q.lang ?? ctx.language));
      const origin = siteOrigin(ctx);
      return {
        year, total: result.total, page: result.page, pageSize: result.pageSize, pageCount: result.pageCount, fuzzy: Boolean(result.fuzzy),
        items: result.hits.map((h) => ({
          code: h.code, year, kind: h.kind, title: bi(h.titleFr, h.titleEn), ects: h.ects, mobilityEcts: h.mobilityEcts, semester: h.semester, level: h.level,
          languages: h.languages, campus: h.campus, seats: h.seats,
          component: h.componentCode ? { code: h.componentCode, name: bi(h.componentNameFr ?? h.componentCode, h.componentNameEn) } : null,
          url: origin + elementPath(year, h.code),
        })),
      };
    },
  });

  r.api({
    method: 'GET',
    path: '/catalogue/elements/:year/:code',
    public: true,
    summary: 'A teaching element, with its component and formations',
    description: 'Answers for closed elements too (`openToMobility: false`): their address appears in Learning Agreements.',
    params: z.object({ year: yearParam, code: codeParam }),
    response: elementDetail,
    async handler(ctx) {
      const { year, code } = ctx.params;
      const inst = ctx.institution.id;
      const e = await store().element(inst, year, code);
      if (!e) throw notFound('element');
      const [c, formations] = await Promise.all([e.componentId === null ? undefined : reads.componentById(inst, e.componentId), reads.formationsOf(inst, e.id)]);
      const origin = siteOrigin(ctx);
      const types = r.settingsFor(ctx.institution).exchangeTypes;
      return {
        code: e.code, year, kind: e.kind, title: bi(e.titleFr, e.titleEn), ects: e.ects, mobilityEcts: e.mobilityEcts, semester: e.semester, level: e.level,
        languages: e.languages, campus: e.campus, seats: e.seats,
        description: { fr: e.descriptionFr, en: e.descriptionEn }, objectives: { fr: e.objectivesFr, en: e.objectivesEn },
        learningOutcomes: { fr: e.outcomesFr, en: e.outcomesEn }, prerequisites: { fr: e.prerequisitesFr, en: e.prerequisitesEn },
        isced: e.isced, competences: e.competences, hours: e.hours,
        exchangeTypes: e.exchangeTypes === null ? null : e.exchangeTypes.map((code) => {
          const x = types.find((t) => t.code === code);
          return { code, name: x ? { fr: x.fr, en: x.en } : { fr: code, en: null } };
        }),
        openToMobility: e.openToMobility && e.inSource,
        timetable: e.timetable,
        component: c ? componentJson(origin, year, c) : null,
        formations: formations.map((f) => ({ code: f.code, name: bi(f.nameFr, f.nameEn), url: origin + formationPath(year, f.code) })),
        url: origin + elementPath(year, e.code),
      };
    },
  });

  r.api({
    method: 'GET',
    path: '/catalogue/formations',
    public: true,
    summary: 'The formations open to incoming students in a year',
    query: z.object({ year: yearParam.optional(), component: plain(64).optional().describe('Only those of this component') }),
    response: z.object({ year: z.number(), items: z.array(formationSummary) }),
    async handler(ctx) {
      const inst = ctx.institution.id;
      const year = yearOf(ctx.query.year);
      const origin = siteOrigin(ctx);
      let list = await reads.formations(inst, year, await reads.generation(inst));
      if (ctx.query.component) list = list.filter((f) => f.componentCode === ctx.query.component);
      return {
        year,
        items: list.map((f) => ({
          code: f.code, year, name: bi(f.nameFr, f.nameEn), acronym: f.acronym, level: f.level, eqf: f.eqf, isced: f.isced, domain: f.domain, languages: f.languages,
          diplomaType: f.diplomaTypeCode ? { code: f.diplomaTypeCode, name: bi(f.diplomaTypeFr ?? f.diplomaTypeCode, f.diplomaTypeEn) } : null,
          component: f.componentCode ? { code: f.componentCode, name: bi(f.componentNameFr ?? f.componentCode, f.componentNameEn) } : null,
          elements: f.elements, url: origin + formationPath(year, f.code),
        })),
      };
    },
  });

  r.api({
    method: 'GET',
    path: '/catalogue/formations/:year/:code',
    public: true,
    summary: 'A formation with its tree of teaching elements',
    description: 'The tree holds the elements open to mobility, and the closed ones that have open elements under them (`open: false`).',
    params: z.object({ year: yearParam, code: codeParam }),
    response: formationDetail,
    async handler(ctx) {
      const { year, code } = ctx.params;
      const inst = ctx.institution.id;
      const f = await store().formation(inst, year, code);
      if (!f || !f.inSource) throw notFound('formation');
      const [types, c, tree] = await Promise.all([reads.formationTypes(inst, f), f.componentId === null ? undefined : reads.componentById(inst, f.componentId), store().tree(inst, f.id)]);
      const origin = siteOrigin(ctx);
      const node = (n: PublicNode): TreeJson => ({
        code: n.element.code, kind: n.element.kind, title: bi(n.element.titleFr, n.element.titleEn), ects: n.element.ects, mobilityEcts: n.element.mobilityEcts,
        semester: n.element.semester, open: n.open, url: origin + elementPath(year, n.element.code), children: n.children.map(node),
      });
      const open = openTree(tree);
      const count = new Set<number>();
      const walk = (ns: PublicNode[]) => ns.forEach((n) => (n.open && count.add(n.element.id), walk(n.children)));
      walk(open);
      return {
        code: f.code, year, name: bi(f.nameFr, f.nameEn), acronym: f.acronym, level: f.level, eqf: f.eqf, isced: f.isced, domain: f.domain, languages: f.languages,
        diplomaType: types.diplomaType ? { code: types.diplomaType.code, name: bi(types.diplomaType.fr, types.diplomaType.en) } : null,
        formationType: types.formationType ? { code: types.formationType.code, name: bi(types.formationType.fr, types.formationType.en) } : null,
        component: c ? { code: c.code, name: bi(c.nameFr, c.nameEn) } : null,
        elements: count.size, openToMobility: f.openToMobility, url: origin + formationPath(year, f.code), tree: open.map(node),
      };
    },
  });

  r.api({
    method: 'GET',
    path: '/catalogue/components',
    public: true,
    summary: 'Components (faculties, schools) that offer courses to incoming students in a year',
    query: z.object({ year: yearParam.optional() }),
    response: z.object({ year: z.number(), items: z.array(component.extend({ formations: z.number(), elements: z.number() })) }),
    async handler(ctx) {
      const inst = ctx.institution.id;
      const year = yearOf(ctx.query.year);
      const origin = siteOrigin(ctx);
      const list = await reads.components(inst, year, await reads.generation(inst));
      return { year, items: list.map((c) => ({ ...componentJson(origin, year, c), formations: c.formations, elements: c.elements })) };
    },
  });
}
