/**
 * A STAND-IN for a vendor's Pégase-like ODF API, for tests only: the real Pégase cannot be reached
 * from here. It serves a small but realistic offer (three components, three formations, a UE → EC
 * tree, an element shared by two formations) in pages, the way the connector's default settings
 * expect, and can be told to fail: 5xx, 429 with Retry-After, malformed JSON, a wrong token.
 * @packageDocumentation
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Label = { langue: string; valeur: string }[];
const labels = (fr: string, en: string): Label => [{ langue: 'fr', valeur: fr }, { langue: 'en', valeur: en }];

/** A structure (component) as the stand-in serves it. */
export interface Structure {
  code: string;
  libelle: string;
  libelles: Label;
  sigle: string;
  site: { libelle: string };
}

export interface Formation {
  code: string;
  libelle: string;
  libelles: Label;
  libelleCourt: string;
  structurePorteuse: { code: string };
  typeDiplome: { code: string; libelle: string };
  niveau: number;
  codeCite: string;
  niveauCec: number;
  languesEnseignement: { code: string }[];
  ouvertMobiliteEntrante: boolean;
}

/** An "objet maquette" (UE, EC…) with the places it has in formation trees. */
export interface MaquetteObject {
  code: string;
  type: { code: string };
  libelle: string;
  libelles: Label;
  descriptions?: Label;
  creditsEcts: number | string;
  periode: { code: string };
  languesEnseignement: { code: string }[];
  volumeHoraire?: number;
  ouvertMobiliteEntrante: boolean;
  structurePorteuse: { code: string };
  contextes: { formation: string; parent: string | null; rang: number }[];
}

const structure = (code: string, sigle: string, fr: string, en: string, site: string): Structure => ({ code, libelle: fr, libelles: labels(fr, en), sigle, site: { libelle: site } });

const formation = (code: string, component: string, fr: string, en: string, diplome: string, niveau: number, cite: string, cec: number, langues: string[]): Formation => ({
  code, libelle: fr, libelles: labels(fr, en), libelleCourt: code, structurePorteuse: { code: component },
  typeDiplome: { code: diplome, libelle: diplome === 'LIC' ? 'Licence' : 'Master' }, niveau, codeCite: cite, niveauCec: cec,
  languesEnseignement: langues.map((code) => ({ code })), ouvertMobiliteEntrante: true,
});

const obj = (
  code: string, kind: 'UE' | 'EC', fr: string, en: string, ects: number | string, periode: 'S1' | 'S2' | 'AN', langues: string[], component: string,
  contextes: [string, string | null, number][], descr?: [string, string],
): MaquetteObject => ({
  code, type: { code: kind }, libelle: fr, libelles: labels(fr, en), ...(descr ? { descriptions: labels(descr[0], descr[1]) } : {}),
  creditsEcts: ects, periode: { code: periode }, languesEnseignement: langues.map((c) => ({ code: c })), volumeHoraire: kind === 'EC' ? 36 : undefined,
  ouvertMobiliteEntrante: true, structurePorteuse: { code: component }, contextes: contextes.map(([formation, parent, rang]) => ({ formation, parent, rang })),
});

