/** The demo personas: one per kind of user the demo shows. */
export interface Persona {
  key: 'student' | 'manager' | 'referent' | 'admin';
  /** Role whose default permissions the persona holds. */
  role: string;
  name: string;
}

export const PERSONAS: readonly Persona[] = Object.freeze([
  { key: 'student', role: 'student', name: 'Sofia Rossi' },
  { key: 'manager', role: 'manager', name: 'Claire Martin' },
  { key: 'referent', role: 'referent', name: 'Jean Dupont' },
  { key: 'admin', role: 'admin', name: 'Nadia Benali' },
]);

export const personaByKey = (key: unknown) => PERSONAS.find((p) => p.key === key);
