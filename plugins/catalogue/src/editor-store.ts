/**
 * The offer editor's changes to a formation's tree: move a placement, add a child (a new element or
 * an existing one, which then becomes shared), remove a placement. Each runs in one transaction,
 * locks the formation's links, is filtered on the institution and audited. Placements the editor
 * creates or reorders get the source `local`: imports leave them where the manager put them.
 * Titles and opening to mobility are element fields: they go through `CatalogueStore.saveElement`.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import { ErrorCodes, SmileError, createServiceRef } from '@smile/sdk';
import type { AuditActor, AuditLog, Database, RequestContext } from '@smile/sdk';

type Actor = RequestContext<any, any, any> | AuditActor;

/** Why the editor refused a change; the routes turn it into a message in the page language. */
export type EditorRefusalReason =
  /** The placement is gone, or is no longer where the page showed it: the tree must be reloaded. */
  | 'stale'
  /** The new parent would be the element itself or one of its descendants. */
  | 'cycle'
  /** The element is already placed under that parent. */
  | 'alreadyThere'
  /** No element of that year has this code. */
  | 'unknownCode'
  /** A new element would take a code already used that year. */
  | 'codeExists'
  /** A field of a new element is invalid (`field` and `vars` say which and why). */
  | 'invalid';

/** A change the editor refuses, with what the message needs. */
export class EditorRefusal extends SmileError {
  constructor(
    readonly reason: EditorRefusalReason,
    readonly vars: Record<string, string | number> = {},
    readonly field: string | null = null,
    /** For `invalid`: the check that failed (`required`, `tooLong`, `format`, `range`). */
    readonly check: string | null = null,
  ) {
    super(reason === 'stale' ? ErrorCodes.CONFLICT : ErrorCodes.VALIDATION, `offer editor: ${reason}${field ? ` (${field})` : ''}`, {
      status: reason === 'stale' ? 409 : 422,
      key: field ?? undefined,
    });
  }
}

/** A new element typed in the editor. */
export interface NewElementInput {
  code: string;
  titleFr: string;
  titleEn?: string | null;
  kind?: string | null;
  ects?: number | null;
}

/** What to add under a parent: a new element, or an existing element of the same year by its code. */
export type ChildSpec = ({ mode: 'new' } & NewElementInput) | { mode: 'existing'; code: string };

/** One problem with a field of a new element or a title. */
export interface FieldProblem {
  field: 'code' | 'titleFr' | 'titleEn' | 'kind' | 'ects';
  check: 'required' | 'tooLong' | 'format' | 'range';
  vars?: Record<string, string | number>;
}

const CODE = /^[^\s\u0000-\u001f]{1,64}$/;

/** The problems of titles typed in the editor (French required, both at most 300 characters). */
export function checkTitles(titleFr: string, titleEn: string | null | undefined): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!titleFr) out.push({ field: 'titleFr', check: 'required' });
  else if (titleFr.length > 300) out.push({ field: 'titleFr', check: 'tooLong', vars: { max: 300 } });
  if (titleEn && titleEn.length > 300) out.push({ field: 'titleEn', check: 'tooLong', vars: { max: 300 } });
  return out;
}

/** The problems of a new element typed in the editor, field by field (empty: it can be created). */
export function checkNewElement(input: NewElementInput): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!input.code) out.push({ field: 'code', check: 'required' });
  else if (!CODE.test(input.code)) out.push({ field: 'code', check: 'format' });
  out.push(...checkTitles(input.titleFr, input.titleEn));
  if (input.kind && input.kind.length > 30) out.push({ field: 'kind', check: 'tooLong', vars: { max: 30 } });
  if (input.ects !== null && input.ects !== undefined && (!Number.isFinite(input.ects) || input.ects < 0 || input.ects > 120)) {
    out.push({ field: 'ects', check: 'range', vars: { min: 0, max: 120 } });
  }
  return out;
}

interface LinkRow {
  id: number;
  parent_id: number | null;
  child_id: number;
  position: number;
  source: string;
}

/** What a move did, for the message the editor announces. */
export interface MoveResult {
  linkId: number;
  code: string;
  /** Code of the new parent element (`null`: the top of the formation). */
  parentCode: string | null;
  /** 0-based place among its new siblings, and how many they are (itself included). */
  position: number;
  count: number;
  /** `false` when it already was there. */
  moved: boolean;
}

