/** Nomination files as partners and the seed system send them. */
export const SEED_HEADER = 'firstname;lastname;email;year;birthdate;esi;city;postalcode;street;numstreet;referent email;institution code';

/** Three nominations in the seed system's format; the third is the first one again (same ESI, other spelling). */
export const THREE = [
  SEED_HEADER,
  'Anna;Müller;anna.mueller@uni-heidelberg.de;2026-2027;14/03/2004;urn:schac:personalUniqueCode:int:esi:de:1111;Heidelberg;69117;Hauptstraße;12;referent@example.org;D  HEIDELB01',
  'João;Silva;joao.silva@ulisboa.pt;2026;01/02/2003;;Lisboa;1000-001;Rua Augusta;5;;uni-lisboa.pt',
  'ANNA;MULLER;a.mueller@other.example;2026;14/03/2004;URN:SCHAC:PERSONALUNIQUECODE:INT:ESI:DE:1111;;;;;;',
].join('\n');

/** The richer format: the seed columns and more. */
export const RICH = [
  'First_Name,Last Name,Email,Year,Birth date,ESI,City,Postal code,Street,Num street,Referent email,Institution code,Exchange type,Public,Nationality,Gender,Home name,Home country,Home SCHAC,Home Erasmus code,Planned start,Planned end,Component code,EQF,ISCED',
  'Marie-Claire,Dupont,mc.dupont@example.be,2026,2004-05-06,,Liège,4000,Rue Haute,3,,,second-semester,trainee,BE,F,Université de Liège,BE,uliege.be,B  LIEGE01,01/02/2027,30/06/2027,,7,0311',
].join('\n');