/** The offer of one academic year, fresh for each test that wants to change it. */
export function pegaseOffer() {
  const structures: Structure[] = [
    structure('UFR-ECO', 'ECO', 'UFR de sciences économiques', 'Faculty of Economics', 'Campus centre-ville'),
    structure('UFR-LLA', 'LLA', 'UFR lettres, langues et arts', 'Faculty of Arts, Languages and Humanities', 'Campus centre-ville'),
    structure('UFR-SCI', 'ST', 'UFR sciences et techniques', 'Faculty of Science and Technology', 'Campus des sciences'),
  ];
  const formations: Formation[] = [
    formation('L3-ECO', 'UFR-ECO', 'Licence 3 Économie', 'Bachelor in Economics, year 3', 'LIC', 3, '0311', 6, ['fr']),
    formation('L3-LMO', 'UFR-LLA', 'Licence 3 Lettres modernes', 'Bachelor in Modern Literature, year 3', 'LIC', 3, '0232', 6, ['fr']),
    formation('M1-INF', 'UFR-SCI', 'Master 1 Informatique', 'Master in Computer Science, year 1', 'MAS', 4, '0613', 7, ['fr', 'en']),
  ];
  const objets: MaquetteObject[] = [
    obj('ECO5-UE1', 'UE', 'Analyse économique', 'Economic analysis', 12, 'S1', ['fr'], 'UFR-ECO', [['L3-ECO', null, 1]]),
    obj('ECO5-MIC', 'EC', 'Microéconomie approfondie', 'Advanced microeconomics', 6, 'S1', ['fr'], 'UFR-ECO', [['L3-ECO', 'ECO5-UE1', 1]], ['Théorie du consommateur et du producteur, équilibre général.', 'Consumer and producer theory, general equilibrium.']),
    obj('ECO5-MAC', 'EC', 'Macroéconomie en économie ouverte', 'Open-economy macroeconomics', 6, 'S1', ['fr'], 'UFR-ECO', [['L3-ECO', 'ECO5-UE1', 2]]),
    obj('ECO5-UE2', 'UE', 'Méthodes quantitatives', 'Quantitative methods', 9, 'S1', ['fr'], 'UFR-ECO', [['L3-ECO', null, 2]]),
    obj('ECO5-ECM', 'EC', 'Économétrie', 'Econometrics', 6, 'S1', ['fr'], 'UFR-ECO', [['L3-ECO', 'ECO5-UE2', 1]]),
    // shared: taught once, in the economics UE and in the computer-science master
    obj('ECO5-STA', 'EC', 'Statistique inférentielle', 'Inferential statistics', '3,0', 'S1', ['fr'], 'UFR-ECO', [['L3-ECO', 'ECO5-UE2', 2], ['M1-INF', 'INF8-UE2', 3]]),
    obj('ECO6-UE3', 'UE', 'Économie internationale', 'International economics', 12, 'S2', ['fr', 'en'], 'UFR-ECO', [['L3-ECO', null, 3]]),
    obj('ECO6-COM', 'EC', 'Commerce international', 'International trade', 6, 'S2', ['fr'], 'UFR-ECO', [['L3-ECO', 'ECO6-UE3', 1]]),
    obj('ECO6-MON', 'EC', 'Économie monétaire européenne', 'European monetary economics', 6, 'S2', ['en'], 'UFR-ECO', [['L3-ECO', 'ECO6-UE3', 2]]),
    // shared: at the top of two formations of two components
    obj('HIS-EUR', 'EC', 'Histoire économique de l’Europe', 'Economic history of Europe', 3, 'AN', ['fr'], 'UFR-ECO', [['L3-ECO', null, 4], ['L3-LMO', null, 3]]),
    obj('LMO5-UE1', 'UE', 'Littérature française', 'French literature', 12, 'S1', ['fr'], 'UFR-LLA', [['L3-LMO', null, 1]]),
    obj('LMO5-ROM', 'EC', 'Le roman au XIXe siècle', 'The nineteenth-century novel', 6, 'S1', ['fr'], 'UFR-LLA', [['L3-LMO', 'LMO5-UE1', 1]]),
    obj('LMO5-POE', 'EC', 'Poésie de la Renaissance', 'Renaissance poetry', 6, 'S1', ['fr'], 'UFR-LLA', [['L3-LMO', 'LMO5-UE1', 2]]),
    obj('LMO6-UE2', 'UE', 'Langues et cultures', 'Languages and cultures', 9, 'S2', ['fr'], 'UFR-LLA', [['L3-LMO', null, 2]]),
    obj('LMO6-ANG', 'EC', 'Anglais de spécialité', 'English for specific purposes', 4.5, 'S2', ['en'], 'UFR-LLA', [['L3-LMO', 'LMO6-UE2', 1]]),
    obj('LMO6-ESP', 'EC', 'Civilisation hispanique', 'Hispanic civilisation', 4.5, 'S2', ['es'], 'UFR-LLA', [['L3-LMO', 'LMO6-UE2', 2]]),
    obj('INF7-UE1', 'UE', 'Génie logiciel', 'Software engineering', 12, 'S1', ['fr', 'en'], 'UFR-SCI', [['M1-INF', null, 1]]),
    obj('INF7-ARC', 'EC', 'Architecture logicielle', 'Software architecture', 6, 'S1', ['fr', 'en'], 'UFR-SCI', [['M1-INF', 'INF7-UE1', 1]]),
    obj('INF7-TST', 'EC', 'Test et qualité du logiciel', 'Software testing and quality', 6, 'S1', ['fr'], 'UFR-SCI', [['M1-INF', 'INF7-UE1', 2]]),
    obj('INF8-UE2', 'UE', 'Données et intelligence artificielle', 'Data and artificial intelligence', 15, 'S2', ['fr', 'en'], 'UFR-SCI', [['M1-INF', null, 2]]),
    obj('INF8-BDD', 'EC', 'Bases de données avancées', 'Advanced databases', 6, 'S2', ['fr'], 'UFR-SCI', [['M1-INF', 'INF8-UE2', 1]]),
    obj('INF8-APP', 'EC', 'Apprentissage automatique', 'Machine learning', 6, 'S2', ['en'], 'UFR-SCI', [['M1-INF', 'INF8-UE2', 2]]),
  ];
  return { structures, formations, objets };
}

