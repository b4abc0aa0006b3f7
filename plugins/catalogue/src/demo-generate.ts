/**
 * The demo catalogue generator: a realistic offer for the demo university (components, formations
 * from first-year licence to doctorate, UE → (module →) EC trees, shared courses), deterministic
 * (a seeded PRNG per formation: the same size always gives the same catalogue, and a larger size
 * only adds formations after those of a smaller one).
 * @packageDocumentation
 */
import { COMPONENTS, DIPLOMA_TYPES, FAMILIES, FORMATION_TYPES, SITES, type DemoComponent, type Family, type Programme } from './demo-data.js';
import { LANGUAGE_COURSES, SKILLS, SUBJECTS, type FamilyKey, type Subject } from './demo-subjects.js';
import { hash, nextSubject, ordFr, pickSubject, Rng, t, texts, variantFor, type Text } from './demo-words.js';
import type { CatalogueBatch, ComponentRecord, ElementRecord, FormationRecord, LinkRecord, Semester, TimetableSlot } from './types.js';

/** Teaching elements of the demo catalogue (`smile seed demo`, `npm start`). */
export const DEMO_SIZE = 2500;

export interface GenerateOptions {
  /** Number of teaching elements (default {@link DEMO_SIZE}). */
  size?: number;
  /** Code of the institution, for the component contacts’ addresses (default `demo`). */
  institution?: string;
  /** Another seed gives another (equally realistic) catalogue. */
  seed?: string;
}


const DOMAINS: Partial<Record<FamilyKey, string>> & { default: string } = {
  law: 'Droit, économie, gestion', polsci: 'Droit, économie, gestion', econ: 'Droit, économie, gestion', mgmt: 'Droit, économie, gestion',
  lit: 'Arts, lettres, langues', english: 'Arts, lettres, langues', spanish: 'Arts, lettres, langues', german: 'Arts, lettres, langues',
  italian: 'Arts, lettres, langues', fle: 'Arts, lettres, langues', arthist: 'Arts, lettres, langues', visualarts: 'Arts, lettres, langues',
  music: 'Arts, lettres, langues', cinema: 'Arts, lettres, langues', theatre: 'Arts, lettres, langues',
  history: 'Sciences humaines et sociales', geo: 'Sciences humaines et sociales', socio: 'Sciences humaines et sociales',
  psycho: 'Sciences humaines et sociales', philo: 'Sciences humaines et sociales', educ: 'Sciences humaines et sociales', comm: 'Sciences humaines et sociales',
  sport: 'Sciences et techniques des activités physiques et sportives',
  default: 'Sciences, technologies, santé',
};

const EXCHANGE_RESTRICTIONS = [['first-semester', 'full-year'], ['full-year'], ['exchange-programme', 'double-degree']];
const SEATS = [5, 8, 10, 12, 15, 20, 25, 30];
const SLOTS: [string, string][] = [['08:00', '10:00'], ['10:15', '12:15'], ['13:30', '15:30'], ['15:45', '17:45']];

// ---- formations ---------------------------------------------------------------------------------

interface Planned {
  component: DemoComponent;
  programme: Programme;
  /** Year of the diploma (1–3 for a licence…). */
  year: number;
  site: { code: string; fr: string; en: string; campus: string } | null;
}

/** Formations in the order the generator takes them: a round of every component in turn, then the same offer on another site. */
function* plan(): Generator<Planned> {
  const lists = COMPONENTS.map((c) => c.programmes.flatMap((p) => p.years.map((year) => ({ component: c, programme: p, year }))));
  const longest = Math.max(...lists.map((l) => l.length));
  for (let round = 0; ; round++) {
    let site: Planned['site'] = null;
    if (round > 0) {
      const s = SITES[(round - 1) % SITES.length]!;
      const lap = Math.floor((round - 1) / SITES.length);
      site = lap ? { ...s, code: `${s.code}${lap + 1}`, fr: `${s.fr}, groupe ${lap + 1}`, en: `${s.en}, group ${lap + 1}` } : s;
    }
    for (let i = 0; i < longest; i++) for (const list of lists) if (list[i]) yield { ...list[i]!, site };
  }
}

