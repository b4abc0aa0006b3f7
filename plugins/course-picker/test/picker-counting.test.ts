// How the pages say a course counts when the ECTS bar counts it through its UE (`implied-parent`):
// the student sees why the bar moves by more than the course's ECTS, on her page and the referent's,
// in English and French; a UE chosen with its ECs says what it includes.
import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { mobilityService, type MobilityFile } from '@smile/plugin-mobility';
import { importHierarchy } from './hierarchy-fixture.js';
import { boot, text, YEAR } from './support.js';

describe('course-picker: how a course counts, as the pages say it', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  before(async () => {
    t = await boot();
    await importHierarchy(t, YEAR);
  });
  after(async () => t?.stop());

  /** A student of the public law faculty with a first-semester file at the choice step. */
  async function student(name: string): Promise<{ session: Awaited<ReturnType<TestPlatform['signIn']>>; file: MobilityFile }> {
    const session = await t.signIn(['student'], { displayName: name });
    const component = (await t.knex('components').where({ institution_id: t.institution.id, code: 'PUB' }).first()).id;
    const [firstName, lastName] = name.split(' ') as [string, string];
    const store = t.resolve(mobilityService);
    const system = { institutionId: t.institution.id, label: 'system' };
    const created = await store.createFile(system, {
      firstName, lastName, exchangeType: 'first-semester', academicYear: YEAR, personId: session.personId, componentId: component,
      approvalComponents: ['PUB'], language: 'en', birthDate: '2002-01-02', nationality: 'PT', gender: 'male', email: `${firstName.toLowerCase()}@example.org`,
      homeAddress: { street: 'Rua Augusta', number: '3', city: 'Lisboa', country: 'PT' },
    });
    for (const stepKey of ['pre-registration', 'office-validation']) await store.transition(system, created.id, { stepKey, action: 'validate' }, undefined, { system: true });
    return { session, file: (await store.file(t.institution.id, created.id))! };
  }

  /** The text of the course card of `code` on a page. */
  const card = (html: string, code: string): string => {
    const m = new RegExp(`<li class="cp-item[^"]*"[^>]*>(?:(?!</li>)[\\s\\S])*?<span class="cp-code">${code}</span>[\\s\\S]*?</li>`).exec(html);
    expect(m, `the card of ${code}`).to.not.equal(null);
    return text(m![0]);
  };
  const bar = (html: string) => Number(/(\d+(?:\.\d+)?) \/ 30 ECTS/.exec(text(html))?.[1]);

  it('says that an EC counts as its UE, alone and with the other chosen ECs, and what a chosen UE includes', async () => {
    const { session, file } = await student('Rui Costa');
    const c = t.client({ session });
    const url = `/mobility/me/${file.id}/courses`;
    const add = async (code: string) => {
      const version = Number(/name="version" value="(\d+)"/.exec((await c.get(url)).text)?.[1]);
      expect((await c.post(`${url}/add`, { code, version: String(version) })).status).to.equal(303);
      return c.get(url);
    };

    // a 4-ECTS EC moves the bar by its UE's 12: the card says why
    let page = await add('EC1A');
    expect(bar(page.text)).to.equal(12);
    expect(card(page.text, 'EC1A')).to.contain('4 ECTS')
      .and.contain("Counts as its teaching unit UE1 – General public law (12 ECTS): the totals count the unit's credits, once.");

    // a second EC of the same UE adds nothing: both cards name the other
    page = await add('EC1B');
    expect(bar(page.text)).to.equal(12);
    expect(card(page.text, 'EC1A')).to.contain("Counts as its teaching unit UE1 – General public law (12 ECTS) with EC1B – Administrative litigation: the totals count the unit's credits, once for all of them.");
    expect(card(page.text, 'EC1B')).to.contain('with EC1A – Fundamental freedoms');

    // a UE chosen with one of its ECs: the UE says what it includes, the EC that it adds nothing
    await add('UE2');
    page = await add('EC2A');
    expect(bar(page.text)).to.equal(22);
    expect(card(page.text, 'UE2')).to.contain("Includes EC2A – Water law, also in the choice: it counts once, within this unit's 10 ECTS.");
    expect(card(page.text, 'EC2A')).to.contain('Already counted in UE2 – Environmental law (10 ECTS): it adds nothing to the totals.');

    // a course that counts for itself says nothing of the kind
    page = await add('PUB101');
    expect(card(page.text, 'PUB101')).not.to.match(/Counts as|Already counted|Includes/);
    // the component is named, not coded
    expect(card(page.text, 'PUB101')).to.contain('Public law faculty');
    expect(text(page.text)).to.contain('come from your main component Public law faculty');

    const fr = await t.client({ session, lang: 'fr' }).get(`${url}?lang=fr`);
    expect(card(fr.text, 'EC1A')).to.contain("Compté dans son UE UE1 – Droit public général (12 ECTS) avec EC1B – Contentieux administratif : les totaux comptent les crédits de l'UE, une seule fois pour l'ensemble.");
    expect(card(fr.text, 'EC2A')).to.contain("Déjà compté dans UE2 – Droit de l’environnement (10 ECTS) : il n'ajoute rien aux totaux.");
    expect(text(fr.text)).to.contain('viennent de votre composante principale Faculté de droit public');

    // the referent reads the same counting, and the component's name in the group heading
    const referent = t.client({ session: await t.signIn([{ role: 'referent', components: ['PUB'] }]) });
    const seen = await referent.get(`/mobility/files/${file.id}/courses`);
    expect(seen.status).to.equal(200);
    expect(card(seen.text, 'EC1B')).to.contain('Counts as its teaching unit UE1 – General public law (12 ECTS) with EC1A – Fundamental freedoms');
    expect(card(seen.text, 'EC2A')).to.contain('Already counted in UE2 – Environmental law (10 ECTS)');
    expect(text(seen.text)).to.contain('Public law faculty: courses its referents decide on').and.not.to.contain('component PUB');
  });
});