/** A fault the stand-in answers with instead of a page. */
export interface Fault {
  /** Resource it applies to: `structures`, `formations`, `objets-maquette`. */
  resource: string;
  /** 1-based page number (computed from `page`/`taille` or `offset`/`limit`); any page when absent. */
  page?: number;
  status?: number;
  retryAfter?: string;
  /** Raw body (malformed JSON…). */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Never answer (until the stand-in closes): a request that times out. */
  hang?: boolean;
  /** How many requests it hits (default 1; Infinity: for good). */
  times?: number;
}

/** A request the stand-in received. */
export interface Seen {
  resource: string;
  page: number;
  url: string;
  status: number;
  at: number;
  authorized: boolean;
}

export interface PegaseStandIn {
  /** Base URL, to use as the connector's `baseUrl` (`http://127.0.0.1:<port>/api/odf/v1`). */
  url: string;
  /** The establishment code the stand-in answers for. */
  etablissement: string;
  /** The token it accepts (`Authorization: Bearer <token>`); change it to make the connector's wrong. */
  token: string;
  /** The offer it serves (change it between syncs). */
  offer: ReturnType<typeof pegaseOffer>;
  /** Page size it uses when the client asks for none or for more than `maxPageSize`. */
  maxPageSize: number;
  requests: Seen[];
  faults: Fault[];
  fail(f: Fault): void;
  /** Forget requests and faults, serve a fresh offer with the default token. */
  reset(): void;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

/** Start the stand-in on 127.0.0.1, on a free port. */
export async function startPegaseStandIn(opts: { etablissement?: string; token?: string } = {}): Promise<PegaseStandIn> {
  const token = opts.token ?? 'stand-in-token-5f2c9a';
  const self: Omit<PegaseStandIn, 'url' | 'close'> = {
    etablissement: opts.etablissement ?? 'ETAB01',
    token,
    offer: pegaseOffer(),
    maxPageSize: 50,
    requests: [],
    faults: [],
    fail(f) {
      this.faults.push({ times: 1, ...f });
    },
    reset() {
      this.requests = [];
      this.faults = [];
      this.offer = pegaseOffer();
      this.token = token;
    },
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const m = /^\/api\/odf\/v1\/etablissements\/([^/]+)\/(?:periodes\/PER-(\d{4})\/)?(structures|formations|objets-maquette)$/.exec(url.pathname);
    const authorized = req.headers.authorization === `Bearer ${self.token}`;
    const q = url.searchParams;
    const size = Math.min(self.maxPageSize, Number(q.get('taille') ?? q.get('limit') ?? self.maxPageSize) || self.maxPageSize);
    const start = q.has('offset') ? Number(q.get('offset')) : Number(q.get('page') ?? 0) * size;
    const page = Math.floor(start / size) + 1;
    const seen: Seen = { resource: m?.[3] ?? url.pathname, page, url: url.pathname + url.search, status: 200, at: Date.now(), authorized };
    self.requests.push(seen);
    const answer = (status: number, body: unknown, headers?: Record<string, string>) => {
      seen.status = status;
      json(res, status, body, headers);
    };
    if (!authorized) return answer(401, { code: 'UNAUTHORIZED', message: 'jeton absent ou invalide' }, { 'www-authenticate': 'Bearer' });
    if (!m || m[1] !== self.etablissement) return answer(404, { code: 'NOT_FOUND', message: `aucune ressource ${url.pathname}` });
    const fault = self.faults.find((f) => f.resource === m[3] && (f.page === undefined || f.page === page) && (f.times ?? 1) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.hang) {
        seen.status = 0;
        return;
      }
      seen.status = fault.status ?? 200;
      res.writeHead(seen.status, { 'content-type': fault.contentType ?? 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}), ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ code: 'ERREUR', message: 'erreur interne' }));
      return;
    }
    const all: unknown[] = m[3] === 'structures' ? self.offer.structures : m[3] === 'formations' ? self.offer.formations : self.offer.objets;
    const items = all.slice(start, start + size);
    const after = start + size < all.length ? start + size : null;
    const nextQuery = new URLSearchParams(q);
    if (q.has('offset')) nextQuery.set('offset', String(after));
    else nextQuery.set('page', String(page));
    const next = after === null ? null : `${url.pathname}?${nextQuery}`;
    // the same page offers its next link in the body and in a Link header, so every paging style can be tried on it
    answer(200, { items, page: page - 1, taille: size, totalElements: all.length, totalPages: Math.ceil(all.length / size), next }, next ? { link: `<${next}>; rel="next"` } : {});
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(self, {
    url: `http://127.0.0.1:${port}/api/odf/v1`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  }) as PegaseStandIn;
}
