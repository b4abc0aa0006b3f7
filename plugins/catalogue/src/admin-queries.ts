/**
 * Reads and small writes of the back office that the store does not offer: list queries (filtered
 * on the institution and on the person's components), choices for filters and forms, component
 * details, reverting a formation field, and remembering imported values before a manual edit.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { AuditLog, RequestContext } from '@smile/sdk';
import type { ComponentContact } from './types.js';
import type { Lang, Scope } from './admin-common.js';

type Db = Knex | Knex.Transaction;

/** Restrict a query joined to `components as c` to the person's components. */
function scoped(q: Knex.QueryBuilder, scope: Scope, column = 'c.code'): Knex.QueryBuilder {
  if (scope !== 'all') q.whereIn(column, scope.length ? scope : ['\u0000']);
  return q;
}

/** `imported` (a connector brought it), `edited` (imported, then changed here) or `local` (created here). */
const ORIGIN = (alias: string) =>
  `case when ${alias}.source = 'local' then 'local' when cardinality(${alias}.local_fields) > 0 then 'edited' else 'imported' end`;

/** Filters of the elements list whose test is not a plain equality (array columns): their value is bound here. */
export interface ElementListExtras {
  exchange?: string;
  language?: string;
}

/** The elements of a year as the back-office list shows them. */
export function elementListQuery(knex: Db, institutionId: number, year: number, scope: Scope, lang: Lang, extras: ElementListExtras): Knex.QueryBuilder {
  const q = knex('catalogue_elements as e')
    .leftJoin('components as c', 'c.id', 'e.component_id')
    .where({ 'e.institution_id': institutionId, 'e.year': year })
    .select(
      'e.id', 'e.code', 'e.kind', 'e.title_fr', 'e.title_en', 'e.ects', 'e.mobility_ects', 'e.semester', 'e.level', 'e.seats',
      'e.open_to_mobility', 'e.in_source', 'e.source', 'e.local_fields', 'e.exchange_types', 'e.updated_at',
      'c.code as component_code',
      knex.raw(lang === 'en' ? `coalesce(nullif(e.title_en, ''), e.title_fr) as title` : 'e.title_fr as title'),
      knex.raw(`array_to_string(e.languages, ', ') as languages_text`),
      knex.raw(`${ORIGIN('e')} as origin`),
      knex.raw('(e.seats is null or e.seats > 0) as has_seats'),
      extras.exchange
        ? knex.raw('case when e.exchange_types is null or ?::text = any(e.exchange_types) then ?::text end as exchange_match', [extras.exchange, extras.exchange])
        : knex.raw('null::text as exchange_match'),
      extras.language ? knex.raw('case when ?::text = any(e.languages) then ?::text end as language_match', [extras.language, extras.language]) : knex.raw('null::text as language_match'),
    );
  return scoped(q, scope);
}

/** The formations of a year as the back-office list shows them. */
export function formationListQuery(knex: Db, institutionId: number, year: number, scope: Scope, lang: Lang): Knex.QueryBuilder {
  const q = knex('catalogue_formations as f')
    .leftJoin('components as c', 'c.id', 'f.component_id')
    .leftJoin('catalogue_diploma_types as d', 'd.id', 'f.diploma_type_id')
    .where({ 'f.institution_id': institutionId, 'f.year': year })
    .select(
      'f.id', 'f.code', 'f.name_fr', 'f.name_en', 'f.acronym', 'f.level', 'f.open_to_mobility', 'f.in_source', 'f.source', 'f.local_fields',
      'c.code as component_code', 'd.code as diploma_code',
      knex.raw(lang === 'en' ? `coalesce(nullif(f.name_en, ''), f.name_fr) as name` : 'f.name_fr as name'),
      knex.raw(`${ORIGIN('f')} as origin`),
      knex.raw('(select count(distinct l.child_id) from catalogue_links l where l.formation_id = f.id)::int as elements'),
    );
  return scoped(q, scope);
}

/** Components with their catalogue details and how much of the year's offer they hold. */
export function componentListQuery(knex: Db, institutionId: number, year: number, scope: Scope, lang: Lang): Knex.QueryBuilder {
  const q = knex('components as c')
    .leftJoin('catalogue_component_details as d', 'd.component_id', 'c.id')
    .where('c.institution_id', institutionId)
    .select(
      'c.id', 'c.code', 'c.name_fr', 'c.name_en', 'd.acronym', 'd.campus', 'd.name_long_fr', 'd.name_long_en',
      knex.raw(lang === 'en' ? 'c.name_en as name' : 'c.name_fr as name'),
      knex.raw('(select count(*) from catalogue_formations f where f.component_id = c.id and f.year = ?)::int as formations', [year]),
      knex.raw('(select count(*) from catalogue_elements e where e.component_id = c.id and e.year = ?)::int as elements', [year]),
    );
  return scoped(q, scope);
}

export interface ComponentChoice {
  id: number;
  code: string;
  nameFr: string;
  nameEn: string;
}

/** The institution's components within `scope`, by code. */
export async function componentChoices(knex: Db, institutionId: number, scope: Scope): Promise<ComponentChoice[]> {
  const q = knex('components as c').where('c.institution_id', institutionId).orderBy('c.code').select('c.id', 'c.code', 'c.name_fr', 'c.name_en');
  return ((await scoped(q, scope)) as Record<string, any>[]).map((r) => ({ id: r.id, code: r.code, nameFr: r.name_fr, nameEn: r.name_en }));
}

