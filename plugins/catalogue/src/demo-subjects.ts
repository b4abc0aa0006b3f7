/**
 * Course subjects of the demo catalogue, per discipline family, in French and English: the kind of
 * courses a French university teaches. Each list goes roughly from first-year to master's level;
 * one line is `French | English`, with the language of instruction as a third column when it is
 * not French.
 * @packageDocumentation
 */

/** One course subject. */
export interface Subject {
  fr: string;
  en: string;
  /** Language of instruction when it is not French (ISO 639-1). */
  lang?: string;
}

const parse = (text: string): Subject[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [fr, en, lang] = l.split(' | ').map((s) => s.trim());
      return lang ? { fr: fr!, en: en!, lang } : { fr: fr!, en: en! };
    });

const law = `
Introduction au droit | Introduction to law
Histoire du droit et des institutions | History of law and institutions
Droit constitutionnel | Constitutional law
Droit civil des personnes | Civil law of persons
Droit de la famille | Family law
Institutions administratives | Administrative institutions
Institutions juridictionnelles | Judicial institutions
Méthodologie juridique | Legal methodology
Droit des obligations | Law of obligations
Droit des contrats | Contract law
Responsabilité civile | Tort law
Droit administratif | Administrative law
Droit pénal général | General criminal law
Finances publiques | Public finance
Droit des biens | Property law
Droit commercial | Commercial law
Droit des sociétés | Company law
Droit du travail | Employment law
Droit fiscal | Tax law
Droit de l’Union européenne | European Union law
Droit international public | Public international law
Droit international privé | Private international law
Procédure civile | Civil procedure
Procédure pénale | Criminal procedure
Contentieux administratif | Administrative litigation
Libertés fondamentales | Fundamental rights and freedoms
Droit pénal spécial | Special criminal law
Droit des contrats spéciaux | Specific contracts law
Régime général des obligations | General law of obligations
Droit des sûretés | Secured transactions law
Droit des entreprises en difficulté | Insolvency law
Droit de la consommation | Consumer law
Droit de la concurrence | Competition law
Droit de la propriété intellectuelle | Intellectual property law
Droit du numérique | Digital law
Protection des données personnelles | Personal data protection
Droit de l’environnement | Environmental law
Droit de l’urbanisme | Planning law
Droit de la santé | Health law
Droit des régimes matrimoniaux | Matrimonial property law
Droit des successions et libéralités | Succession and gifts law
Droit bancaire | Banking law
Droit des assurances | Insurance law
Droit de la fonction publique | Civil service law
Droit des contrats publics | Public procurement law
Droit de la sécurité sociale | Social security law
Droit européen des droits de l’homme | European human rights law
Droit international des droits de l’homme | International human rights law
Droit du commerce international | International trade law
Arbitrage international | International arbitration
Droit des migrations | Migration law
Droit comparé | Comparative law
Common law et droit anglo-américain | Common law and Anglo-American law
Philosophie du droit | Philosophy of law
Criminologie | Criminology
Droit pénal des affaires | Business criminal law
Droit des collectivités territoriales | Local government law
Droit fiscal des affaires | Business tax law
Droit des marchés financiers | Financial markets law
Théorie générale de l’État | General theory of the State`;

const polsci = `
Introduction à la science politique | Introduction to political science
Histoire des idées politiques | History of political ideas
Vie politique française | French politics
Sociologie politique | Political sociology
Institutions politiques comparées | Comparative political institutions
Relations internationales | International relations
Politiques publiques | Public policy analysis
Sociologie électorale | Electoral sociology
Partis politiques et systèmes partisans | Political parties and party systems
Théorie politique contemporaine | Contemporary political theory
Histoire politique de la France contemporaine | Political history of modern France
Politique comparée | Comparative politics
Géopolitique | Geopolitics
Intégration européenne | European integration
Action publique territoriale | Local public action
Sociologie de l’action collective | Sociology of collective action
Communication politique | Political communication
Médias et opinion publique | Media and public opinion
Méthodes d’enquête en science politique | Research methods in political science
Sociologie des mouvements sociaux | Sociology of social movements
Politique étrangère de la France | French foreign policy
Sécurité internationale | International security
Organisations internationales | International organisations
Économie politique internationale | International political economy
Genre et politique | Gender and politics
Démocratie et participation | Democracy and participation
Politiques sociales | Social policy
Politiques environnementales | Environmental policy
Sociologie de l’État | Sociology of the State
Administration publique comparée | Comparative public administration
Conflits et résolution des conflits | Conflict and conflict resolution
Politique du Moyen-Orient | Middle East politics
Politique de l’Amérique latine | Latin American politics
Politique africaine contemporaine | Contemporary African politics
Études stratégiques | Strategic studies
Sociologie des élites | Sociology of elites
Gouvernance mondiale | Global governance
Analyse des discours politiques | Political discourse analysis
Éthique et vie publique | Ethics and public life
Lobbying et groupes d’intérêt | Lobbying and interest groups`;

const econ = `
Introduction à l’économie | Introduction to economics
Microéconomie | Microeconomics
Macroéconomie | Macroeconomics
Mathématiques pour l’économie | Mathematics for economics
Statistiques descriptives | Descriptive statistics
Histoire des faits économiques | Economic history
Comptabilité nationale | National accounting
Histoire de la pensée économique | History of economic thought
Probabilités et statistique inférentielle | Probability and statistical inference
Économie monétaire | Monetary economics
Économie internationale | International economics
Économie publique | Public economics
Économétrie | Econometrics
Économie du travail | Labour economics
Économie industrielle | Industrial organisation
Croissance économique | Economic growth
Économie du développement | Development economics
Économie de l’environnement | Environmental economics
Économie de la santé | Health economics
Théorie des jeux | Game theory
Économie européenne | European economics
Finance d’entreprise | Corporate finance
Économie bancaire | Banking economics
Marchés financiers | Financial markets
Politique économique | Economic policy
Économie comportementale | Behavioural economics
Économie de l’innovation | Economics of innovation
Économie urbaine et régionale | Urban and regional economics
Économie de l’énergie | Energy economics
Analyse des données économiques | Economic data analysis
Séries temporelles | Time series analysis
Économétrie des données de panel | Panel data econometrics
Microéconomie de l’incertain | Microeconomics of uncertainty
Macroéconomie dynamique | Dynamic macroeconomics
Économie de l’information | Information economics
Évaluation des politiques publiques | Public policy evaluation
Fiscalité et redistribution | Taxation and redistribution
Commerce international et mondialisation | International trade and globalisation
Économie du numérique | Digital economics
Économie agricole et alimentaire | Agricultural and food economics
Économie des transports | Transport economics
Économie sociale et solidaire | Social and solidarity economy
Finance internationale | International finance
Gestion des risques financiers | Financial risk management
Économie expérimentale | Experimental economics
Économie des inégalités | Economics of inequality
Économie du climat | Climate economics
Économie de la protection sociale | Economics of social protection
Modélisation macroéconomique | Macroeconomic modelling
Programmation en R pour économistes | R programming for economists`;