function formationRecord(f: Planned): FormationRecord & { level: number } {
  const { programme: p, year: y } = f;
  let code: string, nameFr: string, nameEn: string, acronym: string, level: number, eqf: number;
  switch (p.type) {
    case 'LIC':
      [code, nameFr, nameEn, acronym, level, eqf] = [`L${y}-${p.code}`, `Licence ${p.fr} – ${ordFr(y)} année`, `Bachelor in ${p.en} – year ${y}`, `L${y} ${p.code}`, y, 6];
      break;
    case 'MAS':
      [code, nameFr, nameEn, acronym, level, eqf] = [`M${y}-${p.code}`, `Master ${p.fr} – ${ordFr(y)} année`, `Master in ${p.en} – year ${y}`, `M${y} ${p.code}`, 3 + y, 7];
      break;
    case 'BUT':
      [code, nameFr, nameEn, acronym, level, eqf] = [`BUT${y}-${p.code}`, `BUT ${p.fr} – ${ordFr(y)} année`, `Bachelor of Technology in ${p.en} – year ${y}`, `BUT${y} ${p.code}`, y, 6];
      break;
    case 'ING':
      [code, nameFr, nameEn, acronym, level, eqf] = [`ING${y}-${p.code}`, `Diplôme d’ingénieur ${p.fr} – ${ordFr(y)} année`, `Engineering degree in ${p.en} – year ${y}`, `ING${y} ${p.code}`, 2 + y, 7];
      break;
    case 'CPI':
      [code, nameFr, nameEn, acronym, level, eqf] = [`${p.code}${y}`, `${p.fr} – ${ordFr(y)} année`, `${p.en} – year ${y}`, `${p.code} ${y}`, y, 5];
      break;
    case 'DFG':
    case 'DFA': {
      const n = p.type === 'DFG' ? y : y - 3;
      [code, nameFr, nameEn, acronym, level, eqf] = [`${p.code}${n}`, `${p.fr} – ${ordFr(y)} année`, `${p.en} – year ${y}`, `${p.code} ${n}`, y, p.type === 'DFG' ? 6 : 7];
      break;
    }
    case 'DU':
      level = p.level ?? 3;
      [code, nameFr, nameEn, acronym, eqf] = [`DU-${p.code}`, `DU ${p.fr}`, `University diploma in ${p.en}`, `DU ${p.code}`, level <= 2 ? 5 : level === 3 ? 6 : 7];
      break;
    case 'DOC':
      [code, nameFr, nameEn, acronym, level, eqf] = [`DOC-${p.code}`, `Doctorat ${p.fr}`, `Doctoral programme in ${p.en}`, `DOC ${p.code}`, 6, 8];
      break;
  }
  if (f.site) {
    code += `-${f.site.code}`;
    nameFr += ` (${f.site.fr})`;
    nameEn += ` (${f.site.en})`;
  }
  const main = p.families[0];
  const familyLang = SUBJECTS[main][0]!.lang;
  const formationType = p.formationType ?? 'FI';
  return {
    code, nameFr, nameEn, acronym, componentCode: f.component.code,
    diplomaType: p.type, diplomaTypeName: DIPLOMA_TYPES[p.type],
    formationType, formationTypeName: FORMATION_TYPES[formationType],
    level, eqf, isced: FAMILIES[main].isced, domain: DOMAINS[main] ?? DOMAINS.default,
    languages: p.languages ?? (familyLang ? [familyLang, 'fr'] : ['fr']),
    openToMobility: formationType !== 'FC',
  };
}

// ---- elements -----------------------------------------------------------------------------------

/** What the builder of one formation shares with the others. */
interface Context {
  left: number;
  elements: ElementRecord[];
  links: LinkRecord[];
  byCode: Map<string, ElementRecord>;
  /** Per component, second-semester courses of its last formation: the next one shares two of them. */
  shareable: Map<string, string[]>;
  seed: string;
}

