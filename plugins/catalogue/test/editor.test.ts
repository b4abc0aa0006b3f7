// The offer editor over HTTP, as htmx sends its requests: each change answers with the outline as
// stored and a message for the live region, and the tree (store.tree) is what the manager asked for.
// The tests run in order on one catalogue: each starts from the tree the previous one left.
import { expect } from 'chai';
import type { TestClient, TestPlatform, TestResponse } from '@smile/sdk/testing';
import { editorPath } from '../src/editor.js';
import { boot, smallBatch, store, system } from './support.js';

describe('catalogue: offer editor (HTTP)', () => {
  let t: TestPlatform;
  let manager: TestClient;
  const year = 2026;
  let eco = 0;
  let let_ = 0;

  before(async () => {
    t = await boot();
    const report = await store(t).importBatch(system(t), year, smallBatch(), { source: 'sis-test' });
    expect(report.errors).to.deep.equal([]);
    eco = (await store(t).formation(t.institution.id, year, 'L3ECO'))!.id;
    let_ = (await store(t).formation(t.institution.id, year, 'L3LET'))!.id;
    manager = t.client({ session: await t.signIn(['manager']), lang: 'en' });
    expect((await manager.get(editorPath(eco))).status).to.equal(200);
  });
  after(async () => t?.stop());

  /** The tree of a formation as text: `UE1(MICRO,MACRO),HIST`. */
  async function shape(formationId: number, institutionId = t.institution.id): Promise<string> {
    const walk = (nodes: Awaited<ReturnType<ReturnType<typeof store>['tree']>>): string =>
      nodes.map((n) => (n.children.length ? `${n.element.code}(${walk(n.children)})` : n.element.code)).join(',');
    return walk(await store(t).tree(institutionId, formationId));
  }
  /** The placement of `code` in a formation (under `parent`, or anywhere when not given). */
  async function link(formationId: number, code: string, parent?: string | null) {
    const q = t.knex('catalogue_links as l')
      .join('catalogue_elements as e', 'e.id', 'l.child_id')
      .leftJoin('catalogue_elements as p', 'p.id', 'l.parent_id')
      .where({ 'l.formation_id': formationId, 'e.code': code });
    if (parent !== undefined) q.where('p.code', parent);
    const row = await q.first('l.id', 'l.source', 'l.parent_id', 'l.child_id', 'e.version');
    if (!row) throw new Error(`no placement of ${code}`);
    return row as { id: number; source: string; parent_id: number | null; child_id: number; version: number };
  }
  const from = (l: { parent_id: number | null }) => (l.parent_id === null ? 'top' : String(l.parent_id));
  const status = (res: TestResponse) => /id="editor-status" hx-swap-oob="innerHTML"><span class="editor-msg editor-msg-(\w+)">([^<]*)</.exec(res.text)?.slice(1, 3);
  const post = (action: string, form: Record<string, string>) => manager.htmxPost(`${editorPath(eco)}/${action}`, form);

  it('shows the outline as a tree: levels, positions, shared marker, the selected element’s panel', async () => {
    const res = await manager.get(editorPath(eco));
    expect(res.text).to.contain('role="tree"').and.contain('aria-level="2"').and.contain('role="group"');
    const ue1 = await link(eco, 'UE1');
    expect(res.text).to.match(new RegExp(`id="node-${ue1.id}"[^>]*aria-expanded="true"[^>]*aria-selected="true"[^>]*tabindex="0"`));
    expect(res.text.match(/tabindex="0"/g)).to.have.length(1);
    // HIST also sits in L3LET
    const hist = await link(eco, 'HIST');
    const node = res.text.slice(res.text.indexOf(`id="node-${hist.id}"`));
    expect(node.slice(0, node.indexOf('</li>'))).to.contain('Shared').and.contain('Also in L3LET').and.contain('Economic history of Europe');
    expect(res.text).to.contain('Offer editor: Bachelor 3 Economics').and.contain('id="editor-add"').and.contain(`/assets/catalogue@`);
    const fr = await t.client({ session: await t.signIn(['manager']), lang: 'fr' }).get(editorPath(eco));
    expect(fr.text).to.contain('Éditeur d’offre : Licence 3 Économie').and.contain('Partagé');
  });

  it('moves an element among its siblings (the keyboard’s Alt+Down): the tree and the answer say so', async () => {
    const micro = await link(eco, 'MICRO');
    const res = await post('move', { link: String(micro.id), parent: String((await link(eco, 'UE1')).id), position: '2', from: from(micro) });
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/^\s*<div id="editor-outline"/);
    expect(status(res)).to.deep.equal(['success', 'MICRO moved: 2 of 2 under UE1.']);
    expect(res.text).to.match(new RegExp(`id="node-${micro.id}"[^>]*aria-selected="true"[^>]*tabindex="0"`));
    expect(await shape(eco)).to.equal('UE1(MACRO,MICRO),HIST');
    expect((await link(eco, 'MICRO')).source).to.equal('local');
  });

  it('indents under the previous sibling and outdents back (Alt+Right, Alt+Left)', async () => {
    const hist = await link(eco, 'HIST', null);
    const ue1 = await link(eco, 'UE1');
    let res = await post('move', { link: String(hist.id), parent: String(ue1.id), position: '', from: 'top' });
    expect(status(res)).to.deep.equal(['success', 'HIST moved: 3 of 3 under UE1.']);
    expect(await shape(eco)).to.equal('UE1(MACRO,MICRO,HIST)');
    const moved = await link(eco, 'HIST');
    expect(moved.id, 'the placement moves, it is not copied').to.equal(hist.id);
    res = await post('move', { link: String(hist.id), parent: '', position: '2', from: from(moved) });
    expect(status(res)).to.deep.equal(['success', 'HIST moved: 2 of 2 at the top level.']);
    expect(await shape(eco)).to.equal('UE1(MACRO,MICRO),HIST');
  });

  it('refuses to put an element under its own descendant, and says why', async () => {
    const ue1 = await link(eco, 'UE1');
    const micro = await link(eco, 'MICRO');
    const res = await post('move', { link: String(ue1.id), parent: String(micro.id), position: '', from: 'top' });
    expect(res.status).to.equal(422);
    expect(status(res)).to.deep.equal(['error', 'UE1 cannot go under MICRO: MICRO is inside UE1.']);
    expect(res.text).to.contain('role="tree"');
    expect(await shape(eco)).to.equal('UE1(MACRO,MICRO),HIST');
  });

  it('refuses a move made on an outdated page and sends the outline as stored', async () => {
    const micro = await link(eco, 'MICRO');
    const res = await post('move', { link: String(micro.id), parent: '', position: '1', from: 'top' });
    expect(res.status).to.equal(409);
    expect(status(res)?.[1]).to.match(/^The outline changed meanwhile/);
    const gone = await post('move', { link: '999999', parent: '', position: '1', from: 'top' });
    expect(gone.status).to.equal(409);
    expect(await shape(eco)).to.equal('UE1(MACRO,MICRO),HIST');
  });

  it('adds a new element under the selected one: local, in the formation’s component; the form comes back blank', async () => {
    const ue1 = await link(eco, 'UE1');
    const res = await post('add', { parent: String(ue1.id), mode: 'new', code: 'STATS', titleFr: 'Statistiques pour économistes', titleEn: 'Statistics for economists', kind: 'EC', ects: '4,5' });
    expect(res.status).to.equal(200);
    expect(status(res)).to.deep.equal(['success', 'STATS added under UE1.']);
    expect(res.text).to.match(/<details id="editor-add"[^>]*open[^>]*hx-swap-oob="outerHTML"/);
    expect(await shape(eco)).to.equal('UE1(MACRO,MICRO,STATS),HIST');
    const stats = (await store(t).element(t.institution.id, year, 'STATS'))!;
    expect(stats).to.deep.include({ source: 'local', titleEn: 'Statistics for economists', ects: 4.5, componentCode: 'ECO', kind: 'EC' });
    const added = await link(eco, 'STATS');
    expect(res.text).to.match(new RegExp(`id="node-${added.id}"[^>]*aria-selected="true"`));
    expect(added.source).to.equal('local');
  });

  it('places an existing element by its code: shared, not copied', async () => {
    const hist = await link(eco, 'HIST');
    const res = await post('add', { parent: String(hist.id), mode: 'existing', code: 'ROMAN' });
    expect(status(res)).to.deep.equal(['success', 'ROMAN is now also placed under HIST (shared, not copied).']);
    expect(await shape(eco)).to.equal('UE1(MACRO,MICRO,STATS),HIST(ROMAN)');
    expect(await shape(let_)).to.equal('HIST,ROMAN');
    expect(await t.knex('catalogue_elements').where({ code: 'ROMAN' }).count({ n: '*' }).first()).to.deep.equal({ n: 1 } as any);
    expect(res.text).to.contain('Also in L3LET');
  });

  it('answers an invalid add in place, field by field, and adds nothing', async () => {
    const before = await shape(eco);
    let res = await post('add', { parent: '', mode: 'new', code: 'MICRO', titleFr: 'Doublon', ects: '' });
    expect(res.status).to.equal(422);
    expect(res.headers.get('hx-retarget')).to.equal('#editor-add');
    expect(res.text).to.match(/^\s*<details id="editor-add"[^>]* open/);
    expect(res.text).to.contain('id="editor-add-code-error"').and.contain('An element with the code MICRO already exists');
    res = await post('add', { parent: '', mode: 'new', code: 'a b', titleFr: '', ects: 'abc' });
    expect(res.text).to.contain('1 to 64 characters, without spaces.').and.contain('Fill in this field.').and.contain('A number, such as 6 or 7.5.');
    expect(res.text).to.match(/id="editor-add-title-fr"[^>]*aria-invalid="true"/);
    expect(status(res)).to.deep.equal(['error', 'Check the fields marked in the form.']);
    res = await post('add', { parent: '', mode: 'existing', code: 'NOPE' });
    expect(res.text).to.contain('No element has the code NOPE this year.');
    res = await post('add', { parent: String((await link(eco, 'UE1')).id), mode: 'existing', code: 'MICRO' });
    expect(res.text).to.contain('MICRO is already placed under UE1.');
    expect(await shape(eco)).to.equal(before);
  });

  it('renames an element: the titles become local fields that survive the next import', async () => {
    const micro = await link(eco, 'MICRO');
    const res = await post('rename', { link: String(micro.id), element: String(micro.child_id), version: String(micro.version), titleFr: 'Microéconomie approfondie', titleEn: 'Advanced microeconomics' });
    expect(status(res)).to.deep.equal(['success', 'MICRO renamed.']);
    expect(res.text).to.contain('Advanced microeconomics');
    await store(t).importBatch(system(t), year, smallBatch(), { source: 'sis-test' });
    const after = (await store(t).element(t.institution.id, year, 'MICRO'))!;
    expect(after).to.deep.include({ titleFr: 'Microéconomie approfondie', titleEn: 'Advanced microeconomics' });
    expect(after.localFields).to.include.members(['titleFr', 'titleEn']);
    // the page built before the rename holds the old version: refused, with the outline as stored
    const stale = await post('rename', { link: String(micro.id), element: String(micro.child_id), version: String(micro.version), titleFr: 'Autre' });
    expect(stale.status).to.equal(409);
    expect(status(stale)?.[1]).to.match(/^The outline changed meanwhile/);
    const empty = await post('rename', { link: String(micro.id), element: String(micro.child_id), version: String(after.version), titleFr: '' });
    expect(empty.status).to.equal(422);
    expect(empty.headers.get('hx-retarget')).to.equal('#editor-rename');
    expect(empty.text).to.contain('id="editor-title-fr-error"');
  });

  it('closes and opens an element to mobility (a local field)', async () => {
    const macro = await link(eco, 'MACRO');
    let res = await post('open', { link: String(macro.id), element: String(macro.child_id), version: String(macro.version), open: '0' });
    expect(status(res)).to.deep.equal(['success', 'MACRO is closed to mobility.']);
    expect(res.text).to.contain('Closed to mobility');
    let el = (await store(t).element(t.institution.id, year, 'MACRO'))!;
    expect(el.openToMobility).to.equal(false);
    expect(el.localFields).to.include('openToMobility');
    res = await post('open', { link: String(macro.id), element: String(macro.child_id), version: String(el.version), open: '1' });
    expect(status(res)).to.deep.equal(['success', 'MACRO is open to mobility.']);
    el = (await store(t).element(t.institution.id, year, 'MACRO'))!;
    expect(el.openToMobility).to.equal(true);
  });

  it('an import leaves a placement moved in the editor where the manager put it', async () => {
    const micro = await link(eco, 'MICRO');
    await post('move', { link: String(micro.id), parent: '', position: '', from: from(micro) });
    expect(await shape(eco)).to.equal('UE1(MACRO,STATS),HIST(ROMAN),MICRO');
    const report = await store(t).importBatch(system(t), year, smallBatch(), { source: 'sis-test' });
    expect(report.ok).to.equal(true);
    expect(await shape(eco)).to.equal('UE1(MACRO,STATS),HIST(ROMAN),MICRO');
  });

  it('removes a placement (and what hangs only under it) from the formation, never the elements', async () => {
    const hist = await link(eco, 'HIST');
    const res = await post('remove', { link: String(hist.id), element: String(hist.child_id) });
    expect(status(res)).to.deep.equal(['success', 'HIST removed from this formation, with 1 placements under it.']);
    expect(await shape(eco)).to.equal('UE1(MACRO,STATS),MICRO');
    expect(await shape(let_)).to.equal('HIST,ROMAN');
    expect(await store(t).element(t.institution.id, year, 'HIST')).to.not.equal(undefined);
    // the focus goes to the next sibling
    const micro = await link(eco, 'MICRO');
    expect(res.text).to.match(new RegExp(`id="node-${micro.id}"[^>]*tabindex="0"`));
    const again = await post('remove', { link: String(hist.id), element: String(hist.child_id) });
    expect(again.status).to.equal(409);
  });

  it('a placement from the SIS that the manager removed stays removed at the next import, until they add it back', async () => {
    // HIST came from the import at the top of L3ECO and was removed above
    const report = await store(t).importBatch(system(t), year, smallBatch(), { source: 'sis-test' });
    expect(report.ok).to.equal(true);
    expect(await shape(eco)).to.equal('UE1(MACRO,STATS),MICRO');
    const added = await post('add', { parent: '', mode: 'existing', code: 'HIST' });
    expect(added.status).to.equal(200);
    expect(await shape(eco)).to.match(/HIST/);
    // HIST at the top is no longer a removal; ROMAN under HIST (removed with it) still is
    const removals = await t.knex('catalogue_link_removals as r').join('catalogue_elements as e', 'e.id', 'r.child_id').where({ 'r.formation_id': eco }).pluck('e.code');
    expect(removals).to.deep.equal(['ROMAN']);
    const hist = await link(eco, 'HIST', null);
    await post('remove', { link: String(hist.id), element: String(hist.child_id) });
    expect(await shape(eco)).to.equal('UE1(MACRO,STATS),MICRO');
  });

  it('starts an empty formation: the add form is open, the first element goes at the top', async () => {
    const f = await store(t).saveFormation(system(t), year, null, { code: 'M1ECO', nameFr: 'Master 1 Économie', nameEn: 'Master 1 Economics', componentCode: 'ECO' }, null);
    const page = await manager.get(editorPath(f.id));
    expect(page.text).to.contain('This formation has no element yet: add the first one.').and.match(/<details id="editor-add"[^>]* open/);
    const res = await manager.htmxPost(`${editorPath(f.id)}/add`, { parent: '', mode: 'existing', code: 'MICRO' });
    expect(status(res)).to.deep.equal(['success', 'MICRO is now also placed at the top level (shared, not copied).']);
    expect(await shape(f.id)).to.equal('MICRO');
  });

  it('writes each change to the audit log', async () => {
    const actions = (await t.knex('audit_log').where({ institution_id: t.institution.id }).whereLike('action', 'catalogue.%').pluck('action')) as string[];
    expect(actions).to.include.members(['catalogue.link.move', 'catalogue.link.create', 'catalogue.element.create', 'catalogue.link.remove', 'catalogue.element.update']);
  });

  it('without htmx, a change goes back to the page with the message', async () => {
    const micro = await link(eco, 'MICRO');
    const res = await manager.post(`${editorPath(eco)}/move`, { link: String(micro.id), parent: '', position: '1', from: 'top' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal(`${editorPath(eco)}?node=${micro.id}`);
    const page = await manager.get(res.headers.get('location')!);
    expect(page.text).to.contain('MICRO moved: 1 of 2 at the top level.');
  });

  it('lets a referent see the outline without changing it; refuses students and other institutions', async () => {
    const referent = t.client({ session: await t.signIn(['referent']), lang: 'en' });
    const page = await referent.get(editorPath(eco));
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('role="tree"').and.contain('You can see this outline but not change it.');
    expect(page.text).to.not.contain('id="editor-add"').and.not.contain('draggable="true"').and.not.contain('id="editor-rename"');
    const micro = await link(eco, 'MICRO');
    const refused = await referent.htmxPost(`${editorPath(eco)}/move`, { link: String(micro.id), parent: '', position: '2', from: 'top' });
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('you need the permission catalogue:offer.edit');
    const student = t.client({ session: await t.signIn(['student']), lang: 'en' });
    expect((await student.get(editorPath(eco))).status).to.equal(403);

    const other = await t.createInstitution({ code: 'other', hostNames: ['other.test'] });
    await store(t).importBatch({ institutionId: other.id, label: 'test' }, year, smallBatch(), { source: 'sis-test' });
    const theirs = (await store(t).formation(other.id, year, 'L3ECO'))!;
    expect((await manager.get(editorPath(theirs.id))).status).to.equal(404);
    const theirLink = await link(theirs.id, 'MICRO');
    const res = await manager.htmxPost(`${editorPath(eco)}/move`, { link: String(theirLink.id), parent: '', position: '1' });
    expect(res.status).to.equal(409);
    expect(await shape(theirs.id, other.id)).to.equal('UE1(MICRO,MACRO),HIST');
  });
});
