// Demo data of the course choice and the Learning Agreement: with the catalogue, mobility, the
// course picker and the agreements enabled, the demo has students at each stage, made by the
// plugins' own functions (so the rules hold and the signatures are bound to their versions).
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { laDocumentHash, type LaDocument } from '../src/model.js';

describe('learning agreement: demo data at every stage', function () {
  this.timeout(600_000);
  let t: TestPlatform;
  const fileOf = async (last: string) => t.knex('mobility_files').where({ institution_id: t.institution.id, last_name: last }).first();
  const itemsOf = async (fileId: number) => t.knex('course_picker_items as i').join('course_picker_choices as c', 'c.id', 'i.choice_id').where('c.file_id', fileId).select('i.*', 'c.submitted_at');

  before(async () => {
    t = await startTestPlatform({ plugins: ['catalogue', 'mobility', 'course-picker', 'learning-agreement'], demo: true });
  });
  after(async () => t?.stop());

  it('has draft choices, one waiting for the referent and one with a refused course, from open catalogue elements', async () => {
    for (const last of ['Østergaard', 'Novák']) {
      const f = await fileOf(last);
      expect(f.current_step, last).to.equal('course-selection');
      const items = await itemsOf(f.id);
      expect(items.length, `${last}: a draft`).to.be.greaterThan(0);
      expect(items.every((i: any) => i.decision === 'pending' && i.submitted_at === null)).to.equal(true);
    }
    const waiting = await fileOf('Dąbrowska');
    expect(waiting.current_step).to.equal('referent-approval');
    const submitted = await itemsOf(waiting.id);
    expect(submitted.every((i: any) => i.submitted_at !== null && i.decision === 'pending')).to.equal(true);
    // the rules hold: 30 ECTS in semester 1, all in the main component, each open to mobility
    expect(submitted.reduce((s: number, i: any) => s + Number(i.ects), 0)).to.equal(30);
    const component = (await t.knex('components').where({ id: waiting.component_id }).first()).code;
    expect(submitted.every((i: any) => i.component_code === component && i.semester === 'S1')).to.equal(true);
    const open = await t.knex('catalogue_elements').where({ institution_id: t.institution.id, year: waiting.academic_year, open_to_mobility: true }).whereIn('code', submitted.map((i: any) => i.code));
    expect(open).to.have.length(submitted.length);

    const refused = await fileOf('Åberg');
    expect(refused.current_step).to.equal('course-selection');
    const decisions = (await itemsOf(refused.id)).map((i: any) => i.decision);
    expect(decisions.filter((x: string) => x === 'refused')).to.have.length(1);
    expect(decisions.filter((x: string) => x === 'approved').length).to.be.greaterThan(0);
    const back = await t.knex('mobility_file_transitions').where({ file_id: refused.id, action: 'refuse' }).first().catch(() => null);
    if (back) expect(back.to_step).to.equal('course-selection');
  });

  it('has a Learning Agreement signed by the three parties, and one with a change proposal being signed', async () => {
    const signed = await t.knex('learning_agreements as a').join('mobility_files as f', 'f.id', 'a.file_id').where({ 'f.last_name': 'Şahin' }).first('a.*');
    expect(signed.state).to.equal('signed');
    expect(signed.choice_missing).to.equal(false);
    const [v1, v2] = await t.knex('la_versions').where({ agreement_id: signed.id }).orderBy('number');
    expect((v1.document as LaDocument).tables.studied.length).to.be.greaterThan(0);
    const sigs = await t.knex('la_signatures').where({ version_id: v2.id }).orderBy('signed_at');
    expect(sigs.map((s: any) => s.party)).to.deep.equal(['student', 'sending', 'receiving']);
    expect(sigs.every((s: any) => s.hash_signed === v2.hash && s.hash_signed === laDocumentHash(v2.document))).to.equal(true);
    expect(sigs[1].link_id, 'the coordinator signed through the mailed link').to.not.equal(null);

    const changed = await t.knex('learning_agreements as a').join('mobility_files as f', 'f.id', 'a.file_id').where({ 'f.last_name': 'Kovačević' }).first('a.*');
    const versions = await t.knex('la_versions').where({ agreement_id: changed.id }).orderBy('number');
    const last = versions.at(-1);
    expect(last.kind).to.equal('change');
    expect(changed.state).to.equal('signing');
    const proposal = await t.knex('la_change_proposals').where({ version_id: last.id }).first();
    const items = typeof proposal.items === 'string' ? JSON.parse(proposal.items) : proposal.items;
    expect(items.map((i: any) => [i.change, i.reason])).to.deep.include(['deleted', 'not-available']);
    expect((last.document as LaDocument).changes!.studied.map((c) => c.change)).to.include('deleted');
    expect((await t.knex('la_signatures').where({ version_id: last.id })).map((s: any) => s.party)).to.deep.equal(['student']);
    // the coordinator has a live link for the change
    const link = await t.knex('la_signing_links').where({ version_id: last.id }).whereNull('used_at').whereNull('revoked_at').first();
    expect(link?.party).to.equal('sending');
  });

  it('shows the demo student’s choice and agreement pages', async () => {
    const f = await fileOf('Şahin');
    const manager = t.client({ session: await t.signIn(['manager'], { displayName: 'Demo Manager' }), lang: 'en' });
    const a = await t.knex('learning_agreements').where({ file_id: f.id }).first();
    const page = await manager.get(`/learning-agreements/${a.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Şahin').and.contain('Zbigniew Świątek');
    const pdf = await manager.get(`/api/v1/learning-agreements/${a.id}.pdf?lang=en`);
    expect(pdf.status).to.equal(200);
  });
});