const mgmt = `
Introduction à la gestion | Introduction to management
Comptabilité générale | Financial accounting
Comptabilité de gestion | Management accounting
Marketing fondamental | Principles of marketing
Théorie des organisations | Organisation theory
Gestion des ressources humaines | Human resource management
Analyse financière | Financial analysis
Stratégie d’entreprise | Business strategy
Contrôle de gestion | Management control
Gestion de projet | Project management
Management des systèmes d’information | Management information systems
Comportement du consommateur | Consumer behaviour
Études de marché | Market research
Logistique et chaîne d’approvisionnement | Logistics and supply chain management
Entrepreneuriat | Entrepreneurship
Fiscalité des entreprises | Corporate taxation
Droit des affaires | Business law
Audit comptable et financier | Accounting and financial audit
Management interculturel | Cross-cultural management
Commerce international | International business
Marketing digital | Digital marketing
Communication des organisations | Organisational communication
Négociation commerciale | Business negotiation
Gestion de la relation client | Customer relationship management
Finance de marché | Market finance
Évaluation d’entreprise | Business valuation
Ingénierie financière | Financial engineering
Gestion de trésorerie | Cash management
Consolidation des comptes | Consolidated accounts
Normes comptables internationales (IFRS) | International accounting standards (IFRS)
Management de l’innovation | Innovation management
Responsabilité sociale des entreprises | Corporate social responsibility
Management public | Public management
Gestion des achats | Purchasing management
Marketing des services | Services marketing
Marque et communication | Brand management and communication
Pilotage de la performance | Performance management
Progiciels de gestion intégrés (ERP) | Enterprise resource planning systems
Gouvernance d’entreprise | Corporate governance
Management du changement | Change management
Leadership et conduite d’équipe | Leadership and team management
Gestion des talents et des compétences | Talent and skills management
Droit social pour managers | Employment law for managers
Management de la qualité | Quality management
Business plan et création d’entreprise | Business planning and start-ups
Marketing des données | Marketing analytics
Finance durable | Sustainable finance
Gestion des risques | Risk management
Éthique des affaires | Business ethics
Management du tourisme | Tourism management
Management du luxe | Luxury brand management
Négociation internationale | International negotiation
Prospective et veille stratégique | Strategic foresight and intelligence
Contrôle interne | Internal control
Sociologie des organisations | Sociology of organisations`;

const lit = `
Introduction aux études littéraires | Introduction to literary studies
Littérature française du Moyen Âge | Medieval French literature
Littérature française du XVIe siècle | Sixteenth-century French literature
Littérature française du XVIIe siècle | Seventeenth-century French literature
Littérature française du XVIIIe siècle | Eighteenth-century French literature
Littérature française du XIXe siècle | Nineteenth-century French literature
Littérature française des XXe et XXIe siècles | Twentieth- and twenty-first-century French literature
Histoire de la langue française | History of the French language
Grammaire et stylistique | Grammar and stylistics
Linguistique française | French linguistics
Phonétique et phonologie | Phonetics and phonology
Latin | Latin
Ancien français | Old French
Littérature comparée | Comparative literature
Poétique et versification | Poetics and versification
Le roman | The novel
Le théâtre classique | Classical drama
La poésie moderne | Modern poetry
Littératures francophones | Francophone literatures
Analyse du discours | Discourse analysis
Sémantique et lexicologie | Semantics and lexicology
Syntaxe du français | French syntax
Littérature de jeunesse | Children’s literature
Écritures de soi | Life writing
Mythes et littérature | Myth and literature
Littérature et arts | Literature and the arts
Théorie littéraire | Literary theory
Critique littéraire | Literary criticism
Sociolinguistique | Sociolinguistics
Pragmatique | Pragmatics
Atelier d’écriture créative | Creative writing workshop
Édition et métiers du livre | Publishing and the book trade
Humanités numériques | Digital humanities
Rhétorique et argumentation | Rhetoric and argumentation
Littérature et philosophie des Lumières | Literature and philosophy of the Enlightenment
Le roman réaliste et naturaliste | The realist and naturalist novel
Le surréalisme | Surrealism
Théâtre contemporain | Contemporary theatre
Littératures de l’Europe médiévale | Literatures of medieval Europe
Traduction littéraire | Literary translation
Lexicographie | Lexicography
Linguistique de corpus | Corpus linguistics
Génétique textuelle | Textual genetics
Littérature et cinéma | Literature and film
Grec ancien | Ancient Greek`;

const english = `
Grammaire anglaise | English grammar | en
Phonétique anglaise | English phonetics | en
Compréhension et expression orales en anglais | English oral skills | en
Thème anglais | Translation into English | en
Version anglaise | Translation from English | en
Littérature britannique | British literature | en
Littérature américaine | American literature | en
Civilisation britannique | British studies | en
Civilisation américaine | American studies | en
Histoire du Royaume-Uni | History of the United Kingdom | en
Histoire des États-Unis | History of the United States | en
Shakespeare et le théâtre élisabéthain | Shakespeare and Elizabethan drama | en
Le roman victorien | The Victorian novel | en
Poésie romantique anglaise | English Romantic poetry | en
Littérature irlandaise | Irish literature | en
Littératures postcoloniales | Postcolonial literatures | en
Linguistique anglaise | English linguistics | en
Traduction spécialisée anglais | Specialised translation (English) | en
Le modernisme anglo-américain | Anglo-American modernism | en
Cinéma anglophone | Film in English-speaking countries | en
Études canadiennes | Canadian studies | en
L’Irlande contemporaine | Contemporary Ireland | en
Institutions politiques britanniques | British political institutions | en
Institutions politiques américaines | American political institutions | en
Littérature afro-américaine | African American literature | en
Le roman contemporain de langue anglaise | The contemporary novel in English | en
Didactique de l’anglais | Teaching English as a foreign language | en
Anglais des affaires | Business English | en
Histoire de la langue anglaise | History of the English language | en
Sociolinguistique de l’anglais | Sociolinguistics of English | en
Analyse de textes en anglais | Close reading in English | en
Écriture académique en anglais | Academic writing in English | en
Le Commonwealth et l’Empire britannique | The Commonwealth and the British Empire | en
Théâtre britannique contemporain | Contemporary British theatre | en
Séries télévisées anglophones | English-language television series | en
La Grande-Bretagne au XXe siècle | Twentieth-century Britain | en
L’Amérique et le monde | America and the world | en
Littérature écossaise | Scottish literature | en
Variétés de l’anglais | Varieties of English | en
Traduction audiovisuelle anglais | Audiovisual translation (English) | en`;

const spanish = `
Grammaire espagnole | Spanish grammar | es
Expression orale en espagnol | Spanish oral skills | es
Thème espagnol | Translation into Spanish | es
Version espagnole | Translation from Spanish | es
Littérature espagnole du Siècle d’or | Spanish Golden Age literature | es
Littérature espagnole contemporaine | Contemporary Spanish literature | es
Littérature hispano-américaine | Latin American literature | es
Civilisation espagnole | Spanish studies | es
Civilisation latino-américaine | Latin American studies | es
Histoire de l’Espagne contemporaine | History of modern Spain | es
Histoire de l’Amérique latine | History of Latin America | es
Cervantès et le Quichotte | Cervantes and Don Quixote | es
Le roman de la dictature | The dictatorship novel | es
Poésie espagnole du XXe siècle | Twentieth-century Spanish poetry | es
Cinéma espagnol | Spanish cinema | es
Cinéma latino-américain | Latin American cinema | es
Linguistique espagnole | Spanish linguistics | es
Phonétique espagnole | Spanish phonetics | es
Espagnol des affaires | Business Spanish | es
Traduction spécialisée espagnol | Specialised translation (Spanish) | es
L’Espagne des autonomies | Spain’s autonomous communities | es
Le Mexique contemporain | Contemporary Mexico | es
Littérature catalane | Catalan literature | es
Théâtre espagnol | Spanish theatre | es
Mémoire de la guerre civile espagnole | Memory of the Spanish Civil War | es
Littérature et société du Río de la Plata | Literature and society of the Río de la Plata | es
Didactique de l’espagnol | Teaching Spanish as a foreign language | es
Histoire de la langue espagnole | History of the Spanish language | es
Littérature coloniale hispano-américaine | Colonial Latin American literature | es
La nouvelle hispano-américaine | The Latin American short story | es
Arts visuels en Espagne | Visual arts in Spain | es
Variétés de l’espagnol | Varieties of Spanish | es
Écriture en espagnol | Writing in Spanish | es
Migrations et identités hispaniques | Hispanic migrations and identities | es
Presse et médias hispaniques | Spanish-language press and media | es`;

