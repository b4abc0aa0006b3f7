/**
 * The demo university: its components (UFRs, institutes, schools), the programmes each one runs,
 * the diploma and formation types, and what the generator needs to know about each discipline
 * family (ISCED-F field, the words its course descriptions use, its competences).
 * @packageDocumentation
 */
import type { FamilyKey } from './demo-subjects.js';

type Text = { fr: string; en: string };

/** What course texts say about a discipline family. */
export interface Family {
  /** The field, as "en …" / "in …" completes it: `droit` / `law`. */
  field: Text;
  /** ISCED-F 2013 detailed field. */
  isced: string;
  /** What its courses cover (a noun phrase). */
  topics: Text;
  /** A method its students learn (a noun phrase). */
  method: Text;
  /** What a student can do afterwards (a verb phrase). */
  skill: Text;
  /** Its specialised English course. */
  english: Text;
  competences: string[];
  /** Practical sessions are labs (sciences) rather than tutorials. */
  labs?: boolean;
}

const t = (fr: string, en: string): Text => ({ fr, en });

export const FAMILIES: Record<FamilyKey, Family> = {
  law: {
    field: t('droit', 'law'), isced: '0421',
    topics: t('les sources du droit, la jurisprudence et le raisonnement juridique', 'legal sources, case law and legal reasoning'),
    method: t('les méthodes du commentaire d’arrêt et du cas pratique', 'case commentary and problem-solving methods'),
    skill: t('résoudre un cas pratique en mobilisant les textes et la jurisprudence', 'solve a legal problem using statutes and case law'),
    english: t('Anglais juridique', 'Legal English'),
    competences: ['Analyse juridique', 'Argumentation écrite', 'Recherche documentaire juridique', 'Rédaction d’actes', 'Veille juridique'],
  },
  polsci: {
    field: t('science politique', 'political science'), isced: '0312',
    topics: t('les institutions, les acteurs et les comportements politiques', 'political institutions, actors and behaviour'),
    method: t('les outils de l’enquête en sciences sociales', 'social science research tools'),
    skill: t('analyser un phénomène politique à partir de sources variées', 'analyse a political phenomenon from a variety of sources'),
    english: t('Anglais pour la science politique', 'English for political science'),
    competences: ['Analyse politique', 'Argumentation', 'Méthodes d’enquête', 'Synthèse documentaire', 'Culture internationale'],
  },
  econ: {
    field: t('économie', 'economics'), isced: '0311',
    topics: t('les modèles économiques, leurs hypothèses et leur confrontation aux données', 'economic models, their assumptions and how they fit the data'),
    method: t('les outils mathématiques et statistiques de l’économiste', 'the economist’s mathematical and statistical tools'),
    skill: t('construire et interpréter un modèle économique simple', 'build and interpret a simple economic model'),
    english: t('Anglais économique', 'English for economics'),
    competences: ['Modélisation économique', 'Analyse de données', 'Raisonnement quantitatif', 'Esprit critique', 'Programmation statistique'],
  },
  mgmt: {
    field: t('gestion', 'management'), isced: '0413',
    topics: t('le fonctionnement des organisations et les outils de décision des managers', 'how organisations work and the decision tools managers use'),
    method: t('l’étude de cas et le travail en mode projet', 'case studies and project work'),
    skill: t('établir un diagnostic et proposer des recommandations argumentées', 'make a diagnosis and put forward reasoned recommendations'),
    english: t('Anglais des affaires', 'Business English'),
    competences: ['Analyse stratégique', 'Gestion de projet', 'Travail en équipe', 'Communication professionnelle', 'Analyse financière'],
  },
  lit: {
    field: t('lettres', 'literature'), isced: '0232',
    topics: t('les textes, leurs contextes et les grands courants littéraires', 'texts, their contexts and the main literary movements'),
    method: t('les méthodes de l’explication de texte et de la dissertation', 'close reading and essay-writing methods'),
    skill: t('proposer une lecture argumentée d’un texte littéraire', 'offer a well-argued reading of a literary text'),
    english: t('Anglais pour les lettres', 'English for the humanities'),
    competences: ['Analyse de texte', 'Expression écrite', 'Culture littéraire', 'Argumentation', 'Recherche bibliographique'],
  },
  english: {
    field: t('études anglophones', 'English studies'), isced: '0231',
    topics: t('les littératures, les sociétés et la langue du monde anglophone', 'the literatures, societies and language of the English-speaking world'),
    method: t('la traduction et le commentaire en langue anglaise', 'translation and commentary in English'),
    skill: t('s’exprimer avec aisance en anglais à l’écrit comme à l’oral', 'express themselves fluently in English, in writing and orally'),
    english: t('Anglais oral', 'Spoken English'),
    competences: ['Anglais (niveau C1)', 'Traduction', 'Analyse de texte', 'Culture du monde anglophone', 'Communication interculturelle'],
  },
  spanish: {
    field: t('études hispaniques', 'Hispanic studies'), isced: '0231',
    topics: t('les littératures, les sociétés et la langue du monde hispanique', 'the literatures, societies and language of the Spanish-speaking world'),
    method: t('la traduction et le commentaire en langue espagnole', 'translation and commentary in Spanish'),
    skill: t('s’exprimer avec aisance en espagnol à l’écrit comme à l’oral', 'express themselves fluently in Spanish, in writing and orally'),
    english: t('Anglais pour les langues', 'English for language students'),
    competences: ['Espagnol (niveau C1)', 'Traduction', 'Analyse de texte', 'Culture du monde hispanique', 'Communication interculturelle'],
  },
  german: {
    field: t('études germaniques', 'German studies'), isced: '0231',
    topics: t('les littératures, les sociétés et la langue des pays germanophones', 'the literatures, societies and language of German-speaking countries'),
    method: t('la traduction et le commentaire en langue allemande', 'translation and commentary in German'),
    skill: t('s’exprimer avec aisance en allemand à l’écrit comme à l’oral', 'express themselves fluently in German, in writing and orally'),
    english: t('Anglais pour les langues', 'English for language students'),
    competences: ['Allemand (niveau C1)', 'Traduction', 'Analyse de texte', 'Culture germanique', 'Communication interculturelle'],
  },
  italian: {
    field: t('études italiennes', 'Italian studies'), isced: '0231',
    topics: t('la littérature, l’histoire et la langue de l’Italie', 'the literature, history and language of Italy'),
    method: t('la traduction et le commentaire en langue italienne', 'translation and commentary in Italian'),
    skill: t('s’exprimer avec aisance en italien à l’écrit comme à l’oral', 'express themselves fluently in Italian, in writing and orally'),
    english: t('Anglais pour les langues', 'English for language students'),
    competences: ['Italien (niveau C1)', 'Traduction', 'Analyse de texte', 'Culture italienne', 'Communication interculturelle'],
  },
  fle: {
    field: t('français langue étrangère', 'French as a foreign language'), isced: '0232',
    topics: t('la langue française, sa grammaire et ses usages en contexte universitaire', 'the French language, its grammar and its use at university'),
    method: t('les activités de compréhension et de production écrites et orales', 'reading, listening, writing and speaking activities'),
    skill: t('suivre des cours et rédiger des travaux universitaires en français', 'follow lectures and write university assignments in French'),
    english: t('Anglais pour l’enseignement des langues', 'English for language teaching'),
    competences: ['Français écrit', 'Français oral', 'Interculturalité', 'Didactique des langues', 'Autonomie d’apprentissage'],
  },
  history: {
    field: t('histoire', 'history'), isced: '0222',
    topics: t('les sociétés du passé, leurs sources et leurs historiographies', 'past societies, their sources and historiography'),
    method: t('la critique des sources et le commentaire de document', 'source criticism and document commentary'),
    skill: t('construire un raisonnement historique à partir de sources', 'build a historical argument from sources'),
    english: t('Anglais pour historiens', 'English for historians'),
    competences: ['Critique des sources', 'Analyse historique', 'Expression écrite', 'Recherche en archives', 'Culture générale'],
  },
  arthist: {
    field: t('histoire de l’art et archéologie', 'art history and archaeology'), isced: '0222',
    topics: t('les œuvres, les sites et les objets, replacés dans leur contexte', 'works, sites and objects in their context'),
    method: t('l’analyse d’œuvre et les méthodes de terrain', 'visual analysis and fieldwork methods'),
    skill: t('décrire, dater et interpréter une œuvre ou un objet archéologique', 'describe, date and interpret an artwork or an archaeological find'),
    english: t('Anglais pour l’histoire de l’art', 'English for art history'),
    competences: ['Analyse d’œuvre', 'Méthodes de terrain', 'Culture patrimoniale', 'Expression écrite', 'Photographie et relevé'],
  },
  geo: {
    field: t('géographie', 'geography'), isced: '0314',
    topics: t('les territoires, leurs dynamiques et leur aménagement', 'territories, how they change and how they are planned'),
    method: t('la cartographie et l’enquête de terrain', 'mapping and fieldwork'),
    skill: t('produire une analyse spatiale argumentée et cartographiée', 'produce a reasoned, mapped spatial analysis'),
    english: t('Anglais pour géographes', 'English for geographers'),
    competences: ['Cartographie', 'SIG', 'Analyse territoriale', 'Enquête de terrain', 'Statistiques'],
  },
  socio: {
    field: t('sociologie', 'sociology'), isced: '0314',
    topics: t('les rapports sociaux, les institutions et les inégalités', 'social relations, institutions and inequality'),
    method: t('les méthodes d’enquête qualitatives et quantitatives', 'qualitative and quantitative research methods'),
    skill: t('mener une enquête sociologique et en restituer les résultats', 'carry out a sociological study and report its findings'),
    english: t('Anglais pour les sciences sociales', 'English for the social sciences'),
    competences: ['Méthodes d’enquête', 'Analyse de données', 'Esprit critique', 'Expression écrite', 'Entretien'],
  },
  psycho: {
    field: t('psychologie', 'psychology'), isced: '0313',
    topics: t('les processus mentaux, le comportement et leur développement', 'mental processes, behaviour and development'),
    method: t('la méthode expérimentale et l’analyse statistique', 'experimental methods and statistical analysis'),
    skill: t('concevoir une étude simple et interpréter ses résultats', 'design a simple study and interpret its results'),
    english: t('Anglais pour la psychologie', 'English for psychology'),
    competences: ['Méthode expérimentale', 'Statistiques', 'Observation', 'Éthique professionnelle', 'Lecture d’articles scientifiques'],
  },
  philo: {
    field: t('philosophie', 'philosophy'), isced: '0223',
    topics: t('les concepts, les auteurs et les grands problèmes de la philosophie', 'the concepts, authors and great problems of philosophy'),
    method: t('l’explication de texte et la dissertation philosophique', 'philosophical text commentary and essay writing'),
    skill: t('construire une argumentation philosophique rigoureuse', 'build a rigorous philosophical argument'),
    english: t('Anglais pour la philosophie', 'English for philosophy'),
    competences: ['Conceptualisation', 'Argumentation', 'Lecture de textes', 'Expression écrite', 'Esprit critique'],
  },
  math: {
    field: t('mathématiques', 'mathematics'), isced: '0541',
    topics: t('les définitions, les théorèmes et leurs démonstrations', 'definitions, theorems and their proofs'),
    method: t('le raisonnement déductif et le calcul', 'deductive reasoning and calculation'),
    skill: t('rédiger une démonstration rigoureuse et résoudre des problèmes', 'write a rigorous proof and solve problems'),
    english: t('Anglais scientifique', 'Scientific English'),
    competences: ['Raisonnement mathématique', 'Modélisation', 'Calcul', 'Programmation scientifique', 'Rédaction scientifique'],
  },
  cs: {
    field: t('informatique', 'computer science'), isced: '0613',
    topics: t('les modèles, les algorithmes et les outils de l’informatique', 'the models, algorithms and tools of computing'),
    method: t('la programmation et le travail en projet', 'programming and project work'),
    skill: t('concevoir, programmer et tester une solution logicielle', 'design, program and test a software solution'),
    english: t('Anglais pour l’informatique', 'English for computing'),
    competences: ['Programmation', 'Algorithmique', 'Conception logicielle', 'Travail en équipe', 'Gestion de versions'],
    labs: true,
  },
  physics: {
    field: t('physique', 'physics'), isced: '0533',
    topics: t('les lois de la physique, leur formulation mathématique et leur vérification expérimentale', 'the laws of physics, their mathematical form and their experimental tests'),
    method: t('la modélisation physique et la démarche expérimentale', 'physical modelling and experimental practice'),
    skill: t('modéliser un phénomène physique et confronter le modèle à la mesure', 'model a physical phenomenon and test the model against measurements'),
    english: t('Anglais scientifique', 'Scientific English'),
    competences: ['Modélisation physique', 'Expérimentation', 'Calcul', 'Programmation scientifique', 'Analyse de mesures'],
    labs: true,
  },
  chem: {
    field: t('chimie', 'chemistry'), isced: '0531',
    topics: t('la structure de la matière, la réactivité et les méthodes d’analyse', 'the structure of matter, reactivity and analytical methods'),
    method: t('les techniques de laboratoire et d’analyse', 'laboratory and analytical techniques'),
    skill: t('mettre en œuvre un protocole expérimental en sécurité', 'carry out an experimental protocol safely'),
    english: t('Anglais scientifique', 'Scientific English'),
    competences: ['Techniques de laboratoire', 'Sécurité chimique', 'Analyse', 'Synthèse', 'Rédaction scientifique'],
    labs: true,
  },
  bio: {
    field: t('biologie', 'biology'), isced: '0511',
    topics: t('le vivant, de la molécule aux écosystèmes', 'living things, from molecules to ecosystems'),
    method: t('la démarche expérimentale et les techniques de laboratoire', 'experimental methods and laboratory techniques'),
    skill: t('concevoir une expérience et analyser des données biologiques', 'design an experiment and analyse biological data'),
    english: t('Anglais scientifique', 'Scientific English'),
    competences: ['Démarche expérimentale', 'Techniques de laboratoire', 'Biostatistiques', 'Lecture d’articles scientifiques', 'Travail en équipe'],
    labs: true,
  },
  earth: {
    field: t('sciences de la Terre', 'earth sciences'), isced: '0532',
    topics: t('la structure, l’histoire et la dynamique de la Terre', 'the structure, history and dynamics of the Earth'),
    method: t('l’observation de terrain et la cartographie géologique', 'field observation and geological mapping'),
    skill: t('interpréter une carte géologique et des observations de terrain', 'interpret a geological map and field observations'),
    english: t('Anglais scientifique', 'Scientific English'),
    competences: ['Observation de terrain', 'Cartographie géologique', 'Analyse de données', 'SIG', 'Rédaction scientifique'],
    labs: true,
  },
  med: {
    field: t('médecine', 'medicine'), isced: '0912',
    topics: t('les bases scientifiques, la sémiologie et la prise en charge des patients', 'scientific foundations, clinical signs and patient care'),
    method: t('le raisonnement clinique et l’apprentissage par problèmes', 'clinical reasoning and problem-based learning'),
    skill: t('conduire un raisonnement clinique face à un cas simple', 'apply clinical reasoning to a straightforward case'),
    english: t('Anglais médical', 'Medical English'),
    competences: ['Raisonnement clinique', 'Examen clinique', 'Communication avec le patient', 'Éthique médicale', 'Lecture critique'],
    labs: true,
  },
  pharma: {
    field: t('pharmacie', 'pharmacy'), isced: '0916',
    topics: t('le médicament, de sa conception à son bon usage', 'medicines, from their design to their proper use'),
    method: t('les travaux pratiques et l’étude de cas cliniques', 'practicals and clinical case studies'),
    skill: t('analyser une prescription et conseiller le patient', 'review a prescription and advise the patient'),
    english: t('Anglais pharmaceutique', 'Pharmaceutical English'),
    competences: ['Connaissance du médicament', 'Analyse de prescription', 'Conseil au patient', 'Qualité', 'Réglementation'],
    labs: true,
  },
  visualarts: {
    field: t('arts plastiques', 'visual arts'), isced: '0213',
    topics: t('la pratique artistique, ses techniques et ses enjeux contemporains', 'artistic practice, its techniques and contemporary issues'),
    method: t('l’atelier de pratique et l’analyse d’œuvres', 'studio practice and the analysis of works'),
    skill: t('mener un projet de création et en présenter la démarche', 'carry out a creative project and present its process'),
    english: t('Anglais pour les arts', 'English for the arts'),
    competences: ['Pratique plastique', 'Culture artistique', 'Projet de création', 'Présentation orale', 'Outils numériques'],
  },
  music: {
    field: t('musicologie', 'musicology'), isced: '0215',
    topics: t('les œuvres, les langages et les pratiques musicales', 'musical works, languages and practices'),
    method: t('l’analyse et la pratique musicales', 'musical analysis and performance'),
    skill: t('analyser une œuvre musicale et la situer dans son contexte', 'analyse a piece of music and place it in its context'),
    english: t('Anglais pour les arts', 'English for the arts'),
    competences: ['Analyse musicale', 'Pratique musicale', 'Culture musicale', 'Écriture musicale', 'Médiation'],
  },
  cinema: {
    field: t('cinéma et audiovisuel', 'film studies'), isced: '0211',
    topics: t('les films, leur histoire, leur esthétique et leur fabrication', 'films, their history, aesthetics and making'),
    method: t('l’analyse filmique et la réalisation', 'film analysis and filmmaking'),
    skill: t('analyser une séquence et mener un projet audiovisuel', 'analyse a sequence and carry out an audiovisual project'),
    english: t('Anglais pour le cinéma', 'English for film studies'),
    competences: ['Analyse filmique', 'Réalisation', 'Montage', 'Culture cinématographique', 'Écriture'],
  },
  theatre: {
    field: t('arts du spectacle', 'performing arts'), isced: '0215',
    topics: t('le spectacle vivant, ses formes, ses lieux et ses publics', 'live performance, its forms, venues and audiences'),
    method: t('l’analyse de spectacle et la pratique de plateau', 'performance analysis and stage practice'),
    skill: t('analyser un spectacle et participer à une création collective', 'analyse a performance and take part in a collective production'),
    english: t('Anglais pour les arts', 'English for the arts'),
    competences: ['Analyse de spectacle', 'Pratique scénique', 'Travail collectif', 'Culture théâtrale', 'Médiation culturelle'],
  },
  sport: {
    field: t('STAPS', 'sport sciences'), isced: '1014',
    topics: t('la motricité, la performance et les pratiques physiques', 'human movement, performance and physical activity'),
    method: t('l’analyse de l’activité et la pratique encadrée', 'activity analysis and supervised practice'),
    skill: t('concevoir et encadrer une séance adaptée à un public', 'design and lead a session suited to a given group'),
    english: t('Anglais pour les sciences du sport', 'English for sport sciences'),
    competences: ['Encadrement', 'Analyse de la performance', 'Sécurité des pratiquants', 'Pédagogie', 'Santé'],
  },
  mech: {
    field: t('génie mécanique', 'mechanical engineering'), isced: '0715',
    topics: t('la conception, le dimensionnement et la fabrication des systèmes mécaniques', 'the design, sizing and manufacture of mechanical systems'),
    method: t('la modélisation numérique et les travaux pratiques', 'numerical modelling and practicals'),
    skill: t('dimensionner un système mécanique et justifier ses choix', 'size a mechanical system and justify the design choices'),
    english: t('Anglais technique', 'Technical English'),
    competences: ['Conception', 'Dimensionnement', 'CAO', 'Fabrication', 'Gestion de projet'],
    labs: true,
  },
  elec: {
    field: t('génie électrique', 'electrical engineering'), isced: '0713',
    topics: t('les circuits, les signaux et la conversion de l’énergie', 'circuits, signals and energy conversion'),
    method: t('la simulation et les travaux pratiques', 'simulation and practicals'),
    skill: t('concevoir et tester un montage électronique ou électrique', 'design and test an electronic or electrical circuit'),
    english: t('Anglais technique', 'Technical English'),
    competences: ['Électronique', 'Automatique', 'Programmation embarquée', 'Mesure', 'Sécurité électrique'],
    labs: true,
  },
  civil: {
    field: t('génie civil', 'civil engineering'), isced: '0732',
    topics: t('la conception, le calcul et la construction des ouvrages', 'the design, analysis and construction of structures'),
    method: t('le calcul de structures et l’étude de projets', 'structural calculation and project studies'),
    skill: t('dimensionner un élément d’ouvrage selon les normes en vigueur', 'size a structural element to current standards'),
    english: t('Anglais technique', 'Technical English'),
    competences: ['Calcul de structures', 'Maquette numérique', 'Conduite de chantier', 'Normes de construction', 'Travail en équipe'],
    labs: true,
  },
  educ: {
    field: t('sciences de l’éducation', 'education'), isced: '0111',
    topics: t('l’enseignement, les apprentissages et le système éducatif', 'teaching, learning and the education system'),
    method: t('l’analyse de pratiques et l’observation en classe', 'reflective practice and classroom observation'),
    skill: t('concevoir une séquence d’enseignement et en évaluer les effets', 'design a teaching sequence and assess its effects'),
    english: t('Anglais pour l’enseignement', 'English for teachers'),
    competences: ['Conception pédagogique', 'Gestion de classe', 'Évaluation', 'Analyse réflexive', 'Communication'],
  },
  comm: {
    field: t('information-communication', 'communication studies'), isced: '0321',
    topics: t('les médias, les organisations et leurs stratégies de communication', 'the media, organisations and their communication strategies'),
    method: t('l’étude de cas et la production de contenus', 'case studies and content production'),
    skill: t('concevoir un plan de communication et produire des contenus adaptés', 'design a communication plan and produce suitable content'),
    english: t('Anglais de la communication', 'English for communication'),
    competences: ['Stratégie de communication', 'Rédaction', 'Production multimédia', 'Veille', 'Réseaux sociaux'],
  },
};