/** Build the tree of one formation, within the context's budget of elements. */
function buildFormation(f: Planned, formation: FormationRecord & { level: number }, ctx: Context): void {
  const { component: comp, programme: p } = f;
  const rng = new Rng(hash(`${ctx.seed}|${formation.code}`));
  const level = formation.level;
  const main = p.families[0];
  const minor = p.families[1] ?? main;
  const fam = FAMILIES[main];
  const used = new Set<string>();
  const campus = f.site?.campus ?? comp.campus;
  const international = p.languages?.length === 1 && p.languages[0] === 'en';
  const seq = { U: 0, M: 0, E: 0 };
  const nextCode = (k: 'U' | 'M' | 'E') => `${formation.code}-${k}${String(++seq[k]).padStart(2, '0')}`;

  const add = (e: ElementRecord, parent: string | null) => {
    ctx.left--;
    ctx.elements.push(e);
    ctx.byCode.set(e.code, e);
    ctx.links.push({ formationCode: formation.code, parentCode: parent, childCode: e.code });
    return e;
  };
  const restricted = () => p.exchangeTypes ?? (rng.chance(0.04) ? rng.pick(EXCHANGE_RESTRICTIONS) : null);

  const languagesOf = (s: Subject | null): string[] => {
    if (s?.lang) return [s.lang];
    if (p.languages?.length) {
      if (international) return ['en'];
      return rng.chance(0.5) ? ['en'] : rng.chance(0.3) ? ['fr', 'en'] : ['fr'];
    }
    if (level >= 3 && rng.chance(0.08)) return ['fr', 'en'];
    if (level >= 3 && rng.chance(0.04)) return ['en'];
    return ['fr'];
  };

  const timetable = (labs: boolean): TimetableSlot[] => {
    if (!rng.chance(0.35)) return [];
    const slots: TimetableSlot[] = [];
    const n = rng.chance(0.4) ? 2 : 1;
    for (let i = 0; i < n; i++) {
      const [start, end] = rng.pick(SLOTS);
      // keys in the order jsonb keeps them (shortest first), so that a re-import compares equal
      const day = rng.int(1, 5);
      const room = rng.pick(comp.rooms);
      slots.push({ day, end, kind: i === 0 ? 'lecture' : labs ? 'practical' : 'tutorial', room, start });
    }
    return slots;
  };

  /** A course (EC) of the main or minor family, or a language or skills course (`family` null). */
  const course = (title: Text, o: { sem: Semester; family: Family | null; subject: Subject | null; ects: number; kind?: 'language' | 'skills' }): ElementRecord => {
    const F = o.family;
    const langs = o.kind === 'skills' ? (international ? ['en'] : ['fr']) : o.kind === 'language' ? [o.subject?.lang ?? 'fr'] : languagesOf(o.subject);
    const e: ElementRecord = {
      code: nextCode('E'), kind: 'EC', titleFr: title.fr, titleEn: title.en,
      ects: o.ects, mobilityEcts: o.ects >= 3 && rng.chance(0.04) ? o.ects - 1 : null,
      semester: o.sem, level, languages: langs, campus, componentCode: comp.code,
      isced: F ? F.isced : o.kind === 'language' ? '0231' : '0031',
      hours: o.ects * rng.pick([6, 8, 10]),
      seats: rng.chance(0.6) ? rng.pick(SEATS) : null,
      exchangeTypes: restricted(),
      openToMobility: !rng.chance(0.03),
      timetable: timetable(!!F?.labs),
      competences: F ? rng.some(F.competences, rng.int(2, 3)) : o.kind === 'language' ? ['Communication orale', 'Compréhension écrite'] : ['Autonomie', 'Travail en équipe'],
    };
    Object.assign(e, texts(title, F, o.kind, level, rng));
    return e;
  };

  /** A UE with its title; its children come after it, its ECTS and hours are their sums. */
  const unit = (n: string, theme: Text, sem: Semester, annual = false): ElementRecord => ({
    code: nextCode('U'), kind: 'UE',
    titleFr: annual ? `UE annuelle – ${theme.fr}` : `UE ${n} – ${theme.fr}`,
    titleEn: annual ? `Year-long unit – ${theme.en}` : `Unit ${n} – ${theme.en}`,
    ...common(sem),
  });
  const common = (sem: Semester) => ({
    semester: sem, level, languages: p.languages ?? ['fr'], campus, componentCode: comp.code, isced: fam.isced,
    exchangeTypes: p.exchangeTypes ?? null, openToMobility: true, seats: null,
  });
  const describeUnit = (u: ElementRecord, children: string[]) => {
    const kids = children.map((c) => ctx.byCode.get(c)!);
    u.languages = [...new Set(kids.flatMap((k) => k.languages ?? []))];
    u.descriptionFr = `${u.kind === 'module' ? 'Module' : 'Unité d’enseignement'} regroupant : ${kids.map((k) => k.titleFr).join(' ; ')}.`;
    u.descriptionEn = `${u.kind === 'module' ? 'Module' : 'Teaching unit'} made up of: ${kids.map((k) => k.titleEn).join('; ')}.`;
  };

  /** Add a UE and its children (built by `fill`, which stops when the budget is spent). */
  const addUnit = (u: ElementRecord, fill: (code: string) => string[]): boolean => {
    if (ctx.left < 2) {
      // the last element of the catalogue: a course on its own at the top of the formation
      if (ctx.left === 1) {
        const s = pickSubject(main, level, used, rng);
        add(course(variantFor(s, level, p, rng)(s), { sem: u.semester ?? 'S1', family: fam, subject: s, ects: 3 }), null);
      }
      return false;
    }
    add(u, null);
    describeUnit(u, fill(u.code));
    return true;
  };
  /** Courses of a family under `parent`, as many as the budget allows (`from`: the core courses, in the list's order). */
  const courses = (parent: string, family: FamilyKey, n: number, sem: Semester, ects: number[], from?: number): string[] => {
    const codes: string[] = [];
    for (let i = 0; i < n && ctx.left > 0; i++) {
      const s = from === undefined ? pickSubject(family, level, used, rng) : nextSubject(family, from, used);
      codes.push(add(course(variantFor(s, level, p, rng)(s), { sem, family: FAMILIES[family], subject: s, ects: rng.pick(ects) }), parent).code);
    }
    return codes;
  };
  /** Two modules (lecture + tutorials or practicals each) under a UE: a three-level tree. */
  const modules = (parent: string, sem: Semester, from: number): string[] => {
    const codes: string[] = [];
    for (let i = 0; i < 2 && ctx.left >= 2; i++) {
      const s = nextSubject(main, from, used);
      const m = add({ code: nextCode('M'), kind: 'module', titleFr: s.fr, titleEn: s.en, ...common(sem) }, parent);
      const parts = [t(`${s.fr} – cours magistral`, `${s.en} – lectures`), fam.labs ? t(`${s.fr} – travaux pratiques`, `${s.en} – practicals`) : t(`${s.fr} – travaux dirigés`, `${s.en} – tutorials`)];
      const kids: string[] = [];
      for (const [j, title] of parts.entries()) {
        if (ctx.left === 0) break;
        kids.push(add(course(title, { sem, family: fam, subject: s, ects: j === 0 ? 3 : 2 }), m.code).code);
      }
      describeUnit(m, kids);
      codes.push(m.code);
    }
    return codes;
  };
  const free = (list: Subject[]) => {
    const left = list.filter((c) => !used.has(c.fr));
    return left.length ? rng.pick(left) : undefined;
  };
  const languageCourse = (parent: string, sem: Semester): string[] => {
    if (ctx.left === 0) return [];
    const own = SUBJECTS[main][0]!.lang;
    const s = international
      ? free(LANGUAGE_COURSES.filter((c) => !c.lang))
      : !own && rng.chance(0.5) && !used.has(fam.english.fr)
        ? { ...fam.english, lang: 'en' }
        : free(LANGUAGE_COURSES.filter((c) => c.lang && c.lang !== own));
    if (!s) return [];
    used.add(s.fr);
    return [add(course(t(s.fr, s.en), { sem, family: null, subject: s, ects: rng.pick([2, 3]), kind: 'language' }), parent).code];
  };
  const skillCourse = (parent: string, sem: Semester): string[] => {
    if (ctx.left === 0) return [];
    const s = free(SKILLS);
    if (!s) return [];
    used.add(s.fr);
    return [add(course(t(s.fr, s.en), { sem, family: null, subject: s, ects: 2, kind: 'skills' }), parent).code];
  };

  // a doctorate: year-long training units only
  if (p.type === 'DOC') {
    addUnit(unit('', t('Formation doctorale disciplinaire', 'Subject-specific doctoral training'), 'annual', true), (c) => [
      ...courses(c, main, 2, 'annual', [2, 3]), ...courses(c, minor, 1, 'annual', [2, 3]),
    ]);
    addUnit(unit('', t('Formation doctorale transversale', 'Transferable doctoral training'), 'annual', true), (c) => [...skillCourse(c, 'annual'), ...skillCourse(c, 'annual'), ...languageCourse(c, 'annual')]);
    return;
  }

  const short = p.type === 'DU';
  const core: string[] = [];
  for (const [i, sem] of (['S1', 'S2'] as const).entries()) {
    const abs = 2 * level - 1 + i;
    let n = 0;
    const id = () => `${abs}.${++n}`;
    if (!addUnit(unit(id(), t(`Enseignements fondamentaux en ${fam.field.fr}`, `Core courses in ${fam.field.en}`), sem), (c) =>
      !short && rng.chance(0.25) ? modules(c, sem, (abs - 1) * 3) : courses(c, main, rng.int(2, 3), sem, [3, 4, 5, 6], (abs - 1) * 3).map((x) => (sem === 'S2' && core.push(x), x)),
    )) return;
    if (!addUnit(unit(id(), t(`Approfondissement en ${fam.field.fr}`, `Further studies in ${fam.field.en}`), sem), (c) =>
      courses(c, main, 2, sem, [3, 4, 5, 6]).map((x) => (sem === 'S2' && core.push(x), x)),
    )) return;
    if (short) {
      if (i === 0 && !addUnit(unit(id(), t('Langues et compétences transversales', 'Languages and transferable skills'), sem), (c) => [...languageCourse(c, sem), ...skillCourse(c, sem)])) return;
      continue;
    }
    const minorTheme = minor === main ? t('Enseignements complémentaires', 'Complementary courses') : t(`Ouverture : ${FAMILIES[minor].field.fr}`, `Minor: ${FAMILIES[minor].field.en}`);
    if (!addUnit(unit(id(), minorTheme, sem), (c) => courses(c, minor, 2, sem, [3, 4]))) return;
    if (!addUnit(unit(id(), t('Méthodologie et outils', 'Methods and tools'), sem), (c) => [...courses(c, main, 1, sem, [2, 3]), ...skillCourse(c, sem)])) return;
    if (!addUnit(unit(id(), t('Langues et compétences transversales', 'Languages and transferable skills'), sem), (c) =>
      [...languageCourse(c, sem), ...(rng.chance(0.3) ? languageCourse(c, sem) : [])],
    )) return;
    // courses taught once for two formations of the component (mutualised)
    const shared = ctx.shareable.get(comp.code);
    if (sem === 'S2' && shared && shared.length >= 2) {
      const picked = rng.some(shared, 2);
      if (!addUnit(unit(id(), t('Enseignements mutualisés', 'Shared courses'), sem), (c) => {
        for (const code of picked) ctx.links.push({ formationCode: formation.code, parentCode: c, childCode: code });
        return picked;
      })) return;
    }
  }
  if (core.length >= 2) ctx.shareable.set(comp.code, core);

  // internships, projects and dissertations: year-long
  const final = p.type === 'MAS' || p.type === 'DFA' || (p.type === 'LIC' && level === 3) || (p.type === 'BUT' && f.year >= 2) || (p.type === 'ING' && f.year >= 2);
  if (final) {
    addUnit(unit('', t('Stage et projet professionnel', 'Internship and professional project'), 'annual', true), (c) => {
      const kids: string[] = [];
      const weeks = p.type === 'MAS' && f.year === 2 ? 20 : p.type === 'ING' ? 16 : p.type === 'DFA' ? 12 : 8;
      const stage = p.type === 'DFA' ? t('Stages hospitaliers', 'Hospital placements') : t('Stage en milieu professionnel', 'Work placement');
      if (ctx.left > 0) kids.push(add({ ...placement(stage, weeks, 'stage', level, campus, comp.code, fam), code: nextCode('E') }, c).code);
      if (ctx.left > 0) {
        const last = p.type === 'MAS' ? t('Mémoire de recherche', 'Research dissertation') : p.type === 'ING' ? t('Projet d’ingénierie', 'Engineering project') : t('Projet tutoré', 'Supervised group project');
        kids.push(add({ ...placement(last, weeks, p.type === 'MAS' ? 'dissertation' : 'project', level, campus, comp.code, fam), code: nextCode('E') }, c).code);
      }
      return kids;
    });
  }
}

