import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { EsiError, esiService } from '../src/index.js';
import type { EsiService } from '../src/index.js';
import { ESI, audits, boot, person, system } from './support.js';

describe('esi: one ESI per person, conflicts flagged', () => {
  let t: TestPlatform;
  let esi: EsiService;
  before(async () => {
    t = await boot();
    esi = t.resolve(esiService);
  });
  after(async () => t?.stop());

  it('records a person’s ESI, normalised, once', async () => {
    const ada = await person(t, 'Ada');
    const first = await esi.assign(system(t), ada, 'URN:SCHAC:personalUniqueCode:INT:ESI:FR:111111111AA', 'sign-in');
    expect(first).to.deep.equal({ ok: true, esi: ESI('111111111AA'), change: 'created' });
    expect(await esi.forPerson(ada)).to.include({ personId: ada, esi: ESI('111111111AA'), source: 'sign-in', institutionId: t.institution.id });
    // the same ESI in another spelling is the same ESI
    expect(await esi.assign(system(t), ada, ESI('111111111aa', 'FR'), 'sign-in')).to.deep.equal({ ok: true, esi: ESI('111111111AA'), change: 'unchanged' });
    expect(await esi.personFor(ESI('111111111aa'))).to.equal(ada);
    const [entry] = await audits(t, 'esi.esi.assigned').where({ target_id: String(ada) });
    expect(entry).to.include({ institution_id: t.institution.id, target_type: 'person', actor_label: 'test' });
    expect(entry.after).to.deep.equal({ esi: ESI('111111111AA'), source: 'sign-in' });
  });

  it('flags the same ESI on a second person instead of merging, once', async () => {
    const holder = await person(t, 'Holder');
    const claimant = await person(t, 'Claimant');
    await esi.assign(system(t), holder, ESI('222222222BB'), 'sign-in');
    const r = await esi.assign(system(t), claimant, ESI('222222222bb'), 'sign-in');
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.conflict).to.include({ esi: ESI('222222222bb'), status: 'open', source: 'sign-in' });
    expect(r.conflict.holder.id).to.equal(holder);
    expect(r.conflict.claimant.id).to.equal(claimant);
    // nothing moved, nobody merged
    expect((await esi.forPerson(holder))?.esi).to.equal(ESI('222222222BB'));
    expect(await esi.forPerson(claimant)).to.equal(null);
    expect(await t.knex('persons').whereIn('id', [holder, claimant]).count('* as n').first()).to.deep.equal({ n: 2 });
    // every later sign-in finds the same open conflict
    const again = await esi.assign(system(t), claimant, ESI('222222222BB'), 'sign-in');
    expect(!again.ok && again.conflict.id).to.equal(r.conflict.id);
    expect(await t.knex('esi_conflicts').where({ claimant_person_id: claimant }).count('* as n').first()).to.deep.equal({ n: 1 });
    expect(await audits(t, 'esi.conflict.flagged').where({ target_id: String(r.conflict.id) })).to.have.length(1);
  });

  it('gives a contested ESI to one person only when sign-ins race', async () => {
    const a = await person(t, 'Racer A');
    const b = await person(t, 'Racer B');
    const results = await Promise.all([a, b].map((p) => esi.assign(system(t), p, ESI('888888888GG'), 'sign-in')));
    expect(results.filter((r) => r.ok)).to.have.length(1);
    const holder = await esi.personFor(ESI('888888888GG'));
    expect([a, b]).to.include(holder);
    const loser = results.find((r) => !r.ok);
    expect(loser && !loser.ok && loser.conflict.holder.id).to.equal(holder);
  });

  it('refuses a malformed ESI with the reason and changes nothing', async () => {
    const p = await person(t, 'Malformed');
    let error: unknown;
    try {
      await esi.assign(system(t), p, ESI('abc~def'), 'sign-in');
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(EsiError);
    expect((error as EsiError).issue).to.deep.equal({ code: 'badCharacter', vars: { char: '~ (U+007E)' } });
    expect((error as EsiError).status).to.equal(400);
    expect(await esi.forPerson(p)).to.equal(null);
    const unknown = await esi.assign(system(t), 99_999_999, ESI('333'), 'sign-in').catch((e) => e);
    expect(unknown.status).to.equal(404);
    expect(await esi.personFor(ESI('333'))).to.equal(null);
  });

  it('gives a former incoming student the ESI built from the INE; a later sign-in does not undo it', async () => {
    const p = await person(t, 'Returning');
    await esi.assign(system(t), p, ESI('RSSSFO00A41H501Z', 'it'), 'sign-in');
    const fromIne = esi.fromIne('123456789JK');
    if (!fromIne.ok) throw new Error('valid INE refused');
    const replaced = await esi.assign(system(t), p, fromIne.esi, 'ine');
    expect(replaced).to.deep.equal({ ok: true, esi: ESI('123456789JK'), change: 'replaced', previous: ESI('RSSSFO00A41H501Z', 'it') });
    const [entry] = await audits(t, 'esi.esi.replaced').where({ target_id: String(p) });
    expect(entry.before).to.deep.equal({ esi: ESI('RSSSFO00A41H501Z', 'it'), source: 'sign-in' });
    // the home IdP of their incoming year still sends the old one: the INE wins
    expect(await esi.assign(system(t), p, ESI('RSSSFO00A41H501Z', 'it'), 'sign-in')).to.deep.equal({ ok: true, esi: ESI('123456789JK'), change: 'kept' });
    // the old ESI is free again
    expect(await esi.personFor(ESI('RSSSFO00A41H501Z', 'it'))).to.equal(null);
  });

  it('lists conflicts to institutions that know one of the people, without the names of strangers', async () => {
    const other = await t.createInstitution({ code: 'other-u', hostNames: ['other.example'] });
    const local = await person(t, 'Local Student');
    const stranger = await person(t, 'Stranger', other);
    await esi.assign(system(t), stranger, ESI('444444444CC'), 'sign-in');
    const r = await esi.assign(system(t), local, ESI('444444444CC'), 'sign-in');
    if (r.ok) throw new Error('conflict expected');
    const mine = (await esi.conflicts(t.institution.id)).find((c) => c.id === r.conflict.id);
    expect(mine?.claimant).to.deep.equal({ id: local, displayName: 'Local Student', email: 'local.student@example.org' });
    expect(mine?.holder).to.deep.equal({ id: stranger, displayName: null, email: null });
    const theirs = (await esi.conflicts(other.id)).find((c) => c.id === r.conflict.id);
    expect(theirs?.holder.displayName).to.equal('Stranger');
    expect(theirs?.claimant.displayName).to.equal(null);
    const third = await t.createInstitution({ code: 'third-u', hostNames: ['third.example'] });
    expect(await esi.conflicts(third.id)).to.deep.equal([]);
    expect(await esi.conflict(third.id, r.conflict.id)).to.equal(null);
  });

  it('resolves a conflict by moving the ESI to the claimant, audited, once', async () => {
    const holder = await person(t, 'Old Holder');
    const claimant = await person(t, 'Rightful Owner');
    const third = await person(t, 'Third');
    await esi.assign(system(t), holder, ESI('555555555DD'), 'sign-in');
    await esi.assign(system(t), claimant, ESI('own-code', 'univ-example.fr'), 'sign-in');
    const c1 = await esi.assign(system(t), claimant, ESI('555555555DD'), 'sign-in');
    const c2 = await esi.assign(system(t), third, ESI('555555555DD'), 'sign-in');
    if (c1.ok || c2.ok) throw new Error('conflicts expected');
    const manager = { institutionId: t.institution.id, personId: holder, label: 'Manager' };
    const resolved = await esi.resolve(manager, t.institution.id, c1.conflict.id, 'claimant');
    expect(resolved).to.include({ status: 'resolved', kept: 'claimant' });
    expect(await esi.forPerson(holder)).to.equal(null);
    expect(await esi.forPerson(claimant)).to.include({ esi: ESI('555555555DD'), source: 'manual' });
    // the other open conflict about this ESI now concerns its new holder
    const other = await esi.conflict(t.institution.id, c2.conflict.id);
    expect(other?.holder.id).to.equal(claimant);
    expect(other?.status).to.equal('open');
    const [entry] = await audits(t, 'esi.conflict.resolved').where({ target_id: String(c1.conflict.id) });
    expect(entry).to.include({ actor_label: 'Manager', actor_person_id: holder, outcome: 'success' });
    expect(entry.after).to.deep.include({ kept: 'claimant', holderPersonId: claimant, claimantPreviousEsi: ESI('own-code', 'univ-example.fr') });
    const twice = await esi.resolve(manager, t.institution.id, c1.conflict.id, 'holder').catch((e) => e);
    expect(twice.status).to.equal(409);
    expect((await esi.forPerson(claimant))?.esi).to.equal(ESI('555555555DD'));
  });

  it('resolves in favour of the holder without changing anything else', async () => {
    const holder = await person(t, 'Keeper');
    const claimant = await person(t, 'Mistaken');
    await esi.assign(system(t), holder, ESI('666666666EE'), 'sign-in');
    const r = await esi.assign(system(t), claimant, ESI('666666666EE'), 'sign-in');
    if (r.ok) throw new Error('conflict expected');
    await esi.resolve(system(t), t.institution.id, r.conflict.id, 'holder');
    expect((await esi.forPerson(holder))?.esi).to.equal(ESI('666666666EE'));
    expect(await esi.forPerson(claimant)).to.equal(null);
    expect((await esi.conflicts(t.institution.id)).map((c) => c.id)).not.to.include(r.conflict.id);
    const stranger = await t.createInstitution({ code: 'fourth-u', hostNames: ['fourth.example'] });
    const r2 = await esi.assign(system(t), claimant, ESI('666666666EE'), 'sign-in');
    if (r2.ok) throw new Error('a new conflict is expected after a resolution');
    expect(r2.conflict.id).not.to.equal(r.conflict.id);
    expect((await esi.resolve(system(t), stranger.id, r2.conflict.id, 'holder').catch((e) => e)).status).to.equal(404);
  });
});