/** Diploma types, by code. */
export const DIPLOMA_TYPES = {
  LIC: t('Licence', 'Bachelor'),
  MAS: t('Master', 'Master'),
  BUT: t('Bachelor universitaire de technologie', 'Bachelor of Technology'),
  ING: t('Diplôme d’ingénieur', 'Engineering degree'),
  CPI: t('Cycle préparatoire intégré', 'Integrated preparatory cycle'),
  DFG: t('Diplôme de formation générale (santé)', 'General training diploma (health)'),
  DFA: t('Diplôme de formation approfondie (santé)', 'Advanced training diploma (health)'),
  DU: t('Diplôme d’université', 'University diploma'),
  DOC: t('Doctorat', 'Doctorate'),
} as const;
export type DiplomaType = keyof typeof DIPLOMA_TYPES;

export const FORMATION_TYPES = {
  FI: t('Formation initiale', 'Initial education'),
  FA: t('Apprentissage', 'Apprenticeship'),
  FC: t('Formation continue', 'Continuing education'),
} as const;
export type FormationType = keyof typeof FORMATION_TYPES;

/** A programme (a diploma's "mention") a component runs; one formation per year of study. */
export interface Programme {
  type: DiplomaType;
  code: string;
  fr: string;
  en: string;
  /** Main discipline family, then the minor one. */
  families: [FamilyKey, FamilyKey?];
  /** Years of the diploma (1–3 for a licence, 1–2 for a master, the year of study for health diplomas). */
  years: number[];
  /** Taught in these languages (default French). */
  languages?: string[];
  formationType?: FormationType;
  /** Year of study of a DU (default 3). */
  level?: number;
  /** Exchange types its courses are restricted to. */
  exchangeTypes?: string[];
}