const german = `
Grammaire allemande | German grammar | de
Expression orale en allemand | German oral skills | de
Thème allemand | Translation into German | de
Version allemande | Translation from German | de
Littérature allemande classique | Classical German literature | de
Le romantisme allemand | German Romanticism | de
Littérature allemande contemporaine | Contemporary German literature | de
Civilisation allemande | German studies | de
Histoire de l’Allemagne contemporaine | History of modern Germany | de
L’Autriche et la Suisse alémanique | Austria and German-speaking Switzerland | de
La RDA et la réunification | The GDR and reunification | de
Le théâtre de Brecht | Brecht’s theatre | de
Goethe et Schiller | Goethe and Schiller | de
Linguistique allemande | German linguistics | de
Phonétique allemande | German phonetics | de
Allemand des affaires | Business German | de
Traduction spécialisée allemand | Specialised translation (German) | de
Cinéma allemand | German cinema | de
Les relations franco-allemandes | Franco-German relations | de
Littérature de l’exil | Exile literature | de
Philosophie allemande | German philosophy | de
Institutions politiques allemandes | German political institutions | de
La République de Weimar | The Weimar Republic | de
Kafka et la littérature pragoise | Kafka and Prague literature | de
Poésie allemande | German poetry | de
Contes et légendes germaniques | German fairy tales and legends | de
Didactique de l’allemand | Teaching German as a foreign language | de
Histoire de la langue allemande | History of the German language | de
Économie allemande | The German economy | de
Écriture en allemand | Writing in German | de`;

const italian = `
Grammaire italienne | Italian grammar | it
Expression orale en italien | Italian oral skills | it
Thème italien | Translation into Italian | it
Version italienne | Translation from Italian | it
Dante et la Divine Comédie | Dante and the Divine Comedy | it
Pétrarque et Boccace | Petrarch and Boccaccio | it
Littérature de la Renaissance italienne | Italian Renaissance literature | it
Littérature italienne du XIXe siècle | Nineteenth-century Italian literature | it
Littérature italienne contemporaine | Contemporary Italian literature | it
Civilisation italienne | Italian studies | it
Histoire de l’Italie contemporaine | History of modern Italy | it
Le Risorgimento | The Risorgimento | it
Cinéma italien | Italian cinema | it
Le néoréalisme | Neorealism | it
Linguistique italienne | Italian linguistics | it
Italien des affaires | Business Italian | it
Traduction spécialisée italien | Specialised translation (Italian) | it
L’opéra italien | Italian opera | it
Art et société dans l’Italie de la Renaissance | Art and society in Renaissance Italy | it
Le théâtre de Pirandello | Pirandello’s theatre | it
Dialectes et variétés de l’italien | Italian dialects and varieties | it
L’Italie et l’émigration | Italy and emigration | it
Machiavel et la pensée politique italienne | Machiavelli and Italian political thought | it
Poésie italienne du XXe siècle | Twentieth-century Italian poetry | it
Didactique de l’italien | Teaching Italian as a foreign language | it
Écriture en italien | Writing in Italian | it
La mafia dans la littérature et la société | The Mafia in literature and society | it
Le Mezzogiorno | Southern Italy (the Mezzogiorno) | it`;

const fle = `
Français langue étrangère – niveau A2 | French as a foreign language – A2 level
Français langue étrangère – niveau B1 | French as a foreign language – B1 level
Français langue étrangère – niveau B2 | French as a foreign language – B2 level
Français langue étrangère – niveau C1 | French as a foreign language – C1 level
Phonétique corrective du français | French pronunciation
Expression écrite en français | Written French
Compréhension orale du français | French listening skills
Civilisation française contemporaine | Contemporary French society
Culture et société françaises | French culture and society
Didactique du français langue étrangère | Teaching French as a foreign language
Acquisition des langues secondes | Second language acquisition
Grammaire du français pour apprenants | French grammar for foreign learners
Français sur objectifs universitaires | French for academic purposes
Français sur objectifs spécifiques | French for specific purposes
Évaluation et certifications en langues | Language assessment and certification
Ingénierie de formation en langues | Language course design
Interculturalité et enseignement | Intercultural education
Outils numériques pour l’enseignement des langues | Digital tools for language teaching
Sociolinguistique du plurilinguisme | Sociolinguistics of multilingualism
Littérature française pour apprenants | French literature for language learners
Le français dans la francophonie | French across the French-speaking world
Analyse de manuels de FLE | Analysis of French language textbooks
Français juridique | French for law
Français des affaires | Business French
Français scientifique | French for science
Cinéma et chanson françaises | French film and song
Histoire de France | History of France
Méthodologie du mémoire en didactique des langues | Dissertation methods in language teaching
Observation de classe | Classroom observation
Politiques linguistiques éducatives | Language education policy`;

const history = `
Histoire ancienne : la Grèce | Ancient history: Greece
Histoire ancienne : Rome | Ancient history: Rome
Histoire médiévale | Medieval history
Histoire moderne | Early modern history
Histoire contemporaine | Modern history
Méthodologie historique | Historical methods
Historiographie | Historiography
Paléographie | Palaeography
Histoire de l’Occident médiéval | History of the medieval West
Byzance et l’Islam médiéval | Byzantium and medieval Islam
La Renaissance | The Renaissance
Réformes et guerres de Religion | Reformations and the Wars of Religion
L’Europe des Lumières | Enlightenment Europe
La Révolution française | The French Revolution
L’Empire napoléonien | The Napoleonic Empire
Histoire du XIXe siècle | Nineteenth-century history
La Première Guerre mondiale | The First World War
La Seconde Guerre mondiale | The Second World War
Histoire de la colonisation et des décolonisations | History of colonisation and decolonisation
Histoire des États-Unis | History of the United States
Histoire de l’Afrique | History of Africa
Histoire de l’Asie | History of Asia
Histoire de l’Amérique latine | History of Latin America
Histoire de la construction européenne | History of European integration
Histoire économique et sociale | Economic and social history
Histoire des femmes et du genre | Women’s and gender history
Histoire des religions | History of religions
Histoire urbaine | Urban history
Histoire rurale | Rural history
Histoire de l’environnement | Environmental history
Histoire des sciences | History of science
Histoire culturelle | Cultural history
Histoire politique | Political history
Histoire des relations internationales | History of international relations
La guerre froide | The Cold War
Histoire du temps présent | Contemporary history since 1945
Épigraphie latine | Latin epigraphy
Numismatique | Numismatics
Archives et sources de l’histoire | Archives and historical sources
Histoire et mémoire | History and memory
Histoire de l’alimentation | History of food
Histoire de la Méditerranée | History of the Mediterranean
Histoire des migrations | History of migration
Histoire de la justice et des crimes | History of crime and justice
Histoire du livre et de l’imprimé | History of the book and print
Histoire publique | Public history
Histoire numérique | Digital history
Histoire de l’esclavage | History of slavery
Le monde byzantin | The Byzantine world
Histoire des empires | History of empires`;

const arthist = `
Histoire de l’art antique | Ancient art history
Histoire de l’art médiéval | Medieval art history
Histoire de l’art moderne | Early modern art history
Histoire de l’art contemporain | Contemporary art history
Archéologie préhistorique | Prehistoric archaeology
Archéologie antique | Classical archaeology
Archéologie médiévale | Medieval archaeology
Méthodes de l’archéologie | Archaeological methods
Iconographie | Iconography
Architecture gothique | Gothic architecture
Peinture de la Renaissance italienne | Italian Renaissance painting
Art baroque | Baroque art
Impressionnisme et postimpressionnisme | Impressionism and post-impressionism
Les avant-gardes du XXe siècle | Twentieth-century avant-gardes
Histoire de la photographie | History of photography
Histoire de l’architecture contemporaine | History of modern architecture
Art et patrimoine | Art and heritage
Muséologie | Museum studies
Conservation préventive | Preventive conservation
Marché de l’art | The art market
Arts extra-européens | Non-European art
Art islamique | Islamic art
Histoire des arts décoratifs | History of decorative arts
Céramologie | Ceramics studies
Archéologie du bâti | Buildings archaeology
Anthropologie funéraire | Funerary anthropology
Dessin archéologique et relevé | Archaeological drawing and survey
Inventaire du patrimoine | Heritage inventory
Médiation culturelle | Cultural mediation
Histoire du design | Design history
Art et pouvoir | Art and power
Sculpture médiévale | Medieval sculpture
Géoarchéologie | Geoarchaeology
Systèmes d’information géographique pour l’archéologie | GIS for archaeology
Critique d’art | Art criticism`;

