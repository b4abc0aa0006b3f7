// The picker page keeps search results, counts and the catalogue side of a choice in memory per
// catalogue generation: a change to the catalogue must show on the very next page, never a stale one.
import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { boot, seedCatalogue, studentAtChoice, text, YEAR } from './support.js';

describe('course-picker: the page after a catalogue change', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  before(async () => {
    t = await boot();
    await seedCatalogue(t);
  });
  after(async () => t?.stop());

  const codes = (html: string) => [...html.matchAll(/<span class="cp-code">([A-Z0-9]+)<\/span>/g)].map((m) => m[1]);
  const close = (code: string, open: boolean) =>
    t.knex('catalogue_elements').where({ institution_id: t.institution.id, year: YEAR, code }).update({ open_to_mobility: open });

  it('lists, counts and flags what the catalogue says now, even for a page just seen', async () => {
    const { session, file } = await studentAtChoice(t, 'Ines Moreau');
    const c = t.client({ session });
    const url = `/mobility/me/${file.id}/courses`;
    const version = Number(/name="version" value="(\d+)"/.exec((await c.get(url)).text)?.[1]);
    expect((await c.post(`${url}/add`, { code: 'LAW104', version: String(version) })).status).to.equal(303);

    // seen twice: the second answer may come from memory
    for (let i = 0; i < 2; i++) {
      const page = await c.get(`${url}?sort=code`);
      expect(codes(page.text)).to.include('LAW103');
      expect(text(page.text)).not.to.contain('was removed from the catalogue');
    }
    const fragment = await c.get(`${url}?q=criminal`, { 'hx-request': 'true', 'hx-target': 'picker-results' });
    expect(text(fragment.text)).to.contain('Criminal law');

    await close('LAW103', false);
    await close('LAW104', false);
    try {
      const page = await c.get(`${url}?sort=code`);
      expect(codes(page.text)).not.to.include('LAW103');
      expect(text(page.text)).to.contain('LAW104 – Administrative law was removed from the catalogue');
      const again = await c.get(`${url}?q=criminal`, { 'hx-request': 'true', 'hx-target': 'picker-results' });
      expect(text(again.text)).not.to.contain('Criminal law');
    } finally {
      await close('LAW103', true);
      await close('LAW104', true);
    }
    // and back: the reopened course is offered again
    expect(codes((await c.get(`${url}?sort=code`)).text)).to.include('LAW103');
  });

  it('shows a seat taken by another student on the next load of a page already seen', async () => {
    const { session, file } = await studentAtChoice(t, 'Jonas Berg');
    const c = t.client({ session });
    const url = `/mobility/me/${file.id}/courses`;
    const version = Number(/name="version" value="(\d+)"/.exec((await c.get(url)).text)?.[1]);
    expect((await c.post(`${url}/add`, { code: 'SEAT1', version: String(version) })).status).to.equal(303);
    const noSeat = 'SEAT1 – Legal clinic has no seats left for exchange students';
    // seen twice with the seat free: the second answer may come from memory
    for (let i = 0; i < 2; i++) expect(text((await c.get(url)).text)).not.to.contain(noSeat);

    // the only seat goes to another student (what a referent's approval of their choice writes)
    const counter = { institution_id: t.institution.id, year: YEAR, code: 'SEAT1' };
    await t.knex('course_picker_seats').insert({ ...counter, taken: 1 }).onConflict(['institution_id', 'year', 'code']).merge({ taken: 1 });
    try {
      expect(text((await c.get(url)).text)).to.contain(noSeat);
    } finally {
      await t.knex('course_picker_seats').where(counter).update({ taken: 0 });
    }
    expect(text((await c.get(url)).text)).not.to.contain(noSeat);
  });
});
