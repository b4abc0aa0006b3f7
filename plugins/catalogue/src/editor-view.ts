/**
 * What the offer editor's views show: a formation's tree as outline nodes (WAI-ARIA tree: level,
 * position in the set), each with what a manager needs to see at a glance.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { CatalogueStore, TreeNode } from './store.js';
import { titleIn } from './rows.js';
import type { Formation, Semester } from './types.js';

/** One placement of an element in the outline. */
export interface OutlineNode {
  linkId: number;
  level: number;
  posinset: number;
  setsize: number;
  /** The placement above it (`null`: the top of the formation) and its element. */
  parentLinkId: number | null;
  parentElementId: number | null;
  /** Placed (or reordered) by hand: imports leave it where it is. */
  placedHere: boolean;
  element: {
    id: number;
    code: string;
    kind: string;
    /** In the page language (French when there is no English title). */
    title: string;
    titleFr: string;
    titleEn: string | null;
    ects: number | null;
    mobilityEcts: number | null;
    semester: Semester | null;
    open: boolean;
    inSource: boolean;
    version: number;
    /** Fields edited by hand (they survive imports). */
    localFields: string[];
  };
  /** Codes of the other formations the element sits in (empty: not shared). */
  sharedWith: string[];
  children: OutlineNode[];
}

/** For each element of a formation's tree, the codes of the other formations it sits in. */
async function otherFormations(knex: Knex, institutionId: number, formationId: number): Promise<Map<number, string[]>> {
  const rows = (await knex('catalogue_links as l')
    .join('catalogue_formations as f', 'f.id', 'l.formation_id')
    .where('l.institution_id', institutionId)
    .whereNot('l.formation_id', formationId)
    .whereIn('l.child_id', knex('catalogue_links').where({ institution_id: institutionId, formation_id: formationId }).select('child_id'))
    .groupBy('l.child_id')
    .select('l.child_id', knex.raw('array_agg(distinct f.code order by f.code) as codes'))) as { child_id: number; codes: string[] }[];
  return new Map(rows.map((r) => [r.child_id, r.codes]));
}

/** The outline of a formation in `lang`, and how many placements it has. */
export async function buildOutline(knex: Knex, store: CatalogueStore, institutionId: number, formation: Formation, lang: 'fr' | 'en'): Promise<{ nodes: OutlineNode[]; count: number; first: number | null }> {
  const tree = await store.tree(institutionId, formation.id);
  const shared = await otherFormations(knex, institutionId, formation.id);
  let count = 0;
  const convert = (nodes: TreeNode[], level: number, parent: TreeNode | null): OutlineNode[] =>
    nodes.map((n, i) => {
      count++;
      const e = n.element;
      return {
        linkId: n.linkId, level, posinset: i + 1, setsize: nodes.length,
        parentLinkId: parent?.linkId ?? null, parentElementId: parent?.element.id ?? null,
        placedHere: n.linkSource === 'local' && e.source !== 'local',
        element: {
          id: e.id, code: e.code, kind: e.kind, title: titleIn(lang, e.titleFr, e.titleEn), titleFr: e.titleFr, titleEn: e.titleEn,
          ects: e.ects, mobilityEcts: e.mobilityEcts, semester: e.semester, open: e.openToMobility, inSource: e.inSource, version: e.version,
          localFields: e.localFields,
        },
        sharedWith: shared.get(e.id) ?? [],
        children: convert(n.children, level + 1, n),
      };
    });
  const nodes = convert(tree, 1, null);
  return { nodes, count, first: nodes[0]?.linkId ?? null };
}

/** The node of `linkId` in an outline, if it is there. */
export function findNode(nodes: OutlineNode[], linkId: number | null): OutlineNode | null {
  if (linkId === null) return null;
  for (const n of nodes) {
    if (n.linkId === linkId) return n;
    const found = findNode(n.children, linkId);
    if (found) return found;
  }
  return null;
}