/** Languages of instruction and levels found in a year's elements (the list's filter options). */
export async function elementFacets(knex: Db, institutionId: number, year: number): Promise<{ languages: string[]; levels: number[] }> {
  const langs = await knex.raw(
    'select distinct unnest(languages) as l from catalogue_elements where institution_id = ? and year = ? order by 1 limit 200',
    [institutionId, year],
  );
  const levels = await knex('catalogue_elements').where({ institution_id: institutionId, year }).whereNotNull('level').distinct('level').orderBy('level').limit(50);
  return { languages: langs.rows.map((r: { l: string }) => r.l), levels: levels.map((r: { level: number }) => r.level) };
}

export interface TypeChoice {
  id: number;
  code: string;
  nameFr: string;
  nameEn: string | null;
}

/** Diploma types or formation types of the institution. */
export async function typeChoices(knex: Db, institutionId: number, table: 'catalogue_diploma_types' | 'catalogue_formation_types'): Promise<TypeChoice[]> {
  const rows = await knex(table).where({ institution_id: institutionId }).orderBy('code').select('id', 'code', 'name_fr', 'name_en');
  return rows.map((r: Record<string, any>) => ({ id: r.id, code: r.code, nameFr: r.name_fr, nameEn: r.name_en }));
}

/** Levels found in a year's formations. */
export async function formationLevels(knex: Db, institutionId: number, year: number): Promise<number[]> {
  const rows = await knex('catalogue_formations').where({ institution_id: institutionId, year }).whereNotNull('level').distinct('level').orderBy('level').limit(50);
  return rows.map((r: { level: number }) => r.level);
}

/** A component with its catalogue details. */
export interface ComponentDetails {
  id: number;
  code: string;
  nameFr: string;
  nameEn: string;
  acronym: string | null;
  nameLongFr: string | null;
  nameLongEn: string | null;
  campus: string | null;
  contacts: ComponentContact[];
  source: string | null;
}

export async function componentDetails(knex: Db, institutionId: number, code: string): Promise<ComponentDetails | undefined> {
  const r = await knex('components as c')
    .leftJoin('catalogue_component_details as d', 'd.component_id', 'c.id')
    .where({ 'c.institution_id': institutionId, 'c.code': code })
    .first('c.id', 'c.code', 'c.name_fr', 'c.name_en', 'd.acronym', 'd.name_long_fr', 'd.name_long_en', 'd.campus', 'd.contacts', 'd.source');
  if (!r) return undefined;
  return {
    id: r.id, code: r.code, nameFr: r.name_fr, nameEn: r.name_en, acronym: r.acronym ?? null, nameLongFr: r.name_long_fr ?? null,
    nameLongEn: r.name_long_en ?? null, campus: r.campus ?? null, contacts: Array.isArray(r.contacts) ? r.contacts : [], source: r.source ?? null,
  };
}

type Actor = RequestContext<any, any, any>;

/** Store the catalogue details of a component (audited; the next import bringing details replaces them). */
export async function saveComponentDetails(
  knex: Knex,
  audit: AuditLog,
  actor: Actor,
  component: ComponentDetails,
  values: { acronym: string | null; nameLongFr: string | null; nameLongEn: string | null; campus: string | null; contacts: ComponentContact[] },
): Promise<void> {
  await knex.transaction(async (trx) => {
    const row = {
      acronym: values.acronym, name_long_fr: values.nameLongFr, name_long_en: values.nameLongEn, campus: values.campus,
      contacts: JSON.stringify(values.contacts), updated_at: trx.fn.now(),
    };
    await trx('catalogue_component_details')
      .insert({ component_id: component.id, institution_id: actor.institution.id, ...row })
      .onConflict('component_id')
      .merge(Object.keys(row));
    await audit.record(actor, {
      action: 'catalogue.component.update', targetType: 'component', targetId: component.code,
      before: { acronym: component.acronym, nameLongFr: component.nameLongFr, nameLongEn: component.nameLongEn, campus: component.campus, contacts: component.contacts },
      after: values,
    }, { trx });
  });
}

/** Codes of components by id, for showing imported `componentCode` values (stored as ids). */
export async function componentCodesById(knex: Db, institutionId: number, ids: unknown[]): Promise<Map<number, string>> {
  const wanted = ids.filter((x): x is number => typeof x === 'number');
  if (!wanted.length) return new Map();
  const rows = await knex('components').where({ institution_id: institutionId }).whereIn('id', wanted).select('id', 'code');
  return new Map(rows.map((r: { id: number; code: string }) => [r.id, r.code]));
}

/** Counts of a year's offer for the overview (within the person's components). */
export async function overviewCounts(knex: Db, institutionId: number, year: number, scope: Scope) {
  const e = scoped(
    knex('catalogue_elements as e')
      .leftJoin('components as c', 'c.id', 'e.component_id')
      .where({ 'e.institution_id': institutionId, 'e.year': year })
      .select(
        knex.raw('count(*)::int as total'),
        knex.raw('count(*) filter (where e.open_to_mobility)::int as open'),
        knex.raw('count(*) filter (where not e.in_source)::int as gone'),
        knex.raw(`count(*) filter (where e.source <> 'local' and cardinality(e.local_fields) > 0)::int as edited`),
        knex.raw(`count(*) filter (where e.source = 'local')::int as local`),
      ),
    scope,
  );
  const f = scoped(
    knex('catalogue_formations as f').leftJoin('components as c', 'c.id', 'f.component_id').where({ 'f.institution_id': institutionId, 'f.year': year }).count({ n: '*' }),
    scope,
  );
  const [el] = await e;
  const [fo] = await f;
  return { elements: el as { total: number; open: number; gone: number; edited: number; local: number }, formations: Number((fo as { n: string | number }).n) };
}