/** A component of the demo university. */
export interface DemoComponent {
  code: string;
  fr: string;
  en: string;
  longFr: string;
  longEn: string;
  acronym: string;
  campus: string;
  /** For the generic addresses of its offices (`ri-<slug>@…`). */
  slug: string;
  rooms: string[];
  programmes: Programme[];
}

const P = (type: DiplomaType, code: string, fr: string, en: string, families: [FamilyKey, FamilyKey?], years: number[], more: Partial<Programme> = {}): Programme => ({
  type, code, fr, en, families, years, ...more,
});
const L = [1, 2, 3];
const M = [1, 2];
const CENTRE = 'Campus Centre-ville';
const LETTRES = 'Campus Lettres et sciences humaines';
const SCIENCES = 'Campus des Sciences';
const SANTE = 'Campus Santé';
const ARTS = 'Campus Arts et Sports';
const MONTRIVAL = 'Site universitaire de Montrival';

/** Components, each with its programmes in the order the demo takes them. */
export const COMPONENTS: DemoComponent[] = [
  {
    code: 'DSP', fr: 'UFR Droit et science politique', en: 'Faculty of Law and Political Science', acronym: 'DSP', campus: CENTRE, slug: 'droit',
    longFr: 'Unité de formation et de recherche Droit et science politique', longEn: 'Faculty of Law and Political Science',
    rooms: ['Amphi Portalis', 'Amphi Montesquieu', 'Salle D 101', 'Salle D 204', 'Salle D 310'],
    programmes: [
      P('LIC', 'DROIT', 'Droit', 'Law', ['law', 'polsci'], L),
      P('MAS', 'DPRIV', 'Droit privé', 'Private law', ['law'], M),
      P('LIC', 'SCPO', 'Science politique', 'Political science', ['polsci', 'history'], L),
      P('MAS', 'DIE', 'Droit international et européen', 'International and European law', ['law', 'polsci'], M, { languages: ['en'] }),
      P('MAS', 'DPUB', 'Droit public', 'Public law', ['law', 'polsci'], M),
      P('MAS', 'DAFF', 'Droit des affaires', 'Business law', ['law', 'mgmt'], M, { formationType: 'FA' }),
      P('MAS', 'SCPO', 'Science politique', 'Political science', ['polsci', 'socio'], M),
      P('DU', 'DNUM', 'Droit du numérique', 'Digital law', ['law', 'cs'], [1], { level: 5, formationType: 'FC' }),
      P('DOC', 'DSP', 'Droit et science politique', 'Law and political science', ['law', 'polsci'], [1], { exchangeTypes: ['doctoral'] }),
    ],
  },
  {
    code: 'ECO', fr: 'UFR Économie et gestion', en: 'Faculty of Economics and Management', acronym: 'EG', campus: CENTRE, slug: 'eco',
    longFr: 'Unité de formation et de recherche Économie et gestion', longEn: 'Faculty of Economics and Management',
    rooms: ['Amphi Say', 'Amphi Walras', 'Salle E 012', 'Salle E 118', 'Salle informatique E 2'],
    programmes: [
      P('LIC', 'ECO', 'Économie et gestion', 'Economics and management', ['econ', 'mgmt'], L),
      P('MAS', 'ECOAP', 'Économie appliquée', 'Applied economics', ['econ', 'math'], M),
      P('LIC', 'AES', 'Administration économique et sociale', 'Economic and social administration', ['econ', 'law'], L),
      P('MAS', 'MBF', 'Monnaie, banque, finance, assurance', 'Money, banking, finance and insurance', ['econ', 'mgmt'], M),
      P('MAS', 'EDD', 'Économie du développement durable', 'Sustainable development economics', ['econ', 'geo'], M, { languages: ['fr', 'en'] }),
      P('DU', 'DATA', 'Science des données pour économistes', 'Data science for economists', ['econ', 'cs'], [1], { level: 4 }),
      P('DOC', 'ECO', 'Sciences économiques', 'Economics', ['econ'], [1], { exchangeTypes: ['doctoral'] }),
    ],
  },
  {
    code: 'IAE', fr: 'IAE – École universitaire de management', en: 'IAE Graduate School of Management', acronym: 'IAE', campus: CENTRE, slug: 'iae',
    longFr: 'Institut d’administration des entreprises', longEn: 'Graduate School of Business Administration',
    rooms: ['Amphi Fayol', 'Salle I 101', 'Salle I 102', 'Salle I 205', 'Salle de créativité'],
    programmes: [
      P('MAS', 'MAE', 'Management et administration des entreprises', 'Business administration', ['mgmt', 'law'], M),
      P('LIC', 'GEST', 'Gestion', 'Management', ['mgmt', 'econ'], [3]),
      P('MAS', 'IB', 'Management international', 'International business', ['mgmt', 'econ'], M, { languages: ['en'] }),
      P('MAS', 'MKG', 'Marketing, vente', 'Marketing and sales', ['mgmt', 'comm'], M),
      P('MAS', 'FIN', 'Finance', 'Finance', ['mgmt', 'econ'], M),
      P('MAS', 'CCA', 'Comptabilité, contrôle, audit', 'Accounting, control and audit', ['mgmt', 'law'], M, { formationType: 'FA' }),
      P('MAS', 'GRH', 'Gestion des ressources humaines', 'Human resource management', ['mgmt', 'psycho'], M),
      P('DU', 'ENTR', 'Entrepreneuriat et création d’entreprise', 'Entrepreneurship and business creation', ['mgmt'], [1], { level: 3, formationType: 'FC' }),
    ],
  },
  {
    code: 'LLC', fr: 'UFR Lettres, langues et civilisations', en: 'Faculty of Languages, Literature and Cultures', acronym: 'LLC', campus: LETTRES, slug: 'llc',
    longFr: 'Unité de formation et de recherche Lettres, langues et civilisations', longEn: 'Faculty of Languages, Literature and Cultures',
    rooms: ['Amphi Hugo', 'Amphi Colette', 'Salle L 103', 'Salle L 207', 'Laboratoire de langues'],
    programmes: [
      P('LIC', 'LETMOD', 'Lettres modernes', 'French literature', ['lit', 'philo'], L),
      P('DU', 'FLE', 'Études françaises pour étudiants internationaux', 'French studies for international students', ['fle', 'lit'], [1], { level: 1 }),
      P('LIC', 'ANG', 'LLCER Anglais', 'English studies', ['english', 'lit'], L),
      P('LIC', 'ESP', 'LLCER Espagnol', 'Hispanic studies', ['spanish', 'history'], L),
      P('LIC', 'LEA', 'Langues étrangères appliquées anglais-espagnol', 'Applied foreign languages English–Spanish', ['english', 'spanish'], L),
      P('LIC', 'ALL', 'LLCER Allemand', 'German studies', ['german', 'history'], L),
      P('LIC', 'ITA', 'LLCER Italien', 'Italian studies', ['italian', 'arthist'], L),
      P('MAS', 'LET', 'Lettres', 'Literature', ['lit', 'philo'], M),
      P('MAS', 'ANG', 'Études anglophones', 'English-speaking world studies', ['english', 'lit'], M, { languages: ['en'] }),
      P('MAS', 'FLE', 'Français langue étrangère', 'French as a foreign language', ['fle', 'lit'], M),
      P('MAS', 'TRAD', 'Traduction et interprétation', 'Translation and interpreting', ['english', 'spanish'], M),
      P('DOC', 'LLC', 'Lettres et langues', 'Literature and languages', ['lit', 'english'], [1], { exchangeTypes: ['doctoral'] }),
    ],
  },
  {
    code: 'SHS', fr: 'UFR Sciences humaines et sociales', en: 'Faculty of Humanities and Social Sciences', acronym: 'SHS', campus: LETTRES, slug: 'shs',
    longFr: 'Unité de formation et de recherche Sciences humaines et sociales', longEn: 'Faculty of Humanities and Social Sciences',
    rooms: ['Amphi Bloch', 'Amphi Durkheim', 'Salle H 110', 'Salle H 212', 'Salle de cartographie'],
    programmes: [
      P('LIC', 'HIST', 'Histoire', 'History', ['history', 'arthist'], L),
      P('LIC', 'PSY', 'Psychologie', 'Psychology', ['psycho', 'bio'], L),
      P('LIC', 'SOC', 'Sociologie', 'Sociology', ['socio', 'econ'], L),
      P('LIC', 'GEO', 'Géographie et aménagement', 'Geography and planning', ['geo', 'history'], L),
      P('LIC', 'PHILO', 'Philosophie', 'Philosophy', ['philo', 'lit'], L),
      P('MAS', 'HIST', 'Histoire, civilisations, patrimoine', 'History, civilisations and heritage', ['history', 'arthist'], M),
      P('MAS', 'PSYCLI', 'Psychologie clinique et psychopathologie', 'Clinical psychology and psychopathology', ['psycho'], M),
      P('MAS', 'URBA', 'Urbanisme et aménagement', 'Urban and regional planning', ['geo', 'socio'], M),
      P('MAS', 'SOC', 'Sociologie', 'Sociology', ['socio'], M),
      P('MAS', 'PHILO', 'Philosophie', 'Philosophy', ['philo'], M),
      P('DOC', 'SHS', 'Sciences humaines et sociales', 'Humanities and social sciences', ['history', 'socio'], [1], { exchangeTypes: ['doctoral'] }),
    ],
  },
  {
    code: 'ST', fr: 'UFR Sciences et techniques', en: 'Faculty of Science and Technology', acronym: 'ST', campus: SCIENCES, slug: 'sciences',
    longFr: 'Unité de formation et de recherche Sciences et techniques', longEn: 'Faculty of Science and Technology',
    rooms: ['Amphi Curie', 'Amphi Lavoisier', 'Salle S 104', 'Salle de TP chimie C 1', 'Salle de TP biologie B 2'],
    programmes: [
      P('LIC', 'SV', 'Sciences de la vie', 'Life sciences', ['bio', 'chem'], L),
      P('LIC', 'PHYS', 'Physique', 'Physics', ['physics', 'math'], L),
      P('LIC', 'CHIM', 'Chimie', 'Chemistry', ['chem', 'physics'], L),
      P('LIC', 'STE', 'Sciences de la Terre', 'Earth sciences', ['earth', 'chem'], L),
      P('MAS', 'BIOL', 'Biologie moléculaire et cellulaire', 'Molecular and cell biology', ['bio', 'chem'], M),
      P('MAS', 'PHYS', 'Physique fondamentale et applications', 'Physics and applications', ['physics', 'math'], M, { languages: ['fr', 'en'] }),
      P('MAS', 'CHIM', 'Chimie', 'Chemistry', ['chem', 'physics'], M),
      P('MAS', 'BEE', 'Biodiversité, écologie et évolution', 'Biodiversity, ecology and evolution', ['bio', 'earth'], M),
      P('MAS', 'STPE', 'Sciences de la Terre et des planètes, environnement', 'Earth and planetary sciences, environment', ['earth', 'physics'], M),
      P('DOC', 'ST', 'Sciences et technologies', 'Science and technology', ['physics', 'chem'], [1], { exchangeTypes: ['doctoral'] }),
    ],
  },
  {
    code: 'MI', fr: 'UFR Mathématiques et informatique', en: 'Faculty of Mathematics and Computer Science', acronym: 'MI', campus: SCIENCES, slug: 'mi',
    longFr: 'Unité de formation et de recherche Mathématiques et informatique', longEn: 'Faculty of Mathematics and Computer Science',
    rooms: ['Amphi Turing', 'Amphi Noether', 'Salle M 201', 'Salle machines M 3', 'Salle machines M 4'],
    programmes: [
      P('LIC', 'INFO', 'Informatique', 'Computer science', ['cs', 'math'], L),
      P('LIC', 'MATH', 'Mathématiques', 'Mathematics', ['math', 'cs'], L),
      P('MAS', 'INFO', 'Informatique', 'Computer science', ['cs', 'math'], M),
      P('MAS', 'DS', 'Science des données', 'Data science', ['cs', 'math'], M, { languages: ['en'] }),
      P('LIC', 'MIASHS', 'Mathématiques et informatique appliquées aux sciences humaines et sociales', 'Mathematics and computer science for the social sciences', ['math', 'socio'], L),
      P('MAS', 'MAS', 'Mathématiques appliquées, statistique', 'Applied mathematics and statistics', ['math', 'cs'], M),
      P('DOC', 'MI', 'Mathématiques et informatique', 'Mathematics and computer science', ['math', 'cs'], [1], { exchangeTypes: ['doctoral'] }),
    ],
  },
  {
    code: 'MED', fr: 'UFR Médecine', en: 'Faculty of Medicine', acronym: 'MED', campus: SANTE, slug: 'medecine',
    longFr: 'Unité de formation et de recherche de Médecine', longEn: 'Faculty of Medicine',
    rooms: ['Amphi Pasteur', 'Amphi Laennec', 'Salle de simulation', 'Salle d’anatomie', 'Salle P 12'],
    programmes: [
      P('DFG', 'DFGSM', 'Diplôme de formation générale en sciences médicales', 'General training in medical sciences', ['med', 'bio'], [2, 3]),
      P('DFA', 'DFASM', 'Diplôme de formation approfondie en sciences médicales', 'Advanced training in medical sciences', ['med'], [4, 5, 6], { exchangeTypes: ['full-year', 'double-degree'] }),
      P('MAS', 'SP', 'Santé publique', 'Public health', ['med', 'socio'], M),
      P('DU', 'MTSI', 'Médecine tropicale et santé internationale', 'Tropical medicine and global health', ['med'], [1], { level: 6, formationType: 'FC' }),
    ],
  },
  {
    code: 'PHA', fr: 'UFR Pharmacie', en: 'Faculty of Pharmacy', acronym: 'PHA', campus: SANTE, slug: 'pharmacie',
    longFr: 'Unité de formation et de recherche de Pharmacie', longEn: 'Faculty of Pharmacy',
    rooms: ['Amphi Parmentier', 'Salle de TP galénique', 'Salle de TP chimie analytique', 'Salle Ph 110', 'Pharmacie expérimentale'],
    programmes: [
      P('DFG', 'DFGSP', 'Diplôme de formation générale en sciences pharmaceutiques', 'General training in pharmaceutical sciences', ['pharma', 'chem'], [2, 3]),
      P('DFA', 'DFASP', 'Diplôme de formation approfondie en sciences pharmaceutiques', 'Advanced training in pharmaceutical sciences', ['pharma', 'bio'], [4, 5]),
      P('MAS', 'SMPS', 'Sciences du médicament et des produits de santé', 'Drug and health product sciences', ['pharma', 'chem'], M),
      P('DU', 'COSM', 'Cosmétologie', 'Cosmetic science', ['pharma', 'chem'], [1], { level: 5, formationType: 'FC' }),
    ],
  },
  {
    code: 'ARTS', fr: 'UFR Arts', en: 'Faculty of Arts', acronym: 'ARTS', campus: ARTS, slug: 'arts',
    longFr: 'Unité de formation et de recherche Arts', longEn: 'Faculty of Arts',
    rooms: ['Auditorium', 'Atelier A 1', 'Studio de montage', 'Salle de danse', 'Salle de projection'],
    programmes: [
      P('LIC', 'HAA', 'Histoire de l’art et archéologie', 'Art history and archaeology', ['arthist', 'history'], L),
      P('LIC', 'CINE', 'Cinéma et audiovisuel', 'Film and audiovisual studies', ['cinema', 'comm'], L),
      P('LIC', 'MUS', 'Musicologie', 'Musicology', ['music', 'arthist'], L),
      P('LIC', 'AP', 'Arts plastiques', 'Visual arts', ['visualarts', 'arthist'], L),
      P('LIC', 'ASPEC', 'Arts du spectacle', 'Performing arts', ['theatre', 'lit'], L),
      P('MAS', 'PATR', 'Patrimoine et musées', 'Heritage and museums', ['arthist', 'history'], M),
      P('MAS', 'CINE', 'Cinéma et audiovisuel', 'Film studies', ['cinema', 'comm'], M),
      P('MAS', 'ARTS', 'Arts plastiques et création contemporaine', 'Visual arts and contemporary creation', ['visualarts', 'arthist'], M),
      P('MAS', 'MUS', 'Musicologie', 'Musicology', ['music'], M),
    ],
  },
  {
    code: 'STAPS', fr: 'UFR STAPS', en: 'Faculty of Sport Sciences', acronym: 'STAPS', campus: ARTS, slug: 'staps',
    longFr: 'Unité de formation et de recherche Sciences et techniques des activités physiques et sportives', longEn: 'Faculty of Sport Sciences and Physical Education',
    rooms: ['Amphi Coubertin', 'Gymnase A', 'Piscine universitaire', 'Salle de musculation', 'Salle T 105'],
    programmes: [
      P('LIC', 'STAPS', 'STAPS', 'Sport sciences', ['sport', 'bio'], L),
      P('MAS', 'EOPS', 'Entraînement et optimisation de la performance sportive', 'Training and sports performance', ['sport', 'bio'], M),
      P('LIC', 'APAS', 'STAPS : activité physique adaptée et santé', 'Sport sciences: adapted physical activity and health', ['sport', 'psycho'], [3]),
      P('LIC', 'MGS', 'STAPS : management du sport', 'Sport sciences: sport management', ['sport', 'mgmt'], [3]),
      P('MAS', 'APAS', 'Activité physique adaptée et santé', 'Adapted physical activity and health', ['sport', 'psycho'], M),
      P('MAS', 'MGS', 'Management du sport', 'Sport management', ['sport', 'mgmt'], M),
      P('DU', 'PREPA', 'Préparation physique', 'Strength and conditioning coaching', ['sport'], [1], { level: 3, formationType: 'FC' }),
    ],
  },
  {
    code: 'IUT', fr: 'IUT de Montrival', en: 'Montrival University Institute of Technology', acronym: 'IUT', campus: MONTRIVAL, slug: 'iut',
    longFr: 'Institut universitaire de technologie de Montrival', longEn: 'Montrival University Institute of Technology',
    rooms: ['Amphi 1', 'Salle TD 12', 'Salle TP réseaux', 'Atelier de fabrication', 'Salle projet'],
    programmes: [
      P('BUT', 'GEA', 'Gestion des entreprises et des administrations', 'Business and administration management', ['mgmt', 'law'], L),
      P('BUT', 'INFO', 'Informatique', 'Computer science', ['cs', 'math'], L),
      P('BUT', 'GEII', 'Génie électrique et informatique industrielle', 'Electrical engineering and industrial computing', ['elec', 'cs'], L),
      P('BUT', 'TC', 'Techniques de commercialisation', 'Marketing and sales', ['mgmt', 'comm'], L),
      P('BUT', 'GCCD', 'Génie civil – construction durable', 'Civil engineering – sustainable construction', ['civil', 'mech'], L),
      P('BUT', 'INFOCOM', 'Information-communication', 'Information and communication', ['comm', 'mgmt'], L),
      P('BUT', 'GMP', 'Génie mécanique et productique', 'Mechanical and production engineering', ['mech', 'elec'], L, { formationType: 'FA' }),
    ],
  },
  {
    code: 'ING', fr: 'École d’ingénieurs Polytech', en: 'Polytech School of Engineering', acronym: 'POLYTECH', campus: SCIENCES, slug: 'ingenieurs',
    longFr: 'École polytechnique universitaire', longEn: 'University School of Engineering',
    rooms: ['Amphi Eiffel', 'Salle P 101', 'Hall d’essais', 'Salle CAO', 'Fab lab'],
    programmes: [
      P('ING', 'MECA', 'Génie mécanique', 'Mechanical engineering', ['mech', 'mgmt'], L),
      P('CPI', 'PEIP', 'Parcours des écoles d’ingénieurs', 'Engineering preparatory programme', ['math', 'physics'], [1, 2]),
      P('ING', 'INFO', 'Informatique', 'Computer science', ['cs', 'math'], L, { languages: ['fr', 'en'] }),
      P('ING', 'GE', 'Génie électrique', 'Electrical engineering', ['elec', 'physics'], L),
      P('ING', 'GC', 'Génie civil', 'Civil engineering', ['civil', 'mech'], L),
      P('ING', 'MAT', 'Science et génie des matériaux', 'Materials science and engineering', ['chem', 'mech'], L),
    ],
  },
  {
    code: 'INSPE', fr: 'INSPE', en: 'INSPE School of Education', acronym: 'INSPE', campus: CENTRE, slug: 'inspe',
    longFr: 'Institut national supérieur du professorat et de l’éducation', longEn: 'National Graduate School of Teaching and Education',
    rooms: ['Amphi Ferry', 'Salle E 1', 'Salle E 2', 'Salle numérique', 'Salle de pratique'],
    programmes: [
      P('MAS', 'MEEF1', 'MEEF premier degré', 'Primary school teaching (MEEF)', ['educ', 'psycho'], M),
      P('MAS', 'MEEF2', 'MEEF second degré', 'Secondary school teaching (MEEF)', ['educ', 'lit'], M),
      P('LIC', 'SEF', 'Sciences de l’éducation et de la formation', 'Education and training sciences', ['educ', 'socio'], [3]),
      P('MAS', 'MEEFEE', 'MEEF encadrement éducatif', 'Education management (MEEF)', ['educ', 'socio'], M),
      P('MAS', 'MEEFPIF', 'MEEF pratiques et ingénierie de la formation', 'Training practice and design (MEEF)', ['educ', 'comm'], M),
      P('DU', 'ENUM', 'Enseigner avec le numérique', 'Teaching with digital tools', ['educ'], [1], { level: 5, formationType: 'FC' }),
    ],
  },
];