const geo = `
Introduction à la géographie | Introduction to geography
Géographie physique | Physical geography
Géographie humaine | Human geography
Cartographie | Cartography
Climatologie | Climatology
Géomorphologie | Geomorphology
Hydrologie | Hydrology
Biogéographie | Biogeography
Géographie urbaine | Urban geography
Géographie rurale | Rural geography
Géographie de la population | Population geography
Géographie économique | Economic geography
Géographie de la France | Geography of France
Géographie de l’Europe | Geography of Europe
Géographie des mondes tropicaux | Geography of the tropics
Systèmes d’information géographique | Geographic information systems
Télédétection | Remote sensing
Aménagement du territoire | Spatial planning
Urbanisme | Urban planning
Géographie des risques | Geography of natural hazards
Géographie sociale | Social geography
Géographie culturelle | Cultural geography
Géopolitique des territoires | Territorial geopolitics
Géographie du tourisme | Tourism geography
Géographie des transports | Transport geography
Environnement et développement durable | Environment and sustainable development
Statistiques pour géographes | Statistics for geographers
Analyse spatiale | Spatial analysis
Terrain et enquête en géographie | Fieldwork in geography
Paysages et patrimoine | Landscapes and heritage
Géographie de la santé | Health geography
Mobilités et migrations | Mobility and migration
Gouvernance territoriale | Territorial governance
Projet urbain | Urban design project
Politique de la ville | Urban policy
Géographie des montagnes | Mountain geography
Littoraux et mers | Coasts and seas
Ville durable | Sustainable cities
Géographie de l’alimentation | Food geography
Changement climatique et territoires | Climate change and territories`;

const socio = `
Introduction à la sociologie | Introduction to sociology
Histoire de la pensée sociologique | History of sociological thought
Méthodes qualitatives | Qualitative methods
Méthodes quantitatives | Quantitative methods
Sociologie de la famille | Sociology of the family
Sociologie de l’éducation | Sociology of education
Sociologie du travail | Sociology of work
Sociologie urbaine | Urban sociology
Sociologie des religions | Sociology of religion
Sociologie de la culture | Sociology of culture
Sociologie du genre | Sociology of gender
Sociologie des migrations | Sociology of migration
Sociologie de la santé | Sociology of health
Sociologie économique | Economic sociology
Sociologie de la déviance | Sociology of deviance
Stratification et inégalités sociales | Social stratification and inequality
Démographie | Demography
Anthropologie sociale et culturelle | Social and cultural anthropology
Sociologie des organisations | Sociology of organisations
Sociologie politique | Political sociology
Sociologie du corps | Sociology of the body
Sociologie des sciences et des techniques | Sociology of science and technology
Sociologie de la jeunesse | Sociology of youth
Sociologie du vieillissement | Sociology of ageing
Sociologie des médias | Sociology of the media
Sociologie de l’environnement | Environmental sociology
Sociologie du numérique | Digital sociology
Sociologie de l’art | Sociology of art
Sociologie de l’alimentation | Sociology of food
Sociologie des professions | Sociology of professions
Enquête par questionnaire | Survey research
Entretien sociologique | Sociological interviewing
Ethnographie | Ethnography
Analyse des réseaux sociaux | Social network analysis
Statistique appliquée aux sciences sociales | Applied statistics for the social sciences
Politiques sociales et État-providence | Social policy and the welfare state
Sociologie de l’intervention sociale | Sociology of social work
Sociologie des classes populaires | Sociology of the working class
Théories sociologiques contemporaines | Contemporary sociological theory
Sociologie des risques | Sociology of risk`;

const psycho = `
Introduction à la psychologie | Introduction to psychology
Psychologie cognitive | Cognitive psychology
Psychologie du développement | Developmental psychology
Psychologie sociale | Social psychology
Psychologie clinique | Clinical psychology
Psychopathologie | Psychopathology
Neurosciences cognitives | Cognitive neuroscience
Psychophysiologie | Psychophysiology
Statistiques pour la psychologie | Statistics for psychology
Méthodologie expérimentale | Experimental methods
Histoire de la psychologie | History of psychology
Psychologie différentielle | Differential psychology
Psychologie de la personnalité | Personality psychology
Psychologie du travail et des organisations | Work and organisational psychology
Psychologie de l’éducation | Educational psychology
Psychologie de la santé | Health psychology
Neuropsychologie | Neuropsychology
Psychologie de l’enfant et de l’adolescent | Child and adolescent psychology
Psychologie du vieillissement | Psychology of ageing
Psychologie interculturelle | Cross-cultural psychology
Psycholinguistique | Psycholinguistics
Perception et attention | Perception and attention
Mémoire et apprentissage | Memory and learning
Émotions et motivation | Emotion and motivation
Psychométrie | Psychometrics
Entretien clinique | Clinical interviewing
Psychologie des groupes | Group psychology
Psychologie environnementale | Environmental psychology
Ergonomie cognitive | Cognitive ergonomics
Thérapies cognitives et comportementales | Cognitive behavioural therapies
Approche psychanalytique | Psychoanalytic approaches
Psychologie du handicap | Psychology of disability
Psychologie légale | Forensic psychology
Troubles du neurodéveloppement | Neurodevelopmental disorders
Psychologie des addictions | Psychology of addiction
Psychologie positive | Positive psychology
Éthique et déontologie du psychologue | Professional ethics for psychologists
Évaluation psychologique | Psychological assessment
Psychologie du sport | Sport psychology
Analyse de données en psychologie | Data analysis in psychology`;

const philo = `
Introduction à la philosophie | Introduction to philosophy
Philosophie antique | Ancient philosophy
Philosophie médiévale | Medieval philosophy
Philosophie moderne | Early modern philosophy
Philosophie contemporaine | Contemporary philosophy
Logique | Logic
Philosophie morale | Moral philosophy
Philosophie politique | Political philosophy
Métaphysique | Metaphysics
Théorie de la connaissance | Epistemology
Philosophie des sciences | Philosophy of science
Esthétique | Aesthetics
Philosophie du langage | Philosophy of language
Philosophie de l’esprit | Philosophy of mind
Phénoménologie | Phenomenology
Philosophie allemande | German philosophy
Philosophie analytique | Analytic philosophy
Éthique appliquée | Applied ethics
Bioéthique | Bioethics
Philosophie de l’environnement | Environmental philosophy
Philosophie sociale | Social philosophy
Philosophie du droit | Philosophy of law
Histoire de la philosophie | History of philosophy
Lectures de Platon | Reading Plato
Lectures d’Aristote | Reading Aristotle
Descartes et le cartésianisme | Descartes and Cartesianism
Spinoza et Leibniz | Spinoza and Leibniz
La philosophie critique de Kant | Kant’s critical philosophy
Hegel et l’idéalisme allemand | Hegel and German idealism
Nietzsche et la critique de la morale | Nietzsche and the critique of morality
Philosophie de la technique | Philosophy of technology
Philosophie de la religion | Philosophy of religion
Philosophie des mathématiques | Philosophy of mathematics
Philosophie féministe | Feminist philosophy
Lecture de textes philosophiques | Reading philosophical texts`;

