/**
 * Catalogue benchmark parts: a PostgreSQL database of its own, 100 realistic search queries drawn from the
 * seeded catalogue, the query-plan check, and the CSV import against a raw knex batch insert.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import knexPkg, { type Knex } from 'knex';
import { explainSearch, fold, type SearchQuery } from '../plugins/catalogue/src/search.js';

/** The PostgreSQL server the catalogue benchmark uses (it creates and drops a database of its own there). */
export const serverUrl = () => process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export async function reachable(url: string): Promise<boolean> {
  const k = knexPkg({ client: 'pg', connection: { connectionString: url, connectionTimeoutMillis: 3000 } as any, pool: { min: 0, max: 1 } });
  try {
    await k.raw('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await k.destroy();
  }
}

/** A throw-away database on the server at `url`. */
export async function createDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `smile_bench_${randomBytes(5).toString('hex')}`;
  const admin = knexPkg({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const k = knexPkg({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      await k.raw(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await k.destroy();
    },
  };
}

export function openKnex(url: string): Knex {
  return knexPkg({ client: 'pg', connection: url, pool: { min: 0, max: 4 } });
}

export interface BenchQuery {
  /** What the visitor typed, and the filters they chose. */
  query: SearchQuery;
  /** Query string of the public search (without the leading `?`). */
  params: Record<string, string>;
  label: string;
}

const WORD = /[\p{L}\p{N}]{4,}/gu;

/**
 * 100 queries a visitor could make, drawn from titles of the catalogue (deterministic: evenly spread
 * ids): a French word, its accentless form, a prefix being typed, an English word, two words, and some
 * with one or two filters (semester, language, component, ECTS range).
 */
export async function benchQueries(knex: Knex, institutionId: number, year: number, n = 100): Promise<BenchQuery[]> {
  const total = Number((await knex('catalogue_elements').where({ institution_id: institutionId, year }).count({ n: '*' }))[0]!.n);
  const step = Math.max(1, Math.floor(total / (n * 2)));
  const rows = (await knex('catalogue_elements as e')
    .leftJoin('components as c', 'c.id', 'e.component_id')
    .where({ 'e.institution_id': institutionId, 'e.year': year, 'e.open_to_mobility': true })
    .whereRaw('e.id % ? = 0', [step])
    .orderBy('e.id')
    .limit(n * 2)
    .select('e.title_fr', 'e.title_en', 'c.code as component')) as { title_fr: string; title_en: string | null; component: string | null }[];
  const out: BenchQuery[] = [];
  for (let i = 0; out.length < n && i < rows.length; i++) {
    const r = rows[i]!;
    const fr = (r.title_fr.match(WORD) ?? []).sort((a, b) => b.length - a.length);
    const en = ((r.title_en ?? '').match(WORD) ?? []).sort((a, b) => b.length - a.length);
    if (!fr.length) continue;
    const k = out.length % 10;
    let q: string;
    const filters: Record<string, string> = {};
    let label: string;
    if (k === 0 || k === 1) (q = fr[0]!), (label = 'French word');
    else if (k === 2) (q = fold(fr[0]!)), (label = 'accentless word');
    else if (k === 3) (q = fold(fr[0]!).slice(0, Math.max(4, Math.ceil(fr[0]!.length / 2)))), (label = 'prefix');
    else if (k === 4 && en.length) (q = en[0]!), (label = 'English word');
    else if (k === 5 && fr.length > 1) (q = `${fold(fr[0]!)} ${fr[1]!}`), (label = 'two words');
    else if (k === 6) (q = fr[0]!), (filters.semester = 'S1'), (label = 'word + semester');
    else if (k === 7) (q = fold(fr[0]!)), (filters.language = 'en'), (label = 'word + language');
    else if (k === 8 && r.component) (q = fr[0]!.slice(0, 5)), (filters.component = r.component), (filters.semester = 'S2'), (label = 'prefix + component + semester');
    else (q = fr[0]!), (filters.ectsMin = '3'), (filters.ectsMax = '6'), (label = 'word + ECTS range');
    const query: SearchQuery = {
      q, year, lang: 'fr', openOnly: true,
      ...(filters.semester ? { semester: filters.semester as SearchQuery['semester'] } : {}),
      ...(filters.language ? { language: filters.language } : {}),
      ...(filters.component ? { component: filters.component } : {}),
      ...(filters.ectsMin ? { ectsMin: Number(filters.ectsMin), ectsMax: Number(filters.ectsMax) } : {}),
    };
    out.push({ query, params: { q, ...filters }, label });
  }
  return out;
}

/** The queries whose plan (exact or typo-tolerant) has a sequential scan of `catalogue_elements`. */
export async function seqScans(knex: Knex, institutionId: number, queries: BenchQuery[]): Promise<string[]> {
  const found: string[] = [];
  const visit = (node: any, q: string) => {
    if (!node || typeof node !== 'object') return;
    if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'catalogue_elements') found.push(q);
    for (const v of Object.values(node)) {
      if (Array.isArray(v)) v.forEach((x) => visit(x, q));
      else if (v && typeof v === 'object') visit(v, q);
    }
  };
  for (const bq of queries) {
    for (const plan of await explainSearch(knex, institutionId, bq.query)) visit(plan, `${bq.label}: ${JSON.stringify(bq.params)}`);
  }
  return [...new Set(found)];
}

/** Seconds `fn` takes. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

const SUBJECTS = [
  'Microéconomie', 'Macroéconomie', 'Droit des contrats', 'Chimie organique', 'Histoire de l’art médiéval', 'Analyse numérique',
  'Sociologie des organisations', 'Littérature comparée', 'Biologie cellulaire', 'Économétrie', 'Droit international public',
  'Thermodynamique', 'Géographie urbaine', 'Psychologie cognitive', 'Langue et civilisation espagnoles', 'Statistique appliquée',
];

/** The seed system's three CSV files for `n` courses over 40 formations and 12 components (deterministic). */
export function seedCsv(n: number, variant = 0): { name: string; data: Uint8Array }[] {
  const comps = ['code;libelle;libelle_long;acronyme'];
  for (let c = 0; c < 12; c++) comps.push(`C${c};UFR ${c};Unité de formation et de recherche ${c};U${c}`);
  const forms = ['code;libelle;acronyme;acronyme_type_diplome;niveau_etude;code_composante'];
  for (let f = 0; f < 40; f++) forms.push(`F${f};Licence ${1 + (f % 3)} parcours ${f};L${f};LIC;${1 + (f % 3)};C${f % 12}`);
  const courses = ['code;libelle;langue;s1;s2;ects;vol_elp;ouvert_mobilite;code_formation;objectif;description'];
  for (let i = 0; i < n; i++) {
    const subject = SUBJECTS[i % SUBJECTS.length]!;
    // the variant changes one course in ten (an upsert that updates 10 % of the rows)
    const title = `${subject} ${1 + (i % 7)}${variant && i % 10 === 0 ? ' (nouvelle maquette)' : ''}`;
    courses.push(`E${i};"${title}";${i % 5 === 0 ? 'Anglais' : 'Français'};${i % 2 ? 1 : 0};${i % 2 ? 0 : 1};${2 + (i % 5)};${18 + (i % 4) * 6};true;F${i % 40};"Objectifs : ${subject}";"Cours de ${subject.toLowerCase()}, niveau ${1 + (i % 3)}"`);
  }
  const enc = (lines: string[]) => new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
  return [{ name: 'composantes.csv', data: enc(comps) }, { name: 'formations.csv', data: enc(forms) }, { name: 'cours.csv', data: enc(courses) }];
}
