import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { Client, boot } from './support.js';

/** Every page and form this change adds, with a method: a student gets 403 on each. */
const NEW_PAGES: [string, string][] = [
  ['GET', '/admin/roles'], ['GET', '/admin/roles/new'], ['GET', '/admin/roles/student'], ['POST', '/admin/roles'], ['POST', '/admin/roles/student'],
  ['POST', '/admin/roles/student/delete'], ['GET', '/admin/roles/matrix'], ['POST', '/admin/roles/matrix'], ['POST', '/admin/roles/matrix/cell'],
  ['GET', '/admin/components'], ['POST', '/admin/components'], ['GET', '/admin/rules'], ['GET', '/admin/rules/new'], ['POST', '/admin/rules'],
  ['POST', '/admin/rules/test'], ['GET', '/admin/people'], ['GET', '/admin/people/1'], ['POST', '/admin/people/1/roles'],
  ['POST', '/admin/people/1/sign-out'], ['GET', '/admin/audit'],
];

/** The id of a matrix checkbox. */
const cellId = (role: string, privilege: string) => `cb:${role}:${privilege}`;
/** The `<td>` holding a checkbox, from a page or a fragment. */
function cell(html: string, role: string, privilege: string): string {
  const at = html.indexOf(`id="${cellId(role, privilege)}"`);
  if (at < 0) throw new Error(`no cell ${role} × ${privilege}`);
  return html.slice(html.lastIndexOf('<td', at), html.indexOf('</td>', at) + 5);
}