const math = `
Fondamentaux des mathématiques | Foundations of mathematics
Algèbre linéaire | Linear algebra
Analyse réelle | Real analysis
Calcul différentiel | Differential calculus
Suites et séries | Sequences and series
Arithmétique | Elementary number theory
Algèbre générale | Abstract algebra
Probabilités | Probability
Statistique | Statistics
Calcul intégral | Integral calculus
Intégration et mesure | Measure and integration
Topologie | Topology
Équations différentielles | Differential equations
Analyse numérique | Numerical analysis
Analyse complexe | Complex analysis
Géométrie | Geometry
Optimisation | Optimisation
Recherche opérationnelle | Operations research
Théorie des groupes | Group theory
Analyse fonctionnelle | Functional analysis
Équations aux dérivées partielles | Partial differential equations
Processus stochastiques | Stochastic processes
Statistique inférentielle | Statistical inference
Modélisation statistique | Statistical modelling
Apprentissage statistique | Statistical learning
Analyse de Fourier | Fourier analysis
Géométrie différentielle | Differential geometry
Théorie analytique des nombres | Analytic number theory
Algèbre commutative | Commutative algebra
Calcul scientifique | Scientific computing
Méthodes numériques pour les EDP | Numerical methods for PDEs
Cryptographie | Cryptography
Théorie des graphes | Graph theory
Combinatoire | Combinatorics
Logique mathématique | Mathematical logic
Mathématiques financières | Financial mathematics
Calcul stochastique | Stochastic calculus
Séries chronologiques | Time series
Statistique bayésienne | Bayesian statistics
Analyse de données | Data analysis
Modélisation mathématique | Mathematical modelling
Systèmes dynamiques | Dynamical systems
Théorie du contrôle | Control theory
Géométrie algébrique | Algebraic geometry
Théorie de l’information | Information theory
Histoire des mathématiques | History of mathematics
Mathématiques pour l’enseignement | Mathematics for teaching
Programmation scientifique en Python | Scientific programming in Python
Statistique non paramétrique | Non-parametric statistics
Optimisation convexe | Convex optimisation`;

const cs = `
Introduction à la programmation | Introduction to programming
Algorithmique | Algorithms
Architecture des ordinateurs | Computer architecture
Systèmes d’exploitation | Operating systems
Bases de données | Databases
Programmation orientée objet | Object-oriented programming
Structures de données | Data structures
Réseaux informatiques | Computer networks
Développement web | Web development
Génie logiciel | Software engineering
Mathématiques discrètes | Discrete mathematics
Logique pour l’informatique | Logic for computer science
Programmation fonctionnelle | Functional programming
Langages formels et automates | Formal languages and automata
Compilation | Compilers
Théorie de la complexité | Computational complexity
Calculabilité | Computability
Intelligence artificielle | Artificial intelligence
Apprentissage automatique | Machine learning
Apprentissage profond | Deep learning
Traitement automatique des langues | Natural language processing
Vision par ordinateur | Computer vision
Informatique graphique | Computer graphics
Interaction humain-machine | Human-computer interaction
Sécurité informatique | Computer security
Cryptographie appliquée | Applied cryptography
Systèmes distribués | Distributed systems
Programmation parallèle | Parallel programming
Informatique en nuage | Cloud computing
Administration système | System administration
Programmation système | Systems programming
Développement mobile | Mobile development
Tests et qualité logicielle | Software testing and quality
Méthodes agiles | Agile methods
Conception de logiciels | Software design
Ingénierie des données | Data engineering
Entrepôts de données | Data warehousing
Fouille de données | Data mining
Recherche d’information | Information retrieval
Web sémantique | Semantic web
Chaînes de blocs et registres distribués | Blockchain and distributed ledgers
Internet des objets | Internet of things
Systèmes embarqués | Embedded systems
Robotique | Robotics
Programmation par contraintes | Constraint programming
Vérification formelle | Formal verification
Sémantique des langages de programmation | Programming language semantics
Bio-informatique | Bioinformatics
Réseaux avancés | Advanced networking
Virtualisation et conteneurs | Virtualisation and containers
DevOps et intégration continue | DevOps and continuous integration
Données massives | Big data
Visualisation de données | Data visualisation
Éthique du numérique | Digital ethics
Architecture des applications web | Web application architecture
Programmation en C | C programming
Programmation en Java | Java programming
Programmation en Python | Python programming
Théorie des langages | Language theory
Algorithmique avancée | Advanced algorithms`;

const physics = `
Mécanique du point | Point mechanics
Optique géométrique | Geometrical optics
Électrocinétique | Electric circuits
Thermodynamique | Thermodynamics
Électromagnétisme | Electromagnetism
Ondes et vibrations | Waves and oscillations
Mécanique du solide | Rigid body mechanics
Optique ondulatoire | Wave optics
Mécanique quantique | Quantum mechanics
Physique statistique | Statistical physics
Relativité restreinte | Special relativity
Mécanique des fluides | Fluid mechanics
Physique atomique et moléculaire | Atomic and molecular physics
Physique nucléaire | Nuclear physics
Physique des particules | Particle physics
Physique du solide | Solid state physics
Physique des matériaux | Materials physics
Astrophysique | Astrophysics
Cosmologie | Cosmology
Physique des lasers | Laser physics
Optique non linéaire | Nonlinear optics
Méthodes mathématiques pour la physique | Mathematical methods for physics
Physique numérique | Computational physics
Électronique analogique | Analogue electronics
Instrumentation et mesures | Instrumentation and measurement
Physique des semi-conducteurs | Semiconductor physics
Mécanique analytique | Analytical mechanics
Physique des plasmas | Plasma physics
Acoustique | Acoustics
Physique de l’atmosphère | Atmospheric physics
Énergie et environnement | Energy and the environment
Physique médicale | Medical physics
Nanosciences | Nanoscience
Matière molle | Soft matter
Supraconductivité et magnétisme | Superconductivity and magnetism
Théorie quantique des champs | Quantum field theory
Relativité générale | General relativity
Physique expérimentale | Experimental physics
Traitement du signal | Signal processing
Capteurs et détecteurs | Sensors and detectors
Spectroscopie | Spectroscopy
Photonique | Photonics
Information quantique | Quantum information
Physique des surfaces | Surface physics
Histoire de la physique | History of physics`;

const chem = `
Chimie générale | General chemistry
Atomistique et liaison chimique | Atomic structure and chemical bonding
Thermodynamique chimique | Chemical thermodynamics
Cinétique chimique | Chemical kinetics
Chimie des solutions | Solution chemistry
Chimie organique | Organic chemistry
Chimie inorganique | Inorganic chemistry
Chimie analytique | Analytical chemistry
Spectroscopie moléculaire | Molecular spectroscopy
Chimie physique | Physical chemistry
Électrochimie | Electrochemistry
Chimie de coordination | Coordination chemistry
Stéréochimie | Stereochemistry
Chimie des polymères | Polymer chemistry
Chimie quantique | Quantum chemistry
Chimie théorique et modélisation | Theoretical chemistry and modelling
Chromatographie | Chromatography
Résonance magnétique nucléaire | Nuclear magnetic resonance
Spectrométrie de masse | Mass spectrometry
Chimie des matériaux | Materials chemistry
Chimie du solide | Solid state chemistry
Catalyse | Catalysis
Chimie verte | Green chemistry
Chimie de l’environnement | Environmental chemistry
Chimie des hétérocycles | Heterocyclic chemistry
Synthèse organique | Organic synthesis
Chimie organométallique | Organometallic chemistry
Chimie supramoléculaire | Supramolecular chemistry
Chimie médicinale | Medicinal chemistry
Biochimie structurale | Structural biochemistry
Chimie des surfaces et interfaces | Surface and interface chemistry
Génie chimique | Chemical engineering
Cristallographie | Crystallography
Radiochimie | Radiochemistry
Chimie des produits naturels | Natural products chemistry
Sécurité au laboratoire | Laboratory safety
Contrôle qualité et analyse | Quality control and analysis
Chimie industrielle | Industrial chemistry
Nanochimie | Nanochemistry
Photochimie | Photochemistry
Chimie des colloïdes | Colloid chemistry
Chimie bio-inorganique | Bioinorganic chemistry
Chimie analytique instrumentale | Instrumental analytical chemistry
Formulation | Formulation science
Matériaux pour l’énergie | Materials for energy`;

