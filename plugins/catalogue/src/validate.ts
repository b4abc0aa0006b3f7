/**
 * Checks on an import batch before anything is written: required fields, ranges, duplicate codes,
 * references to components, formations and parents (in the batch or already stored), cycles.
 * @packageDocumentation
 */
import type { Bilingual } from '@smile/sdk';
import { SEMESTERS, type CatalogueBatch, type RowError } from './types.js';

/** Codes already stored, that the batch may refer to. */
export interface KnownCodes {
  components: Set<string>;
  formations: Set<string>;
  elements: Set<string>;
}

const CODE = /^[^\s\u0000-\u001f]{1,64}$/;
const LANG = /^[a-z]{2,3}$/;
const ISCED = /^\d{2,4}$/;

const msg = (fr: string, en: string): Bilingual => ({ fr, en });

/** Every error of `batch`, in source order (file line when known). An empty list means it can be imported. */
export function validateBatch(batch: CatalogueBatch, known: KnownCodes): RowError[] {
  const errors: RowError[] = [];
  const add = (e: RowError) => errors.push(e);

  const checkCode = (entity: RowError['entity'], code: unknown, line?: number): code is string => {
    if (typeof code !== 'string' || code.trim() === '') {
      add({ entity, line, field: 'code', message: msg('le code est obligatoire', 'the code is required') });
      return false;
    }
    if (!CODE.test(code)) {
      add({ entity, line, code, field: 'code', message: msg('le code doit faire 1 à 64 caractères, sans espace', 'the code must be 1 to 64 characters, without spaces') });
      return false;
    }
    return true;
  };
  const checkDuplicates = (entity: RowError['entity'], rows: { code: string; line?: number }[]) => {
    const first = new Map<string, number | undefined>();
    for (const r of rows) {
      if (typeof r.code !== 'string') continue;
      if (first.has(r.code)) {
        const at = first.get(r.code);
        add({
          entity, line: r.line, code: r.code, field: 'code',
          message: at ? msg(`code « ${r.code} » en double (déjà ligne ${at})`, `duplicate code "${r.code}" (already on line ${at})`) : msg(`code « ${r.code} » en double`, `duplicate code "${r.code}"`),
        });
      } else first.set(r.code, r.line);
    }
  };
  const checkText = (entity: RowError['entity'], r: { code?: string; line?: number }, field: string, value: unknown, required: boolean, max: number) => {
    if (value === undefined || value === null || value === '') {
      if (required) add({ entity, line: r.line, code: r.code, field, message: msg(`le champ ${field} est obligatoire`, `${field} is required`) });
      return;
    }
    if (typeof value !== 'string') add({ entity, line: r.line, code: r.code, field, message: msg(`${field} doit être un texte`, `${field} must be text`) });
    else if (value.length > max) add({ entity, line: r.line, code: r.code, field, message: msg(`${field} dépasse ${max} caractères`, `${field} is longer than ${max} characters`) });
  };
  const checkNumber = (entity: RowError['entity'], r: { code?: string; line?: number }, field: string, value: unknown, min: number, max: number, integer = false) => {
    if (value === undefined || value === null) return;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      add({ entity, line: r.line, code: r.code, field, message: msg(`${field} doit être un nombre`, `${field} must be a number`) });
    } else if (value < min || value > max) {
      add({ entity, line: r.line, code: r.code, field, message: msg(`${field} doit être entre ${min} et ${max} (lu : ${value})`, `${field} must be between ${min} and ${max} (read: ${value})`) });
    } else if (integer && !Number.isInteger(value)) {
      add({ entity, line: r.line, code: r.code, field, message: msg(`${field} doit être un nombre entier`, `${field} must be a whole number`) });
    }
  };
  const checkLanguages = (entity: RowError['entity'], r: { code?: string; line?: number }, langs: unknown) => {
    if (langs === undefined) return;
    if (!Array.isArray(langs) || langs.some((l) => typeof l !== 'string' || !LANG.test(l))) {
      add({ entity, line: r.line, code: r.code, field: 'languages', message: msg('langues : des codes ISO 639-1 comme fr, en, es', 'languages: ISO 639-1 codes such as fr, en, es') });
    }
  };
  const checkIsced = (entity: RowError['entity'], r: { code?: string; line?: number }, isced: unknown) => {
    if (isced === undefined || isced === null || isced === '') return;
    if (typeof isced !== 'string' || !ISCED.test(isced)) add({ entity, line: r.line, code: r.code, field: 'isced', message: msg('code ISCED-F : 2 à 4 chiffres (0311)', 'ISCED-F code: 2 to 4 digits (0311)') });
  };

  const components = new Set(known.components);
  for (const c of batch.components) {
    if (!checkCode('component', c.code, c.line)) continue;
    checkText('component', c, 'nameFr', c.nameFr, true, 300);
    checkText('component', c, 'nameEn', c.nameEn, false, 300);
    checkText('component', c, 'acronym', c.acronym, false, 50);
    components.add(c.code);
  }
  checkDuplicates('component', batch.components);

  const componentRef = (entity: RowError['entity'], r: { code?: string; line?: number; componentCode?: string | null }) => {
    if (r.componentCode && !components.has(r.componentCode)) {
      add({ entity, line: r.line, code: r.code, field: 'componentCode', message: msg(`composante inconnue « ${r.componentCode} »`, `unknown component "${r.componentCode}"`) });
    }
  };

  const formations = new Set(known.formations);
  for (const f of batch.formations) {
    if (!checkCode('formation', f.code, f.line)) continue;
    checkText('formation', f, 'nameFr', f.nameFr, true, 300);
    checkText('formation', f, 'nameEn', f.nameEn, false, 300);
    checkText('formation', f, 'acronym', f.acronym, false, 50);
    checkNumber('formation', f, 'level', f.level, 0, 12, true);
    checkNumber('formation', f, 'eqf', f.eqf, 1, 8, true);
    checkLanguages('formation', f, f.languages);
    checkIsced('formation', f, f.isced);
    componentRef('formation', f);
    formations.add(f.code);
  }
  checkDuplicates('formation', batch.formations);

  const elements = new Set(known.elements);
  for (const e of batch.elements) {
    if (!checkCode('element', e.code, e.line)) continue;
    checkText('element', e, 'titleFr', e.titleFr, true, 300);
    checkText('element', e, 'titleEn', e.titleEn, false, 300);
    checkText('element', e, 'kind', e.kind, false, 30);
    checkNumber('element', e, 'ects', e.ects, 0, 120);
    checkNumber('element', e, 'mobilityEcts', e.mobilityEcts, 0, 120);
    checkNumber('element', e, 'hours', e.hours, 0, 10000);
    checkNumber('element', e, 'seats', e.seats, 0, 100000, true);
    checkNumber('element', e, 'level', e.level, 0, 12, true);
    checkLanguages('element', e, e.languages);
    checkIsced('element', e, e.isced);
    if (e.semester !== undefined && e.semester !== null && !SEMESTERS.includes(e.semester)) {
      add({ entity: 'element', line: e.line, code: e.code, field: 'semester', message: msg('semestre : S1, S2 ou annual', 'semester: S1, S2 or annual') });
    }
    componentRef('element', e);
    elements.add(e.code);
  }
  checkDuplicates('element', batch.elements);

  const seen = new Map<string, number | undefined>();
  const edges = new Map<string, Map<string, string[]>>(); // formation → parent → children
  for (const l of batch.links) {
    const where = { entity: 'link' as const, line: l.line, code: l.childCode };
    if (!l.formationCode || !formations.has(l.formationCode)) {
      add({ ...where, field: 'formationCode', message: msg(`formation inconnue « ${l.formationCode ?? ''} »`, `unknown formation "${l.formationCode ?? ''}"`) });
      continue;
    }
    if (!l.childCode || !elements.has(l.childCode)) {
      add({ ...where, field: 'childCode', message: msg(`élément inconnu « ${l.childCode ?? ''} »`, `unknown element "${l.childCode ?? ''}"`) });
      continue;
    }
    if (l.parentCode && !elements.has(l.parentCode)) {
      add({ ...where, field: 'parentCode', message: msg(`l’élément parent « ${l.parentCode} » n’existe pas`, `the parent element "${l.parentCode}" does not exist`) });
      continue;
    }
    if (l.parentCode === l.childCode) {
      add({ ...where, field: 'parentCode', message: msg('un élément ne peut pas être son propre parent', 'an element cannot be its own parent') });
      continue;
    }
    const key = `${l.formationCode}\u0000${l.parentCode ?? ''}\u0000${l.childCode}`;
    if (seen.has(key)) {
      add({ ...where, message: msg(`« ${l.childCode} » est déjà placé là dans « ${l.formationCode} »`, `"${l.childCode}" is already placed there in "${l.formationCode}"`) });
      continue;
    }
    seen.set(key, l.line);
    const byParent = edges.get(l.formationCode) ?? new Map<string, string[]>();
    edges.set(l.formationCode, byParent);
    const list = byParent.get(l.parentCode ?? '') ?? [];
    list.push(l.childCode);
    byParent.set(l.parentCode ?? '', list);
  }
  // a cycle (A under B under A) would make the tree endless
  for (const [formation, byParent] of edges) {
    const state = new Map<string, 1 | 2>();
    const visit = (node: string, path: string[]): string[] | null => {
      if (state.get(node) === 2) return null;
      if (state.get(node) === 1) return [...path, node];
      state.set(node, 1);
      for (const child of byParent.get(node) ?? []) {
        const cycle = visit(child, [...path, node]);
        if (cycle) return cycle;
      }
      state.set(node, 2);
      return null;
    };
    for (const parent of byParent.keys()) {
      if (!parent) continue;
      const cycle = visit(parent, []);
      if (cycle) {
        const text = cycle.slice(cycle.indexOf(cycle[cycle.length - 1]!)).join(' → ');
        add({ entity: 'link', code: parent, field: 'parentCode', message: msg(`boucle dans « ${formation} » : ${text}`, `loop in "${formation}": ${text}`) });
        break;
      }
    }
  }
  return errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