/** An internship, dissertation or group project: year-long, and only the first is open to incoming students. */
function placement(title: Text, weeks: number, kind: 'stage' | 'dissertation' | 'project', level: number, campus: string, component: string, fam: Family): Omit<ElementRecord, 'code'> {
  const text = {
    stage: t(
      `Stage de ${weeks} semaines dans une entreprise, une administration ou un laboratoire, encadré par un tuteur universitaire et un tuteur professionnel ; il donne lieu à un rapport et à une soutenance.`,
      `A ${weeks}-week placement in a company, a public body or a laboratory, supervised by an academic tutor and a workplace tutor, assessed on a report and an oral defence.`,
    ),
    dissertation: t(
      `Mémoire en ${fam.field.fr} dirigé par un enseignant-chercheur, soutenu devant un jury en fin d’année.`,
      `A dissertation in ${fam.field.en} supervised by a member of the academic staff and defended before a panel at the end of the year.`,
    ),
    project: t(
      `Projet mené en équipe tout au long de l’année pour un commanditaire extérieur, de la définition du besoin à la présentation des résultats.`,
      `A year-long team project for an external client, from defining the need to presenting the results.`,
    ),
  }[kind];
  return {
    kind: 'EC', titleFr: title.fr, titleEn: title.en, ects: 6, semester: 'annual', level, languages: ['fr'], campus,
    componentCode: component, isced: fam.isced, hours: null, seats: null, exchangeTypes: null,
    // placements are arranged for the formation’s own students; a group project can take an exchange student
    openToMobility: kind === 'project',
    descriptionFr: text.fr, descriptionEn: text.en, competences: fam.competences.slice(0, 2), timetable: [],
  };
}