const bio = `
Biologie cellulaire | Cell biology
Biologie animale | Animal biology
Biologie végétale | Plant biology
Biochimie | Biochemistry
Génétique | Genetics
Biologie moléculaire | Molecular biology
Microbiologie | Microbiology
Physiologie animale | Animal physiology
Physiologie végétale | Plant physiology
Écologie | Ecology
Évolution | Evolution
Immunologie | Immunology
Biologie du développement | Developmental biology
Neurobiologie | Neurobiology
Endocrinologie | Endocrinology
Enzymologie | Enzymology
Génétique des populations | Population genetics
Génomique | Genomics
Bio-informatique | Bioinformatics
Biostatistique | Biostatistics
Virologie | Virology
Parasitologie | Parasitology
Écologie microbienne | Microbial ecology
Écologie des populations | Population ecology
Écologie des communautés | Community ecology
Biologie de la conservation | Conservation biology
Éthologie | Animal behaviour
Zoologie | Zoology
Botanique | Botany
Mycologie | Mycology
Biotechnologies | Biotechnology
Biologie structurale | Structural biology
Épigénétique | Epigenetics
Biologie des cellules souches | Stem cell biology
Cancérologie | Cancer biology
Pharmacologie | Pharmacology
Toxicologie | Toxicology
Nutrition | Nutrition
Biologie marine | Marine biology
Hydrobiologie | Freshwater biology
Agronomie | Agronomy
Amélioration des plantes | Plant breeding
Biologie de la reproduction | Reproductive biology
Physiologie humaine | Human physiology
Histologie | Histology
Anatomie comparée | Comparative anatomy
Paléontologie | Palaeontology
Systématique et phylogénie | Systematics and phylogeny
Biologie des interactions | Biology of interactions
Écotoxicologie | Ecotoxicology
Techniques de laboratoire en biologie | Laboratory techniques in biology
Imagerie cellulaire | Cell imaging
Biologie des systèmes | Systems biology
Protéomique | Proteomics
Biologie du vieillissement | Biology of ageing`;

const earth = `
Géologie générale | General geology
Minéralogie | Mineralogy
Pétrologie | Petrology
Stratigraphie | Stratigraphy
Sédimentologie | Sedimentology
Tectonique | Tectonics
Géophysique | Geophysics
Géochimie | Geochemistry
Paléontologie | Palaeontology
Cartographie géologique | Geological mapping
Hydrogéologie | Hydrogeology
Volcanologie | Volcanology
Sismologie | Seismology
Géologie structurale | Structural geology
Géodynamique | Geodynamics
Océanographie | Oceanography
Climats et paléoclimats | Climates and palaeoclimates
Géomorphologie | Geomorphology
Ressources minérales | Mineral resources
Géologie de l’ingénieur | Engineering geology
Risques naturels | Natural hazards
Géologie des réservoirs | Reservoir geology
Géothermie | Geothermal energy
Pédologie | Soil science
Télédétection et SIG | Remote sensing and GIS
Planétologie | Planetary science
Géochronologie | Geochronology
Sciences de l’environnement | Environmental science
Gestion des ressources en eau | Water resource management
Stage de terrain en géologie | Geology field course
Pétrographie microscopique | Microscope petrography
Géostatistique | Geostatistics
Dynamique du climat | Climate dynamics
Glaciologie | Glaciology
Géologie régionale | Regional geology`;

const med = `
Anatomie | Anatomy
Histologie et embryologie | Histology and embryology
Physiologie | Physiology
Biochimie médicale | Medical biochemistry
Biophysique | Biophysics
Génétique médicale | Medical genetics
Sémiologie médicale | Clinical semiology
Immunologie | Immunology
Bactériologie | Bacteriology
Virologie | Virology
Parasitologie et mycologie | Parasitology and mycology
Pharmacologie | Pharmacology
Anatomie pathologique | Pathology
Appareil cardiovasculaire | Cardiovascular system
Appareil respiratoire | Respiratory system
Appareil digestif | Digestive system
Appareil locomoteur | Musculoskeletal system
Système nerveux | Nervous system
Rein et voies urinaires | Kidney and urinary tract
Hormonologie et reproduction | Hormones and reproduction
Cardiologie | Cardiology
Pneumologie | Pulmonology
Gastro-entérologie | Gastroenterology
Néphrologie | Nephrology
Neurologie | Neurology
Endocrinologie | Endocrinology
Dermatologie | Dermatology
Rhumatologie | Rheumatology
Hématologie | Haematology
Oncologie | Oncology
Maladies infectieuses | Infectious diseases
Pédiatrie | Paediatrics
Gynécologie-obstétrique | Obstetrics and gynaecology
Psychiatrie | Psychiatry
Gériatrie | Geriatrics
Médecine d’urgence | Emergency medicine
Anesthésie-réanimation | Anaesthesia and intensive care
Chirurgie générale | General surgery
Orthopédie et traumatologie | Orthopaedics and traumatology
Ophtalmologie | Ophthalmology
Oto-rhino-laryngologie | Otorhinolaryngology
Urologie | Urology
Médecine générale | General practice
Santé publique | Public health
Épidémiologie | Epidemiology
Médecine légale | Forensic medicine
Imagerie médicale | Medical imaging
Radiologie | Radiology
Thérapeutique | Therapeutics
Médecine interne | Internal medicine
Soins palliatifs | Palliative care
Éthique médicale | Medical ethics
Santé environnementale | Environmental health
Nutrition clinique | Clinical nutrition
Médecine de la douleur | Pain medicine
Addictologie | Addiction medicine
Lecture critique d’articles médicaux | Critical appraisal of medical literature
Médecine du travail | Occupational medicine
Santé mondiale | Global health
Simulation en santé | Healthcare simulation`;

const pharma = `
Chimie pharmaceutique | Pharmaceutical chemistry
Pharmacognosie | Pharmacognosy
Pharmacie galénique | Pharmaceutics
Pharmacologie générale | General pharmacology
Pharmacocinétique | Pharmacokinetics
Toxicologie | Toxicology
Biochimie | Biochemistry
Physiologie | Physiology
Microbiologie | Microbiology
Immunologie | Immunology
Hématologie | Haematology
Parasitologie | Parasitology
Botanique pharmaceutique | Pharmaceutical botany
Chimie analytique | Analytical chemistry
Biophysique | Biophysics
Biostatistique | Biostatistics
Sciences végétales et fongiques | Plant and fungal sciences
Sémiologie | Semiology
Pharmacie clinique | Clinical pharmacy
Pharmacie hospitalière | Hospital pharmacy
Pharmacie d’officine | Community pharmacy
Biologie clinique | Clinical biology
Thérapeutique | Therapeutics
Cancérologie et chimiothérapie | Oncology and chemotherapy
Médicaments anti-infectieux | Anti-infective drugs
Médicaments du système nerveux | Drugs of the nervous system
Médicaments cardiovasculaires | Cardiovascular drugs
Biotechnologies pharmaceutiques | Pharmaceutical biotechnology
Conception de médicaments | Drug design
Développement du médicament | Drug development
Affaires réglementaires | Regulatory affairs
Assurance qualité pharmaceutique | Pharmaceutical quality assurance
Pharmacovigilance | Pharmacovigilance
Économie de la santé | Health economics
Droit pharmaceutique | Pharmaceutical law
Dispositifs médicaux | Medical devices
Nutrition et diététique | Nutrition and dietetics
Phytothérapie | Phytotherapy
Cosmétologie | Cosmetic science
Vaccinologie | Vaccinology
Éducation thérapeutique du patient | Therapeutic patient education
Radiopharmacie | Radiopharmacy
Production industrielle des médicaments | Industrial drug manufacturing
Essais cliniques | Clinical trials
Santé publique et environnement | Public and environmental health`;

const visualarts = `
Pratique plastique | Studio practice
Dessin | Drawing
Peinture | Painting
Sculpture et volume | Sculpture and three-dimensional work
Photographie | Photography
Vidéo et image en mouvement | Video and moving image
Arts numériques | Digital arts
Installation et performance | Installation and performance
Gravure et estampe | Printmaking
Couleur et matière | Colour and materials
Esthétique des arts plastiques | Aesthetics of the visual arts
Théorie de l’art contemporain | Contemporary art theory
Histoire des arts du XXe siècle | Twentieth-century art history
Design graphique | Graphic design
Typographie | Typography
Illustration | Illustration
Bande dessinée | Comics
Image et récit | Image and narrative
Scénographie d’exposition | Exhibition design
Commissariat d’exposition | Curating
Médiation de l’art contemporain | Contemporary art mediation
Art et espace public | Art in public space
Céramique | Ceramics
Arts textiles | Textile arts
Infographie 3D | 3D computer graphics
Photographie documentaire | Documentary photography
Sémiologie de l’image | Semiotics of the image
Professionnalisation de l’artiste | Professional practice for artists
Écrire sur l’art | Writing about art
Atelier de création | Creative studio`;

