// Two platforms in one process (as the test suite runs them, or a host serving several databases):
// each has institution 1 and catalogue generations counted from the same start, so the picker's
// in-memory caches (results, counts, filter options, elements, views) must be kept per database —
// a student of one must never be shown the other's catalogue.
import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { catalogueService } from '@smile/plugin-catalogue';
import { boot, seedCatalogue, studentAtChoice, text, YEAR } from './support.js';

describe('course-picker: caches kept per database', function () {
  this.timeout(120_000);
  const platforms: TestPlatform[] = [];
  after(async () => {
    for (const t of platforms) await t.stop();
  });

  const codes = (html: string) => [...html.matchAll(/<span class="cp-code">([A-Z0-9]+)<\/span>/g)].map((m) => m[1]);

  it('shows each platform its own catalogue under the same institution id, year and generation', async () => {
    const law = await boot();
    platforms.push(law);
    await seedCatalogue(law);
    const music = await boot();
    platforms.push(music);
    // the same component codes as the law catalogue, other elements
    const report = await music.resolve(catalogueService).importBatch({ institutionId: music.institution.id, label: 'test' }, YEAR, {
      components: [{ code: 'LAW', nameFr: 'Conservatoire', nameEn: 'Conservatory' }, { code: 'ECO', nameFr: 'Faculté d’économie', nameEn: 'Faculty of Economics' }],
      formations: [{ code: 'L3LAW', nameFr: 'Licence 3 Musique', nameEn: 'Bachelor 3 Music', componentCode: 'LAW', level: 3 }],
      elements: ['MUS101', 'MUS102', 'MUS103'].map((code, i) => ({ code, titleFr: `Harmonie ${i + 1}`, titleEn: `Harmony ${i + 1}`, ects: 6, semester: 'S1', languages: ['fr'], componentCode: 'LAW' })),
      links: ['MUS101', 'MUS102', 'MUS103'].map((c) => ({ formationCode: 'L3LAW', childCode: c })),
    }, { source: 'test' });
    if (!report.ok) throw new Error(JSON.stringify(report.errors));
    expect(music.institution.id).to.equal(law.institution.id);
    const generation = async (t: TestPlatform) => (await t.knex('catalogue_generations').where({ institution_id: t.institution.id }).first())?.generation;
    // counters that happen to agree (here made to): the keys of both databases' caches are then the same
    await music.knex('catalogue_generations').where({ institution_id: music.institution.id }).update({ generation: await generation(law) });
    expect(Number(await generation(music))).to.equal(Number(await generation(law)));

    const lawStudent = await studentAtChoice(law, 'Ana Law');
    const musicStudent = await studentAtChoice(music, 'Mo Music');
    expect(musicStudent.file.id).to.equal(lawStudent.file.id);
    const url = (id: number) => `/mobility/me/${id}/courses?sort=code`;
    // the law page first: its results, filters and views are in memory when the music student comes
    const lawPage = (await law.client({ session: lawStudent.session }).get(url(lawStudent.file.id))).text;
    expect(codes(lawPage)).to.include('LAW101');
    const musicPage = (await music.client({ session: musicStudent.session }).get(url(musicStudent.file.id))).text;
    expect(codes(musicPage)).to.include.members(['MUS101', 'MUS102', 'MUS103']);
    expect(codes(musicPage)).not.to.include('LAW101');
    expect(text(musicPage)).to.contain('Conservatory').and.not.to.contain('Law faculty');
  });
});