export interface AddResult {
  linkId: number;
  elementId: number;
  code: string;
  parentCode: string | null;
  /** `false` when an existing element was placed (it is now shared). */
  created: boolean;
}

export interface RemoveResult {
  code: string;
  /** Placements removed: the one asked for, and those under it that no longer hang anywhere in the formation. */
  removed: number;
  /** Where the focus goes next in the outline: the next sibling, else the previous one, else the parent. */
  nextLinkId: number | null;
}

const institutionOf = (a: Actor): number => ('koa' in a ? a.institution.id : a.institutionId!);

/** The offer editor's operations on a formation's tree. */
export class OfferEditor {
  constructor(private readonly deps: { db: Database; audit: AuditLog }) {}

  private get knex(): Knex {
    return this.deps.db.knex;
  }

  /** The formation (of this institution) and every link of its tree, locked until the transaction ends. */
  private async load(trx: Knex.Transaction, inst: number, formationId: number) {
    const formation = await trx('catalogue_formations').where({ institution_id: inst, id: formationId }).first('id', 'year', 'code', 'component_id');
    if (!formation) throw new SmileError(ErrorCodes.NOT_FOUND, 'formation not found', { status: 404 });
    const links = (await trx('catalogue_links')
      .where({ institution_id: inst, formation_id: formationId })
      .orderBy([{ column: 'position' }, { column: 'id' }])
      .forUpdate()
      .select('id', 'parent_id', 'child_id', 'position', 'source')) as LinkRow[];
    return { formation, links };
  }

  private async codeOf(trx: Knex.Transaction, inst: number, elementId: number | null): Promise<string | null> {
    if (elementId === null) return null;
    return ((await trx('catalogue_elements').where({ institution_id: inst, id: elementId }).first('code')) as { code: string } | undefined)?.code ?? null;
  }

  /**
   * Move a placement under another one (`newParentLinkId`, or `null` for the top of the formation),
   * at `position` among its new siblings (0-based, clamped; `null`: last). `expectParent` is the
   * parent element the page showed (`null`: the top): when it changed meanwhile, or when either
   * placement is gone, the move is refused as stale. Moving an element under itself or one of its
   * descendants is refused (`cycle`).
   */
  async moveLink(actor: Actor, formationId: number, linkId: number, newParentLinkId: number | null, position: number | null, expectParent?: number | null): Promise<MoveResult> {
    const inst = institutionOf(actor);
    return this.knex.transaction(async (trx) => {
      const { formation, links } = await this.load(trx, inst, formationId);
      const link = links.find((l) => l.id === linkId);
      if (!link || (expectParent !== undefined && link.parent_id !== expectParent)) throw new EditorRefusal('stale');
      let parent: number | null = null;
      if (newParentLinkId !== null) {
        const p = links.find((l) => l.id === newParentLinkId);
        if (!p) throw new EditorRefusal('stale');
        parent = p.child_id;
      }
      const code = (await this.codeOf(trx, inst, link.child_id))!;
      const parentCode = await this.codeOf(trx, inst, parent);
      if (parent !== null && (parent === link.child_id || descendants(links, link.child_id).has(parent))) {
        throw new EditorRefusal('cycle', { code, parent: parentCode! });
      }
      if (parent !== link.parent_id && links.some((l) => l.parent_id === parent && l.child_id === link.child_id)) {
        throw new EditorRefusal('alreadyThere', { code, parent: parentCode ?? formation.code });
      }
      const siblings = links.filter((l) => l.parent_id === parent && l.id !== link.id);
      const at = position === null ? siblings.length : Math.max(0, Math.min(siblings.length, Math.trunc(position)));
      if (parent === link.parent_id && links.filter((l) => l.parent_id === parent).indexOf(link) === at) {
        return { linkId: link.id, code, parentCode, position: at, count: siblings.length + 1, moved: false };
      }
      const from = { parent: link.parent_id, position: link.position };
      // the old list closes the gap (imported siblings keep their source order)
      if (link.parent_id !== parent) await renumber(trx, links.filter((l) => l.parent_id === link.parent_id && l.id !== link.id), false);
      siblings.splice(at, 0, link);
      // the new list is the manager's order now: its reordered placements become local too
      await trx('catalogue_links').where({ id: link.id }).update({ parent_id: parent, position: at, source: 'local' });
      link.parent_id = parent;
      link.position = at;
      link.source = 'local';
      await renumber(trx, siblings, true);
      await this.deps.audit.record(actor, {
        action: 'catalogue.link.move', targetType: 'catalogue_link', targetId: link.id,
        before: { parent: from.parent, position: from.position }, after: { parent, position: at },
        detail: { formation: formation.code, year: formation.year, element: code, parent: parentCode },
      }, { trx });
      return { linkId: link.id, code, parentCode, position: at, count: siblings.length, moved: true };
    });
  }