const music = `
Formation musicale | Music theory and aural training
Harmonie | Harmony
Contrepoint | Counterpoint
Analyse musicale | Music analysis
Musique du Moyen Âge et de la Renaissance | Medieval and Renaissance music
Musique baroque | Baroque music
Musique classique et romantique | Classical and Romantic music
Musique du XXe siècle | Twentieth-century music
Musiques actuelles | Popular music studies
Histoire du jazz | History of jazz
Ethnomusicologie | Ethnomusicology
Pratique vocale et chorale | Vocal and choral practice
Pratique instrumentale collective | Ensemble playing
Direction de chœur | Choral conducting
Orchestration | Orchestration
Écriture musicale | Composition techniques
Informatique musicale | Computer music
Musique et image | Music and image
Acoustique musicale | Musical acoustics
Organologie | Organology
Sociologie de la musique | Sociology of music
Esthétique musicale | Musical aesthetics
L’opéra | Opera
Pédagogie musicale | Music education
Édition musicale | Music publishing
Musicothérapie | Music therapy
Prise de son et enregistrement | Sound engineering and recording
Médiation musicale | Music mediation
Paléographie musicale | Musical palaeography
Musiques du monde | World music`;

const cinema = `
Histoire du cinéma | Film history
Analyse filmique | Film analysis
Esthétique du cinéma | Film aesthetics
Théories du cinéma | Film theory
Cinéma muet | Silent cinema
Cinéma classique hollywoodien | Classical Hollywood cinema
La Nouvelle Vague | The French New Wave
Cinéma documentaire | Documentary film
Cinéma d’animation | Animation
Écriture de scénario | Screenwriting
Réalisation | Directing
Montage | Editing
Image et prise de vue | Cinematography
Prise de son et mixage | Sound recording and mixing
Production audiovisuelle | Audiovisual production
Économie du cinéma | Film economics
Histoire de la télévision | History of television
Séries télévisées | Television series
Cinémas d’Asie | Asian cinemas
Cinéma et histoire | Film and history
Genres cinématographiques | Film genres
Cinéma expérimental | Experimental film
Cinéma contemporain | Contemporary cinema
Critique de cinéma | Film criticism
Distribution et exploitation | Film distribution and exhibition
Patrimoine cinématographique et archives | Film heritage and archives
Image numérique et effets visuels | Digital imaging and visual effects
Jeu vidéo | Video games
Cinéma et genre | Film and gender
Réalisation documentaire | Documentary filmmaking`;

const theatre = `
Histoire du théâtre | Theatre history
Analyse du spectacle | Performance analysis
Dramaturgie | Dramaturgy
Jeu de l’acteur | Acting
Mise en scène | Directing for the stage
Scénographie | Scenography
Histoire de la danse | Dance history
Pratique de la danse | Dance practice
Théâtre antique | Ancient theatre
Théâtre du XVIIe siècle | Seventeenth-century theatre
Théâtre contemporain | Contemporary theatre
Arts du cirque | Circus arts
Marionnette et théâtre d’objets | Puppetry and object theatre
Théâtre et société | Theatre and society
Écriture dramatique | Playwriting
Voix et diction | Voice and diction
Lumière et régie | Lighting and stage management
Administration du spectacle vivant | Performing arts administration
Politiques culturelles | Cultural policy
Théâtre et éducation | Theatre in education
Performance et arts vivants | Performance art
Théâtres du monde | World theatre
Esthétique théâtrale | Theatre aesthetics
Médiation du spectacle vivant | Performing arts mediation
Opéra et théâtre musical | Opera and music theatre`;

const sport = `
Anatomie fonctionnelle | Functional anatomy
Physiologie de l’exercice | Exercise physiology
Biomécanique du mouvement | Biomechanics of movement
Psychologie du sport | Sport psychology
Sociologie du sport | Sociology of sport
Histoire du sport | History of sport
Théorie de l’entraînement | Training theory
Méthodologie de l’entraînement | Training methodology
Préparation physique | Strength and conditioning
Apprentissage moteur | Motor learning
Contrôle moteur | Motor control
Didactique des activités physiques | Physical education teaching
Activité physique adaptée | Adapted physical activity
Activité physique et santé | Physical activity and health
Nutrition du sportif | Sports nutrition
Traumatologie du sport | Sports injuries
Management du sport | Sport management
Marketing du sport | Sport marketing
Économie du sport | Sport economics
Droit du sport | Sport law
Événementiel sportif | Sport event management
Sports collectifs : football | Team sports: football
Sports collectifs : handball | Team sports: handball
Sports collectifs : basket-ball | Team sports: basketball
Sports collectifs : rugby | Team sports: rugby
Sports collectifs : volley-ball | Team sports: volleyball
Athlétisme | Athletics
Natation | Swimming
Gymnastique | Gymnastics
Sports de raquette | Racket sports
Sports de combat | Combat sports
Escalade | Climbing
Activités physiques de pleine nature | Outdoor activities
Danse | Dance
Sauvetage aquatique | Lifesaving
Analyse vidéo de la performance | Video performance analysis
Statistiques appliquées au sport | Applied statistics for sport
Évaluation de la condition physique | Fitness assessment
Handicap et pratiques sportives | Disability and sport
Vieillissement et activité physique | Ageing and physical activity
Éducation à la santé | Health education
Politiques sportives | Sport policy
Éthique du sport et dopage | Sport ethics and doping
Ergonomie | Ergonomics
Réathlétisation | Return-to-sport training`;

const mech = `
Mécanique générale | General mechanics
Résistance des matériaux | Strength of materials
Mécanique des milieux continus | Continuum mechanics
Dessin technique et CAO | Technical drawing and CAD
Science des matériaux | Materials science
Transferts thermiques | Heat transfer
Mécanique des fluides | Fluid mechanics
Dynamique des structures | Structural dynamics
Méthode des éléments finis | Finite element method
Conception mécanique | Mechanical design
Procédés de fabrication | Manufacturing processes
Usinage et commande numérique | Machining and CNC
Métrologie | Metrology
Vibrations mécaniques | Mechanical vibrations
Énergétique | Energy engineering
Turbomachines | Turbomachinery
Moteurs à combustion | Combustion engines
Matériaux composites | Composite materials
Tribologie | Tribology
Fabrication additive | Additive manufacturing
Mécatronique | Mechatronics
Automatique | Control engineering
Robotique industrielle | Industrial robotics
Production industrielle et lean management | Industrial production and lean management
Maintenance industrielle | Industrial maintenance
Qualité et fiabilité | Quality and reliability
Rupture et fatigue des matériaux | Fracture and fatigue of materials
Aérodynamique | Aerodynamics
Acoustique industrielle | Industrial acoustics
Mécanique numérique | Computational mechanics
Biomécanique | Biomechanics
Éco-conception | Eco-design
Transferts thermiques avancés | Advanced heat transfer
Conception de systèmes mécaniques | Mechanical systems design
Simulation multiphysique | Multiphysics simulation
Propulsion | Propulsion
Gestion de production | Production management
Hydraulique et pneumatique | Hydraulics and pneumatics
Métallurgie | Metallurgy
Plasturgie | Plastics engineering`;