describe('admin: roles, privileges matrix and components', () => {
  let t: TestPlatform;
  let admin: Client;
  let student: Client;
  before(async () => {
    t = await boot();
    admin = Client.fromSession(t, await t.signIn(['admin'], { displayName: 'Nadia Admin' }));
    student = Client.fromSession(t, await t.signIn(['student'], { displayName: 'Sofia Student' }));
  });
  after(async () => t?.stop());

  it('a student gets 403 on every new page and form', async () => {
    await student.get('/');
    for (const [method, path] of NEW_PAGES) {
      const res = method === 'GET' ? await student.get(path) : await student.post(path, {});
      expect(res.status, `${method} ${path}`).to.equal(403);
    }
  });

  it('the dashboard of the functional administrator links to the new sections', async () => {
    const res = await admin.get('/admin');
    expect(res.status).to.equal(200);
    for (const href of ['/admin/people', '/admin/roles', '/admin/roles/matrix', '/admin/components', '/admin/rules', '/admin/audit']) expect(res.text).to.contain(`href="${href}"`);
  });

  it('lists the roles in hierarchy order with parent, user count, external access and kind', async () => {
    const res = await admin.get('/admin/roles');
    expect(res.status).to.equal(200);
    const order = ['guest', 'standard', 'student', 'doctoral', 'trainee', 'referent', 'manager', 'supermanager', 'admin', 'techadmin'].map((k) => res.text.indexOf(`id="role-${k}"`));
    expect(order.every((i) => i > 0)).to.equal(true);
    expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
    const row = (key: string) => res.text.slice(res.text.indexOf(`id="role-${key}"`), res.text.indexOf('</tr>', res.text.indexOf(`id="role-${key}"`)));
    expect(row('student')).to.contain('Student').and.contain('<td>Standard</td>').and.contain('<td class="num">1</td>').and.contain('<td>Yes</td>').and.contain('<td>System</td>');
    expect(row('manager')).to.contain('<td>No</td>').and.not.contain('/delete');
    const fr = await Client.fromSession(t, await t.signIn(['admin']), 'fr').get('/admin/roles');
    expect(fr.text).to.contain('Administrateur fonctionnel').and.contain('Système');
  });

  it('creates a custom role, refusing bad input with messages next to the fields', async () => {
    await admin.get('/admin/roles/new');
    const bad = await admin.post('/admin/roles', { key: 'Bad Key', nameFr: '', nameEn: 'Lab director', parent: 'nope' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('id="f-key-error"').and.contain('lower-case letters').and.contain('id="f-nameFr-error"').and.contain('Choose a parent among the roles');
    expect(bad.text).to.contain('value="Lab director"');
    const taken = await admin.post('/admin/roles', { key: 'manager', nameFr: 'X', nameEn: 'X', parent: '' });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('Another role already has this key.');
    const ok = await admin.post('/admin/roles', { key: 'lab-director', nameFr: 'Directeur de labo', nameEn: 'Lab director', parent: 'referent', externalAccess: '1' });
    expect(ok.status).to.equal(303);
    const list = await admin.get('/admin/roles');
    expect(list.text).to.contain('The role “Lab director” is created.').and.contain('id="role-lab-director"');
    const role = (await t.resolve(coreServices.roles).list(t.institution.id)).find((r) => r.key === 'lab-director')!;
    expect(role).to.include({ parent: 'referent', externalAccess: true, system: false });
  });

  it('edits a role, and refuses with 409 a form built before someone else saved', async () => {
    const form = await admin.get('/admin/roles/lab-director');
    const version = /name="version" value="([^"]+)"/.exec(form.text)![1]!;
    const other = Client.fromSession(t, await t.signIn(['admin']));
    await other.get('/admin/roles/lab-director');
    expect((await other.post('/admin/roles/lab-director', { nameFr: 'Direction de labo', nameEn: 'Lab head', parent: 'referent', externalAccess: '1', version })).status).to.equal(303);
    const stale = await admin.post('/admin/roles/lab-director', { nameFr: 'Directeur de labo', nameEn: 'Laboratory director', parent: 'referent', externalAccess: '1', version });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('Someone else changed this role meanwhile').and.contain('<dd>Lab head</dd>').and.contain('value="Laboratory director"');
    const again = await admin.post('/admin/roles/lab-director', { nameFr: 'Directeur de labo', nameEn: 'Laboratory director', parent: 'referent', externalAccess: '1', version: /name="version" value="([^"]+)"/.exec(stale.text)![1]! });
    expect(again.status).to.equal(303);
    const cycle = await admin.post('/admin/roles/standard', { nameFr: 'Standard', nameEn: 'Standard', parent: 'student', version: /name="version" value="([^"]+)"/.exec((await admin.get('/admin/roles/standard')).text)![1]! });
    expect(cycle.status).to.equal(422);
    expect(cycle.text).to.contain('cannot be placed below itself');
    expect((await admin.get('/admin/roles/no-such-role')).status).to.equal(404);
  });

  it('refuses to delete a system role or a role in use, with a clear message; deletes an unused custom role', async () => {
    const system = await admin.post('/admin/roles/manager/delete', {});
    expect(system.status).to.equal(409);
    expect(system.text).to.contain('“Manager” is a system role: it cannot be deleted.');
    const held = await t.signIn(['lab-director']);
    const inUse = await admin.post('/admin/roles/lab-director/delete', {});
    expect(inUse.status).to.equal(409);
    expect(inUse.text).to.contain('1 person(s) hold it');
    await admin.post('/admin/roles', { key: 'temp-role', nameFr: 'Temporaire', nameEn: 'Temporary', parent: '' });
    expect((await admin.post('/admin/roles/temp-role/delete', {})).status).to.equal(303);
    expect((await admin.get('/admin/roles')).text).to.contain('The role “Temporary” is deleted.').and.not.contain('id="role-temp-role"');
    expect(held.personId).to.be.a('number');
  });

  it('shows the matrix grouped by plugin, roles in hierarchy order, inherited privileges checked and disabled', async () => {
    const res = await admin.get('/admin/roles/matrix');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<tbody id="group-core">').and.contain('<tbody id="group-admin">').and.contain('<tbody id="group-hello">');
    expect(res.text.indexOf('id="group-core"')).to.be.lessThan(res.text.indexOf('id="group-admin"'));
    expect(res.text).to.contain('Platform core').and.contain('Open the administration area</span><br><code class="muted small">admin:area.view</code>');
    const heads = [...res.text.matchAll(/<th scope="col" class="role-col"><span class="role-name">([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(heads.slice(0, 4)).to.deep.equal(['Guest', 'Standard', 'Student', 'Doctoral student']);
    // core:institution.read goes to manager by default: senior managers inherit it
    const inherited = cell(res.text, 'supermanager', 'core:institution.read');
    expect(inherited).to.match(/<input type="checkbox" id="cb:supermanager:core:institution.read" checked disabled/).and.contain('inherited from Manager');
    expect(cell(res.text, 'manager', 'core:institution.read')).to.contain(' checked').and.contain('hx-post="/admin/roles/matrix/cell"').and.not.contain('disabled');
    expect(cell(res.text, 'student', 'admin:jobs.read')).not.to.contain(' checked');
    expect(res.text).to.contain('<label for="cb:student:admin:jobs.read" class="sr-only">Student: See background job status</label>');
  });

  it('a tick through htmx grants the privilege at once: the student may now open the page', async () => {
    expect((await student.get('/admin/jobs')).status).to.equal(403);
    await admin.get('/admin/roles/matrix');
    const res = await admin.htmxPost('/admin/roles/matrix/cell', { role: 'student', privilege: 'admin:jobs.read', grant: 'student/admin:jobs.read' });
    expect(res.status).to.equal(200);
    expect(res.text.trim()).to.match(/^<td id="td:student:admin:jobs.read" class="cell on">/);
    expect(res.text).to.contain(`id="${cellId('student', 'admin:jobs.read')}"`).and.contain(' checked').and.not.contain('<html');
    expect(res.text).to.contain('<span id="matrix-status" hx-swap-oob="innerHTML">Granted: Student — See background job status.</span>');
    // the cells of the roles below are sent along, out of band: they now inherit it
    expect(res.text).to.contain('<td id="td:doctoral:admin:jobs.read" class="cell inherited" hx-swap-oob="outerHTML">').and.contain('id="td:trainee:admin:jobs.read"');
    expect(cell(res.text, 'doctoral', 'admin:jobs.read')).to.contain('inherited from Student');
    expect(res.text).not.to.contain('id="td:guest:admin:jobs.read"');
    expect((await student.get('/admin/jobs')).status).to.equal(200);
    // doctoral students inherit it from students
    expect(cell((await admin.get('/admin/roles/matrix')).text, 'doctoral', 'admin:jobs.read')).to.contain('inherited from Student');
    const off = await admin.htmxPost('/admin/roles/matrix/cell', { role: 'student', privilege: 'admin:jobs.read' });
    expect(off.status).to.equal(200);
    expect(off.text).to.contain('Removed: Student').and.not.match(/id="cb:student:admin:jobs.read"[^>]* checked/);
    expect((await student.get('/admin/jobs')).status).to.equal(403);
  });

  it('refuses an unknown privilege, an unknown role and unticking an inherited privilege, with an htmx fragment in the user’s language', async () => {
    const unknown = await admin.htmxPost('/admin/roles/matrix/cell', { role: 'student', privilege: 'nope:thing.do', grant: 'student/nope:thing.do' });
    expect(unknown.status).to.equal(422);
    expect(unknown.text).to.contain('Unknown privilege “nope:thing.do”: nothing was changed.').and.not.contain('<html');
    const fr = Client.fromSession(t, await t.signIn(['admin']), 'fr');
    await fr.get('/admin/roles/matrix');
    const inFrench = await fr.htmxPost('/admin/roles/matrix/cell', { role: 'student', privilege: 'nope:thing.do', grant: 'student/nope:thing.do' });
    expect(inFrench.text).to.contain('Privilège inconnu « nope:thing.do » : rien n’a été changé.');
    const gone = await admin.htmxPost('/admin/roles/matrix/cell', { role: 'ghost', privilege: 'admin:jobs.read', grant: 'ghost/admin:jobs.read' });
    expect(gone.status).to.equal(404);
    expect(gone.text).to.contain('This role no longer exists: reload the page.');
    const inherited = await admin.htmxPost('/admin/roles/matrix/cell', { role: 'supermanager', privilege: 'core:institution.read' });
    expect(inherited.status).to.equal(409);
    expect(inherited.text).to.contain('Senior manager inherits this privilege from Manager');
    expect(await t.resolve(coreServices.roles).effectivePrivileges(t.institution.id, 'supermanager')).to.include('core:institution.read');
    // an administrator cannot take from their own roles the privilege this page needs
    const lockout = await admin.htmxPost('/admin/roles/matrix/cell', { role: 'admin', privilege: 'admin:roles.manage' });
    expect(lockout.status).to.equal(409);
    expect(lockout.text).to.contain('you would lose “admin:roles.manage” yourself').and.match(/id="cb:admin:admin:roles.manage"[^>]* checked/);
    expect(await t.resolve(coreServices.roles).effectivePrivileges(t.institution.id, 'admin')).to.include('admin:roles.manage');
  });

  it('without JavaScript, a group’s Save button saves the boxes changed in that group only', async () => {
    const page = await admin.get('/admin/roles/matrix');
    expect(page.text).to.contain('<form id="mf-hello" method="post" action="/admin/roles/matrix" hidden>').and.contain('<noscript><button type="submit" form="mf-hello"');
    const had = [...page.text.matchAll(/name="had" value="([^"]+)" form="mf-hello"/g)].map((m) => m[1]!);
    // meanwhile someone else grants a privilege of the group to technical administrators: the form must not undo it
    const other = (await t.resolve(coreServices.permissions).all()).filter((p) => p.plugin === 'hello').map((p) => p.name);
    expect(other.length).to.be.greaterThan(0);
    await t.resolve(coreServices.roles).setPrivilege({ institutionId: t.institution.id, label: 'someone else' }, 'techadmin', other[0]!, true);
    const entries: [string, string][] = [['plugin', 'hello'], ...[...had, `referent/${other[0]}`].map((v): [string, string] => ['grant', v]), ...had.map((v): [string, string] => ['had', v])];
    const res = await admin.postFields('/admin/roles/matrix', entries);
    expect(res.status).to.equal(303);
    const roles = t.resolve(coreServices.roles);
    expect((await roles.list(t.institution.id)).find((r) => r.key === 'referent')!.privileges).to.include(other[0]);
    expect((await roles.list(t.institution.id)).find((r) => r.key === 'techadmin')!.privileges).to.include(other[0]);
    expect((await admin.get('/admin/roles/matrix')).text).to.contain('Privileges of “');
  });

  it('adds and renames components', async () => {
    const empty = await admin.get('/admin/components');
    expect(empty.text).to.contain('No component yet.');
    const bad = await admin.post('/admin/components', { code: 'bad code!', nameFr: '', nameEn: 'Sciences' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('id="f-code-error"').and.contain('id="f-nameFr-error"');
    expect((await admin.post('/admin/components', { code: 'UFR-SCI', nameFr: 'UFR Sciences', nameEn: 'Faculty of Science' })).status).to.equal(303);
    const taken = await admin.post('/admin/components', { code: 'UFR-SCI', nameFr: 'Autre', nameEn: 'Other' });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('A component already has this code');
    const list = await admin.get('/admin/components');
    expect(list.text).to.contain('<code>UFR-SCI</code>').and.contain('Faculty of Science').and.contain('href="/admin/components/UFR-SCI"');
    expect((await admin.get('/admin/components/UFR-SCI')).text).to.contain('value="UFR Sciences"');
    expect((await admin.post('/admin/components/UFR-SCI', { nameFr: 'UFR de sciences', nameEn: 'Science faculty' })).status).to.equal(303);
    expect((await t.resolve(coreServices.roles).components(t.institution.id))[0]).to.deep.equal({ code: 'UFR-SCI', name: { fr: 'UFR de sciences', en: 'Science faculty' } });
    expect((await admin.get('/admin/components/NOPE')).status).to.equal(404);
  });
});