/** Further sites a large generated catalogue spreads over (each round of programmes adds one). */
export const SITES: { code: string; fr: string; en: string; campus: string }[] = [
  { code: 'BLR', fr: 'site de Bellerive', en: 'Bellerive site', campus: 'Site universitaire de Bellerive' },
  { code: 'VDN', fr: 'site du Val-de-Nore', en: 'Val-de-Nore site', campus: 'Site universitaire du Val-de-Nore' },
  { code: 'RCL', fr: 'site de Roche-Claire', en: 'Roche-Claire site', campus: 'Site universitaire de Roche-Claire' },
  { code: 'SAU', fr: 'site de Saint-Aubrac', en: 'Saint-Aubrac site', campus: 'Site universitaire de Saint-Aubrac' },
  { code: 'LMO', fr: 'site des Lacs-Morins', en: 'Lacs-Morins site', campus: 'Site universitaire des Lacs-Morins' },
  { code: 'PVE', fr: 'site de Port-Vernay', en: 'Port-Vernay site', campus: 'Site universitaire de Port-Vernay' },
  { code: 'CHA', fr: 'site de Champlaurent', en: 'Champlaurent site', campus: 'Site universitaire de Champlaurent' },
  { code: 'MBR', fr: 'site de Mont-Brénod', en: 'Mont-Brénod site', campus: 'Site universitaire de Mont-Brénod' },
];