  /**
   * Place a child under `parentLinkId` (`null`: at the top of the formation), at `position`
   * (0-based; `null`: last): a new element of the formation's year (created with the source
   * `local`, in the formation's component), or an existing one by its code, which then sits in
   * several places without being copied.
   */
  async addChild(actor: Actor, formationId: number, parentLinkId: number | null, spec: ChildSpec, position: number | null = null): Promise<AddResult> {
    const inst = institutionOf(actor);
    return this.knex.transaction(async (trx) => {
      const { formation, links } = await this.load(trx, inst, formationId);
      let parent: number | null = null;
      if (parentLinkId !== null) {
        const p = links.find((l) => l.id === parentLinkId);
        if (!p) throw new EditorRefusal('stale');
        parent = p.child_id;
      }
      const parentCode = await this.codeOf(trx, inst, parent);
      const code = spec.code.trim();
      const existing = (await trx('catalogue_elements').where({ institution_id: inst, year: formation.year, code }).first('id')) as { id: number } | undefined;
      let elementId: number;
      let created = false;
      if (spec.mode === 'existing') {
        if (!code) throw new EditorRefusal('invalid', {}, 'code', 'required');
        if (!existing) throw new EditorRefusal('unknownCode', { code }, 'code');
        elementId = existing.id;
        if (parent !== null && (parent === elementId || descendants(links, elementId).has(parent))) {
          throw new EditorRefusal('cycle', { code, parent: parentCode! }, 'code');
        }
        if (links.some((l) => l.parent_id === parent && l.child_id === elementId)) {
          throw new EditorRefusal('alreadyThere', { code, parent: parentCode ?? formation.code }, 'code');
        }
      } else {
        const input = { ...spec, code };
        const problem = checkNewElement(input)[0];
        if (problem) throw new EditorRefusal('invalid', problem.vars ?? {}, problem.field, problem.check);
        if (existing) throw new EditorRefusal('codeExists', { code }, 'code');
        const [row] = await trx('catalogue_elements')
          .insert({
            institution_id: inst, year: formation.year, code, kind: input.kind || 'EC', title_fr: input.titleFr, title_en: input.titleEn || null,
            ects: input.ects ?? null, component_id: formation.component_id, source: 'local',
          })
          .returning('id');
        elementId = (row as { id: number }).id;
        created = true;
        await trx('catalogue_years').insert({ institution_id: inst, year: formation.year }).onConflict(['institution_id', 'year']).ignore();
        await this.deps.audit.record(actor, {
          action: 'catalogue.element.create', targetType: 'catalogue_element', targetId: elementId,
          detail: { code, year: formation.year, via: 'editor' }, after: { code, titleFr: input.titleFr, titleEn: input.titleEn || null, kind: input.kind || 'EC', ects: input.ects ?? null },
        }, { trx });
      }
      const siblings = links.filter((l) => l.parent_id === parent);
      const at = position === null ? siblings.length : Math.max(0, Math.min(siblings.length, Math.trunc(position)));
      const [row] = await trx('catalogue_links')
        .insert({ institution_id: inst, year: formation.year, formation_id: formation.id, parent_id: parent, child_id: elementId, position: at, source: 'local' })
        .returning(['id', 'parent_id', 'child_id', 'position', 'source']);
      const link = row as LinkRow;
      // placed here again by hand: an earlier removal no longer holds
      await trx('catalogue_link_removals').where({ institution_id: inst, formation_id: formation.id, parent_id: parent, child_id: elementId }).delete();
      if (at < siblings.length) {
        siblings.splice(at, 0, link);
        await renumber(trx, siblings, true);
      }
      await this.deps.audit.record(actor, {
        action: 'catalogue.link.create', targetType: 'catalogue_link', targetId: link.id,
        detail: { formation: formation.code, year: formation.year, element: code, parent: parentCode, position: at, shared: !created },
      }, { trx });
      return { linkId: link.id, elementId, code, parentCode, created };
    });
  }

