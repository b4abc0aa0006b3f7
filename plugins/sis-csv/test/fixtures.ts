// Files as the seed system exports them (no platform needed to read them).

/** The seed system's components export. */
export const COMPONENTS = [
  'code;libelle;libelle_long;acronyme',
  'UFR-ECO;Économie et gestion;UFR d’économie et de gestion;ECOGES',
  'UFR-LET;Lettres;UFR des lettres, langues et civilisations;LLC',
].join('\r\n');

/** The seed system's formations export. */
export const FORMATIONS = [
  'code;libelle;acronyme;acronyme_type_diplome;niveau_etude;code_composante',
  'L3ECO;Licence 3 Économie;L3 ECO;LIC;3;UFR-ECO',
  'M1LET;Master 1 Lettres modernes;M1 LM;MAS;M1;UFR-LET',
].join('\r\n');

/** The seed system's courses export, `bad` replacing the ECTS of the second course. */
export function courses(ects2 = '4,5'): string {
  return [
    'code;libelle;langue;s1;s2;ects;vol_elp;ouvert_mobilite;code_formation;objectif;description',
    'ECO301;Économie internationale;Français;1;0;6;36;true;L3ECO;"Comprendre le commerce; les échanges";"Théories du commerce international,',
    'puis politiques commerciales."',
    `ECO302;Économie de l’environnement;Anglais;0;1;${ects2};24;true;L3ECO;;`,
    'ECO303;Histoire de la pensée économique;Français, Anglais;1;1;3;18;false;L3ECO;;',
    'LET410;Le roman européen;francais;1;0;5;30;oui;M1LET;;',
  ].join('\r\n');
}

/** `text` as a French Windows spreadsheet saves it: Windows-1252 bytes. */
export function cp1252(text: string): Buffer {
  const special: Record<string, number> = { '’': 0x92, '‘': 0x91, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, '€': 0x80, 'œ': 0x9c, 'Œ': 0x8c };
  return Buffer.from([...text].map((c) => special[c] ?? (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 0x3f)));
}
