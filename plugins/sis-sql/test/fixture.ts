/**
 * A throw-away source database shaped like an Apogée export: tables in schema `apogee`, the
 * documented views in schema `smile` (as README.md shows), read by a role that may only read
 * those views.
 */
import { randomBytes } from 'node:crypto';
import knexPkg, { type Knex } from 'knex';

/** The PostgreSQL server the tests use: SIS_SQL_TEST_URL, else DATABASE_URL, else the local one. */
export const SERVER_URL = process.env.SIS_SQL_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Why the server cannot be used, or `null` when it answers. */
export async function unreachable(url = SERVER_URL): Promise<string | null> {
  const k = knexPkg({ client: 'pg', connection: { connectionString: url, connectionTimeoutMillis: 2000 }, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 3000, log: { warn() {}, error() {}, debug() {}, deprecate() {} } });
  try {
    await k.raw('select 1');
    return null;
  } catch (e) {
    return (e as Error).message || String(e);
  } finally {
    await k.destroy();
  }
}

export interface Source {
  /** Connection string of the read-only role (with its password). */
  readerUrl: string;
  password: string;
  database: string;
  /** The owner's connection to the source database, to change the SIS data. */
  admin: Knex;
  drop(): Promise<void>;
}

/** Create the database, its tables, the views and the reader role. */
export async function createSource(year: number, serverUrl = SERVER_URL): Promise<Source> {
  const suffix = randomBytes(4).toString('hex');
  const database = `smile_sis_${suffix}`;
  const role = `smile_sis_reader_${suffix}`;
  const password = `Rd-${randomBytes(6).toString('hex')}`;
  const server = knexPkg({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await server.raw(`create database ${database}`);
  let withRole = true;
  try {
    await server.raw(`create role ${role} login password '${password}'`);
  } catch {
    // a server where we may not create roles: the views are read as the test's own user
    withRole = false;
  }
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  const ownerUrl = u.toString();
  const admin = knexPkg({ client: 'pg', connection: ownerUrl, pool: { min: 0, max: 4 } });
  await admin.raw(SCHEMA);
  await admin.raw(VIEWS);
  await seed(admin, year);
  if (withRole) {
    await admin.raw(`grant usage on schema smile to ${role}`);
    await admin.raw(`grant select on all tables in schema smile to ${role}`);
    u.username = role;
    u.password = password;
  }
  return {
    readerUrl: u.toString(), password: withRole ? password : '', database, admin,
    async drop() {
      await admin.destroy();
      await server.raw(`drop database if exists ${database} with (force)`).catch(() => undefined);
      if (withRole) await server.raw(`drop role if exists ${role}`).catch(() => undefined);
      await server.destroy();
    },
  };
}

/** Let the reader role read the views again after a test recreated one. */
export async function regrant(source: Source) {
  const role = new URL(source.readerUrl).username;
  if (role && source.password) await source.admin.raw(`grant select on all tables in schema smile to ${role}`);
}

const SCHEMA = `
create schema apogee;
create table apogee.composante (cod_cmp varchar(3) primary key, lib_cmp varchar(120) not null, lib_cmp_ang varchar(120),
  lic_cmp varchar(25), lib_site varchar(60), tem_en_sve_cmp char(1) not null default 'O');
create table apogee.etape (cod_etp varchar(6), cod_vrs_vet varchar(3), cod_anu varchar(4), lib_web_vet varchar(120) not null,
  lib_web_vet_ang varchar(120), cod_cmp varchar(3), cod_tpd_etb varchar(3), lib_tpd varchar(60), niveau smallint,
  cod_isced varchar(4), tem_mob char(1), primary key (cod_etp, cod_vrs_vet, cod_anu));
create table apogee.elp (cod_elp varchar(8), cod_anu varchar(4), cod_nel varchar(4), lib_elp varchar(120) not null,
  lib_elp_ang varchar(120), descriptif text, nbr_crd_elp numeric(5,2), cod_pel varchar(3), langues varchar(30),
  tem_mob char(1), nbr_vol_heures numeric(6,1), places_mobilite integer, cod_cmp varchar(3), primary key (cod_elp, cod_anu));
create table apogee.elp_lien (cod_anu varchar(4), cod_etp varchar(6), cod_vrs_vet varchar(3), cod_elp_pere varchar(8),
  cod_elp_fils varchar(8) not null, num_ordre smallint);
`;

/** The views as README.md documents them for an Apogée-like source. */
export const VIEWS = `
create schema smile;
create view smile.smile_components as
  select cod_cmp as code, lib_cmp as name_fr, lib_cmp_ang as name_en, lic_cmp as acronym, lib_site as campus
    from apogee.composante where tem_en_sve_cmp = 'O';
create view smile.smile_formations as
  select cod_etp || '-' || cod_vrs_vet as code, cod_anu as academic_year, lib_web_vet as name_fr, lib_web_vet_ang as name_en,
         cod_cmp as component_code, cod_tpd_etb as diploma_type, lib_tpd as diploma_type_name_fr, niveau as level,
         cod_isced as isced, tem_mob as open_to_mobility
    from apogee.etape;
${ELEMENTS_VIEW('nbr_crd_elp')};
create view smile.smile_element_links as
  select cod_etp || '-' || cod_vrs_vet as formation_code, cod_anu as academic_year, cod_elp_pere as parent_code,
         cod_elp_fils as child_code, num_ordre as position
    from apogee.elp_lien;
`;

/** The elements view, with `credits` as the SQL expression of the ECTS column. */
export function ELEMENTS_VIEW(credits: string): string {
  return `create view smile.smile_elements as
  select cod_elp as code, cod_anu as academic_year, case cod_nel when 'MATI' then 'EC' else cod_nel end as kind,
         lib_elp as title_fr, lib_elp_ang as title_en, descriptif as description_fr, ${credits} as ects,
         cod_pel as semester, langues as languages, tem_mob as open_to_mobility, nbr_vol_heures as hours,
         places_mobilite as seats, cod_cmp as component_code
    from apogee.elp`;
}

type Elp = [code: string, nature: string, fr: string, en: string | null, ects: number, period: string, langs: string, mob: string, cmp: string];

/** Teaching elements of the year (Apogée natures: UE, MATI for an EC). */
export const ELEMENTS: Elp[] = [
  ['UE5ECO', 'UE', 'UE Fondamentaux de l’économie', 'Economics fundamentals', 12, 'S5', 'fr', 'O', 'ECO'],
  ['MICRO3', 'MATI', 'Microéconomie approfondie', 'Advanced microeconomics', 6, 'S5', 'fr', 'O', 'ECO'],
  ['MACRO3', 'MATI', 'Macroéconomie ouverte', 'Open-economy macroeconomics', 6, 'S5', 'fr,en', 'O', 'ECO'],
  ['UE6ECO', 'UE', 'UE Méthodes quantitatives', 'Quantitative methods', 12, 'S6', 'fr', 'O', 'ECO'],
  ['ECONOMET', 'MATI', 'Économétrie', 'Econometrics', 6, 'S6', 'FRA', 'O', 'ECO'],
  ['HISTPE', 'MATI', 'Histoire de la pensée économique', 'History of economic thought', 3, 'S6', 'fr', 'O', 'ECO'],
  ['ANGECO', 'MATI', 'Anglais économique et des affaires', 'Business English', 3, 'AN', 'en', 'O', 'LLC'],
  ['STAGECO', 'MATI', 'Stage en entreprise', 'Internship', 6, 'S6', 'fr', 'N', 'ECO'],
  ['UE5LEA', 'UE', 'UE Traduction et civilisation', 'Translation and civilisation', 12, 'S5', 'fr', 'O', 'LLC'],
  ['TRADFR', 'MATI', 'Traduction spécialisée français-anglais', 'Specialised French–English translation', 6, 'S5', 'fr,en', 'O', 'LLC'],
  ['CIVES', 'MATI', 'Civilisation hispanique contemporaine', 'Contemporary Hispanic civilisation', 6, 'S5', 'es', 'O', 'LLC'],
  ['LITALL', 'MATI', 'Littérature allemande du XXe siècle', 'Twentieth-century German literature', 4.5, 'S6', 'de', 'O', 'LLC'],
  ['UE7INF', 'UE', 'UE Données et intelligence artificielle', 'Data and artificial intelligence', 15, 'S7', 'fr', 'O', 'SCI'],
  ['BDDAV', 'MATI', 'Bases de données avancées', 'Advanced databases', 5, 'S7', 'en', 'O', 'SCI'],
  ['APPAUTO', 'MATI', 'Apprentissage automatique', 'Machine learning', 5, 'S7', 'en', 'O', 'SCI'],
  ['GENLOG', 'MATI', 'Génie logiciel', 'Software engineering', 5, 'S8', 'fr', 'O', 'SCI'],
  ['OPTIM', 'MATI', 'Optimisation combinatoire', null, 5, 'S8', 'fr', 'O', 'SCI'],
  ['ETHIA', 'MATI', 'Éthique du numérique', 'Digital ethics', 2, 'AN', 'fr', 'O', 'SCI'],
];

/** Formation → [parent, child, order]: UE → EC trees; ANGECO sits in two formations. */
export const LINKS: [string, string | null, string, number][] = [
  ['L3ECO', null, 'UE5ECO', 1], ['L3ECO', 'UE5ECO', 'MICRO3', 1], ['L3ECO', 'UE5ECO', 'MACRO3', 2],
  ['L3ECO', null, 'UE6ECO', 2], ['L3ECO', 'UE6ECO', 'ECONOMET', 1], ['L3ECO', 'UE6ECO', 'HISTPE', 2], ['L3ECO', 'UE6ECO', 'ANGECO', 3],
  ['L3ECO', null, 'STAGECO', 3],
  ['L3LEA', null, 'UE5LEA', 1], ['L3LEA', 'UE5LEA', 'TRADFR', 1], ['L3LEA', 'UE5LEA', 'CIVES', 2], ['L3LEA', null, 'LITALL', 2],
  ['L3LEA', null, 'ANGECO', 3],
  ['M1INF', null, 'UE7INF', 1], ['M1INF', 'UE7INF', 'BDDAV', 1], ['M1INF', 'UE7INF', 'APPAUTO', 2], ['M1INF', null, 'GENLOG', 2],
  ['M1INF', null, 'OPTIM', 3], ['M1INF', null, 'ETHIA', 4],
];

async function seed(db: Knex, year: number) {
  const y = String(year);
  const last = String(year - 1);
  await db('apogee.composante').insert([
    { cod_cmp: 'ECO', lib_cmp: 'UFR Économie et gestion', lib_cmp_ang: 'Faculty of Economics and Management', lic_cmp: 'UFR EG', lib_site: 'Campus Centre' },
    { cod_cmp: 'LLC', lib_cmp: 'UFR Langues, littératures et civilisations étrangères', lib_cmp_ang: 'Faculty of Foreign Languages', lic_cmp: 'UFR LLCE', lib_site: 'Campus Lettres' },
    { cod_cmp: 'SCI', lib_cmp: 'UFR Sciences et techniques', lib_cmp_ang: 'Faculty of Science and Technology', lic_cmp: 'UFR ST', lib_site: 'Campus des Sciences' },
    { cod_cmp: 'IPA', lib_cmp: 'Institut de préparation à l’administration générale', lic_cmp: 'IPAG', lib_site: 'Campus Centre', tem_en_sve_cmp: 'N' },
  ]);
  await db('apogee.etape').insert([
    { cod_etp: 'L3ECO', cod_vrs_vet: '1', cod_anu: y, lib_web_vet: 'Licence 3 Économie', lib_web_vet_ang: 'Bachelor in Economics, 3rd year', cod_cmp: 'ECO', cod_tpd_etb: 'LIC', lib_tpd: 'Licence', niveau: 3, cod_isced: '0311', tem_mob: 'O' },
    { cod_etp: 'L3LEA', cod_vrs_vet: '1', cod_anu: y, lib_web_vet: 'Licence 3 Langues étrangères appliquées', lib_web_vet_ang: 'Bachelor in Applied Foreign Languages, 3rd year', cod_cmp: 'LLC', cod_tpd_etb: 'LIC', lib_tpd: 'Licence', niveau: 3, cod_isced: '0231', tem_mob: 'O' },
    { cod_etp: 'M1INF', cod_vrs_vet: '1', cod_anu: y, lib_web_vet: 'Master 1 Informatique', lib_web_vet_ang: 'Master in Computer Science, 1st year', cod_cmp: 'SCI', cod_tpd_etb: 'MAS', lib_tpd: 'Master', niveau: 4, cod_isced: '0613', tem_mob: 'O' },
    { cod_etp: 'L3ECO', cod_vrs_vet: '1', cod_anu: last, lib_web_vet: 'Licence 3 Économie (ancienne maquette)', cod_cmp: 'ECO', cod_tpd_etb: 'LIC', niveau: 3, tem_mob: 'O' },
  ]);
  await db('apogee.elp').insert([
    ...ELEMENTS.map(([code, nature, fr, en, ects, period, langs, mob, cmp]) => ({
      cod_elp: code, cod_anu: y, cod_nel: nature, lib_elp: fr, lib_elp_ang: en, nbr_crd_elp: ects, cod_pel: period, langues: langs, tem_mob: mob, cod_cmp: cmp,
      nbr_vol_heures: nature === 'UE' ? null : 36, places_mobilite: code === 'BDDAV' ? 8 : null,
      descriptif: nature === 'UE' ? null : `Cours « ${fr} » : séances magistrales et travaux dirigés.`,
    })),
    { cod_elp: 'ANCIEN', cod_anu: last, cod_nel: 'MATI', lib_elp: 'Cours de l’an dernier', nbr_crd_elp: 3, cod_pel: 'S5', langues: 'fr', tem_mob: 'O', cod_cmp: 'ECO' },
  ]);
  await db('apogee.elp_lien').insert([
    ...LINKS.map(([etp, parent, child, order]) => ({ cod_anu: y, cod_etp: etp, cod_vrs_vet: '1', cod_elp_pere: parent, cod_elp_fils: child, num_ordre: order })),
    { cod_anu: last, cod_etp: 'L3ECO', cod_vrs_vet: '1', cod_elp_pere: null, cod_elp_fils: 'ANCIEN', num_ordre: 1 },
  ]);
}