const elec = `
Électricité générale | Fundamentals of electricity
Électronique numérique | Digital electronics
Électronique analogique | Analogue electronics
Électrotechnique | Electrical engineering
Circuits électriques | Electric circuits
Signaux et systèmes | Signals and systems
Automatique linéaire | Linear control systems
Microcontrôleurs | Microcontrollers
Systèmes embarqués | Embedded systems
Électronique de puissance | Power electronics
Machines électriques | Electrical machines
Réseaux électriques | Power grids
Énergies renouvelables | Renewable energy
Capteurs et instrumentation | Sensors and instrumentation
Télécommunications | Telecommunications
Hyperfréquences et antennes | Microwaves and antennas
Réseaux industriels | Industrial networks
Automates programmables | Programmable logic controllers
Conception de circuits intégrés | Integrated circuit design
VHDL et FPGA | VHDL and FPGAs
Traitement numérique du signal | Digital signal processing
Traitement d’images | Image processing
Électromagnétisme appliqué | Applied electromagnetism
Compatibilité électromagnétique | Electromagnetic compatibility
Optoélectronique | Optoelectronics
Commande des machines électriques | Electric drives
Stockage de l’énergie | Energy storage
Réseaux électriques intelligents | Smart grids
Domotique | Home automation
Systèmes temps réel | Real-time systems
Communications numériques | Digital communications
Électronique pour l’Internet des objets | Electronics for the Internet of Things
Véhicule électrique | Electric vehicles
Habilitation électrique | Electrical safety certification
Automatique non linéaire | Nonlinear control
Identification des systèmes | System identification
Supervision industrielle | Industrial supervision (SCADA)
Radiofréquences | Radio frequency engineering
Photovoltaïque | Photovoltaics
Mesures électriques | Electrical measurements`;

const civil = `
Résistance des matériaux | Strength of materials
Matériaux de construction | Construction materials
Topographie | Surveying
Dessin de bâtiment | Architectural drawing
Mécanique des sols | Soil mechanics
Géotechnique | Geotechnical engineering
Béton armé | Reinforced concrete
Béton précontraint | Prestressed concrete
Constructions métalliques | Steel structures
Constructions en bois | Timber structures
Calcul des structures | Structural analysis
Eurocodes | Eurocodes
Hydraulique urbaine | Urban hydraulics
Voirie et réseaux divers | Roads and utilities
Ouvrages d’art | Bridge engineering
Thermique du bâtiment | Building thermal performance
Acoustique du bâtiment | Building acoustics
Énergétique du bâtiment | Building energy systems
BIM et maquette numérique | BIM and digital building models
Économie de la construction | Construction economics
Organisation de chantier | Site management
Métré et études de prix | Quantity surveying
Génie parasismique | Earthquake engineering
Routes et infrastructures de transport | Roads and transport infrastructure
Réhabilitation du bâti ancien | Rehabilitation of historic buildings
Construction durable | Sustainable construction
Travaux publics | Public works
Hydrologie urbaine | Urban hydrology
Géomatique | Geomatics
Fondations | Foundations
Dynamique des ouvrages | Dynamics of structures
Pathologie des ouvrages | Building defects and diagnosis
Sécurité incendie | Fire safety
Droit de la construction | Construction law
Gestion de projet de construction | Construction project management`;

const educ = `
Introduction aux sciences de l’éducation | Introduction to education sciences
Histoire de l’éducation | History of education
Philosophie de l’éducation | Philosophy of education
Psychologie des apprentissages | Psychology of learning
Sociologie de l’éducation | Sociology of education
Didactique du français | French language didactics
Didactique des mathématiques | Mathematics didactics
Didactique des sciences | Science didactics
Didactique de l’histoire-géographie | History and geography didactics
Enseignement des langues vivantes | Modern language teaching
Éducation physique et sportive à l’école | Physical education in schools
Éducation artistique et culturelle | Arts and cultural education
Gestion de classe | Classroom management
Évaluation des apprentissages | Assessment of learning
Différenciation pédagogique | Differentiated instruction
École inclusive et besoins éducatifs particuliers | Inclusive education and special needs
Numérique éducatif | Digital learning
Laïcité et valeurs de la République | Secularism and republican values
Éducation à la citoyenneté | Citizenship education
Développement de l’enfant | Child development
École maternelle et premiers apprentissages | Early childhood education
Lecture et écriture à l’école | Teaching reading and writing
Analyse de pratiques professionnelles | Reflective practice
Connaissance du système éducatif | The French education system
Relations école-familles | School–family relations
Éducation au développement durable | Education for sustainable development
Orientation scolaire | Educational guidance
Formation d’adultes | Adult education
Ingénierie pédagogique | Instructional design
Recherche en éducation | Educational research
Pédagogies alternatives | Alternative pedagogies
Climat scolaire et prévention du harcèlement | School climate and bullying prevention
Éducation comparée | Comparative education
Polyvalence à l’école primaire | Teaching across the primary curriculum
Enseignement moral et civique | Moral and civic education`;

const comm = `
Théories de l’information et de la communication | Information and communication theory
Sémiologie | Semiotics
Histoire des médias | Media history
Sociologie des médias | Media sociology
Écriture journalistique | News writing
Communication des organisations | Organisational communication
Relations publiques | Public relations
Communication numérique | Digital communication
Réseaux sociaux et animation de communautés | Social media management
Publicité | Advertising
Stratégies de communication | Communication strategy
Communication visuelle | Visual communication
Publication assistée par ordinateur | Desktop publishing
Conception web | Web design
Production audiovisuelle | Audiovisual production
Économie des médias | Media economics
Droit de la communication | Communication law
Communication politique | Political communication
Communication interculturelle | Intercultural communication
Veille informationnelle | Information monitoring
Gestion de l’information et documentation | Information management
Communication de crise | Crisis communication
Journalisme de données | Data journalism
Communication événementielle | Event communication
Techniques d’expression | Written and oral expression
Communication scientifique | Science communication
Marketing de contenu | Content marketing
Médias et société | Media and society
Radio | Radio production
Culture numérique | Digital culture`;

/** Transferable-skills courses every programme has. */
const skills = `
Méthodologie du travail universitaire | Study skills
Projet personnel et professionnel | Personal and professional project
Compétences numériques | Digital skills
Expression écrite et orale | Written and oral communication
Recherche documentaire | Information literacy
Insertion professionnelle | Career development
Culture générale | General knowledge
Statistiques appliquées | Applied statistics
Engagement étudiant | Student civic engagement
Éthique et intégrité scientifique | Research ethics and integrity
Méthodologie de la recherche | Research methodology
Gestion de projet collaboratif | Collaborative project management
Entrepreneuriat étudiant | Student entrepreneurship
Transition écologique et développement durable | Ecological transition and sustainability
Sport universitaire | University sport`;

/** Language courses open to every programme. */
const languages = `
Anglais – niveau B1 | English – B1 level | en
Anglais – niveau B2 | English – B2 level | en
Anglais – niveau C1 | English – C1 level | en
Espagnol – niveau A2 | Spanish – A2 level | es
Espagnol – niveau B1 | Spanish – B1 level | es
Allemand – niveau A2 | German – A2 level | de
Allemand – niveau B1 | German – B1 level | de
Italien – niveau A2 | Italian – A2 level | it
Italien – niveau B1 | Italian – B1 level | it
Portugais – débutant | Portuguese for beginners | pt
Chinois – débutant | Chinese for beginners | zh
Arabe – débutant | Arabic for beginners | ar
Français langue étrangère – niveau B1 | French as a foreign language – B1 level
Français langue étrangère – niveau B2 | French as a foreign language – B2 level`;

export const SUBJECTS = {
  law: parse(law), polsci: parse(polsci), econ: parse(econ), mgmt: parse(mgmt), lit: parse(lit), english: parse(english),
  spanish: parse(spanish), german: parse(german), italian: parse(italian), fle: parse(fle), history: parse(history),
  arthist: parse(arthist), geo: parse(geo), socio: parse(socio), psycho: parse(psycho), philo: parse(philo), math: parse(math),
  cs: parse(cs), physics: parse(physics), chem: parse(chem), bio: parse(bio), earth: parse(earth), med: parse(med),
  pharma: parse(pharma), visualarts: parse(visualarts), music: parse(music), cinema: parse(cinema), theatre: parse(theatre),
  sport: parse(sport), mech: parse(mech), elec: parse(elec), civil: parse(civil), educ: parse(educ), comm: parse(comm),
};

/** A discipline family: a list of subjects. */
export type FamilyKey = keyof typeof SUBJECTS;

export const SKILLS: Subject[] = parse(skills);
export const LANGUAGE_COURSES: Subject[] = parse(languages);