// ---- the catalogue ------------------------------------------------------------------------------

/** The demo university's components, with their international office and secretariat. */
export function demoComponents(institution = 'demo'): ComponentRecord[] {
  return COMPONENTS.map((c, i) => ({
    code: c.code, nameFr: c.fr, nameEn: c.en, nameLongFr: c.longFr, nameLongEn: c.longEn, acronym: c.acronym, campus: c.campus,
    contacts: [
      { role: 'Relations internationales', name: `Bureau des relations internationales – ${c.acronym}`, email: `ri-${c.slug}@${institution}.example`, phone: `+33 4 00 00 ${String(10 + i).padStart(2, '0')} 10` },
      { role: 'Scolarité', email: `scolarite-${c.slug}@${institution}.example`, phone: `+33 4 00 00 ${String(10 + i).padStart(2, '0')} 20` },
    ],
  }));
}

/**
 * Generate a catalogue of exactly `size` teaching elements: every component, and as many
 * formations as the elements fill, taken a component at a time (then again on further sites).
 */
export function generateCatalogue(opts: GenerateOptions = {}): CatalogueBatch {
  const size = opts.size ?? DEMO_SIZE;
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size must be a whole number ≥ 0, not ${size}`);
  const ctx: Context = { left: size, elements: [], links: [], byCode: new Map(), shareable: new Map(), seed: opts.seed ?? 'smile-demo' };
  const formations: FormationRecord[] = [];
  const planned = plan();
  while (ctx.left > 0) {
    const f = planned.next().value as Planned;
    const record = formationRecord(f);
    formations.push(record);
    buildFormation(f, record, ctx);
  }
  const batch: CatalogueBatch = { components: demoComponents(opts.institution), formations, elements: ctx.elements, links: ctx.links };
  sumUnits(batch);
  return batch;
}

/** The demo catalogue (`size` {@link DEMO_SIZE}). */
export const demoCatalogue = (institution = 'demo') => generateCatalogue({ size: DEMO_SIZE, institution });

/** Set each UE's and module's ECTS and hours to the sums of its children's, deepest first. */
export function sumUnits(batch: CatalogueBatch): void {
  const byCode = new Map(batch.elements.map((e) => [e.code, e]));
  const children = new Map<string, string[]>();
  for (const l of batch.links) {
    if (!l.parentCode) continue;
    const key = `${l.formationCode}\u0000${l.parentCode}`;
    children.set(key, [...(children.get(key) ?? []), l.childCode]);
  }
  const done = new Set<string>();
  const visit = (formation: string, code: string) => {
    const kids = children.get(`${formation}\u0000${code}`);
    const e = byCode.get(code);
    if (!kids || !e || done.has(code)) return;
    let ects = 0;
    let hours = 0;
    for (const k of kids) {
      visit(formation, k);
      ects += byCode.get(k)?.ects ?? 0;
      hours += byCode.get(k)?.hours ?? 0;
    }
    e.ects = ects;
    e.hours = hours || null;
    done.add(code);
  };
  for (const l of batch.links) if (!l.parentCode) visit(l.formationCode, l.childCode);
}

/**
 * Last year's offer, for the year selector and "copy forward": a few courses did not exist yet,
 * a few were not yet taught in English, a few had other seat numbers.
 */
export function previousYearCatalogue(batch: CatalogueBatch): CatalogueBatch {
  const placements = new Map<string, number>();
  for (const l of batch.links) placements.set(l.childCode, (placements.get(l.childCode) ?? 0) + 1);
  const siblings = new Map<string, number>();
  for (const l of batch.links) if (l.parentCode) siblings.set(`${l.formationCode}\u0000${l.parentCode}`, (siblings.get(`${l.formationCode}\u0000${l.parentCode}`) ?? 0) + 1);
  const kinds = new Map(batch.elements.map((e) => [e.code, e.kind]));
  const isNew = new Set<string>();
  for (const l of batch.links) {
    const key = `${l.formationCode}\u0000${l.parentCode}`;
    if (!l.parentCode || kinds.get(l.childCode) !== 'EC' || kinds.get(l.parentCode) !== 'UE' || placements.get(l.childCode) !== 1) continue;
    if (hash(`new|${l.childCode}`) % 30 !== 0 || (siblings.get(key) ?? 0) < 2) continue;
    isNew.add(l.childCode);
    siblings.set(key, siblings.get(key)! - 1);
  }
  const elements = batch.elements
    .filter((e) => !isNew.has(e.code))
    .map((e) => {
      const h = hash(`prev|${e.code}`);
      const prev = { ...e };
      if (h % 20 === 0 && prev.languages?.includes('en') && prev.languages.length > 1) prev.languages = prev.languages.filter((l) => l !== 'en');
      if (h % 25 === 1 && typeof prev.seats === 'number') prev.seats += 5;
      return prev;
    });
  const previous: CatalogueBatch = {
    components: batch.components.map((c) => ({ ...c })),
    formations: batch.formations.map((f) => ({ ...f })),
    elements,
    links: batch.links.filter((l) => !isNew.has(l.childCode)).map((l) => ({ ...l })),
  };
  sumUnits(previous);
  return previous;
}
