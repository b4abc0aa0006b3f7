/** The demo personas: one per kind of user the demo shows. */
export interface Persona {
  key: 'student' | 'manager' | 'referent' | 'admin';
  /** The role the persona is given in the institution on first use. */
  role: string;
  name: string;
  email: string;
  /** What a federation would send about them at sign-in (role rules see it). */
  attributes: Record<string, string[]>;
}

export const PERSONAS: readonly Persona[] = Object.freeze([
  { key: 'student', role: 'student', name: 'Sofia Rossi', email: 'sofia.rossi@studenti.unibo.example', attributes: { eduPersonAffiliation: ['student'], schacHomeOrganization: ['unibo.example'], schacPersonalUniqueCode: ['urn:schac:personalUniqueCode:int:esi:it.unibo:0000123456'] } },
  { key: 'manager', role: 'manager', name: 'Claire Martin', email: 'claire.martin@demo.smile.example', attributes: { eduPersonAffiliation: ['staff', 'employee'] } },
  { key: 'referent', role: 'referent', name: 'Jean Dupont', email: 'jean.dupont@demo.smile.example', attributes: { eduPersonAffiliation: ['faculty', 'employee'] } },
  { key: 'admin', role: 'admin', name: 'Nadia Benali', email: 'nadia.benali@demo.smile.example', attributes: { eduPersonAffiliation: ['staff', 'employee'] } },
] as Persona[]);

export const personaByKey = (key: unknown) => PERSONAS.find((p) => p.key === key);