  /**
   * Remove a placement from the formation (never the element: it stays in the catalogue and in its
   * other formations). What hung under it and is no longer placed anywhere else in the formation
   * goes with it. `expectElement` is the element the page showed there (refused as stale otherwise).
   */
  async removeLink(actor: Actor, formationId: number, linkId: number, expectElement?: number): Promise<RemoveResult> {
    const inst = institutionOf(actor);
    return this.knex.transaction(async (trx) => {
      const { formation, links } = await this.load(trx, inst, formationId);
      const link = links.find((l) => l.id === linkId);
      if (!link || (expectElement !== undefined && link.child_id !== expectElement)) throw new EditorRefusal('stale');
      const code = (await this.codeOf(trx, inst, link.child_id))!;
      const siblings = links.filter((l) => l.parent_id === link.parent_id);
      const i = siblings.indexOf(link);
      const next = siblings[i + 1] ?? siblings[i - 1] ?? (link.parent_id === null ? undefined : links.find((l) => l.child_id === link.parent_id));
      const gone = new Set([link.id]);
      let remaining = links.filter((l) => l.id !== link.id);
      const queue = [link.child_id];
      while (queue.length) {
        const element = queue.pop()!;
        // still placed elsewhere in the formation: what hangs under it stays visible there
        if (remaining.some((l) => l.child_id === element)) continue;
        for (const l of remaining.filter((x) => x.parent_id === element)) {
          gone.add(l.id);
          queue.push(l.child_id);
        }
        remaining = remaining.filter((l) => !gone.has(l.id));
      }
      await trx('catalogue_links').where({ institution_id: inst }).whereIn('id', [...gone]).delete();
      // removed placements stay removed: the next import must not bring them back (a placement
      // reordered in the editor is local, but the import still has it)
      const imported = links.filter((l) => gone.has(l.id));
      if (imported.length) {
        await trx.raw(
          `insert into catalogue_link_removals (institution_id, formation_id, parent_id, child_id)
           select ?, ?, x.parent_id, x.child_id from jsonb_to_recordset(?::jsonb) as x(parent_id int, child_id int)
           on conflict do nothing`,
          [inst, formation.id, JSON.stringify(imported.map((l) => ({ parent_id: l.parent_id, child_id: l.child_id })))],
        );
      }
      await renumber(trx, siblings.filter((l) => l.id !== link.id), false);
      await this.deps.audit.record(actor, {
        action: 'catalogue.link.remove', targetType: 'catalogue_link', targetId: link.id,
        before: { parent: link.parent_id, position: link.position, element: link.child_id },
        detail: { formation: formation.code, year: formation.year, element: code, removed: gone.size },
      }, { trx });
      return { code, removed: gone.size, nextLinkId: next && !gone.has(next.id) ? next.id : null };
    });
  }
}

/** The elements under `elementId` in a formation's links (not itself, unless it sits under itself). */
function descendants(links: readonly LinkRow[], elementId: number): Set<number> {
  const byParent = new Map<number, number[]>();
  for (const l of links) if (l.parent_id !== null) byParent.set(l.parent_id, [...(byParent.get(l.parent_id) ?? []), l.child_id]);
  const out = new Set<number>();
  const queue = [elementId];
  while (queue.length) {
    for (const c of byParent.get(queue.pop()!) ?? []) {
      if (out.has(c)) continue;
      out.add(c);
      queue.push(c);
    }
  }
  return out;
}

/** Give `ordered` the positions 0…n-1; with `local`, those whose place changes become local placements. */
async function renumber(trx: Knex.Transaction, ordered: LinkRow[], local: boolean): Promise<void> {
  for (const [i, l] of ordered.entries()) {
    if (l.position === i) continue;
    const set: Record<string, unknown> = { position: i };
    if (local && l.source !== 'local') set.source = 'local';
    await trx('catalogue_links').where({ id: l.id }).update(set);
    l.position = i;
  }
}

/** The offer editor's operations (depend on `catalogue` to use them). */
export const offerEditorService = createServiceRef<OfferEditor>({ id: 'catalogue.offerEditor' });
