import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { canonicalLaJson, laDocumentHash, type LaDocument } from '../src/model.js';
import { laDocDefinition, renderLaPdf } from '../src/pdf.js';
import { baseLa, laWithChanges, NAMES, sign, signedFirstVersion } from './fixtures/la-fixture.js';

const HAS_POPPLER = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).status === 0;
const work = mkdtempSync(path.join(tmpdir(), 'smile-la-pdf-'));
const screenshots = path.resolve(process.env.SMILE_SCREENSHOT_DIR ?? path.join('test-results', 'screenshots'));

function save(name: string, pdf: Buffer): string {
  const file = path.join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * Text of the PDF in content order with every blank removed: table cells wrap names and titles
 * onto several lines, so a needle is searched for without its blanks, letter by letter.
 */
function squeezedText(file: string): string {
  return run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']).replace(/\s+/g, '');
}
const squeeze = (s: string) => s.replace(/\s+/g, '');

/** Everything a reader must find in the Learning Agreement with changes. */
function expectedStrings(doc: LaDocument): string[] {
  const c = doc.changes!;
  const components = [...doc.tables.studied, ...doc.tables.recognised, ...doc.tables.virtual, ...c.studied, ...c.recognised, ...c.virtual];
  const signers = [...doc.signatures, ...doc.previousVersions![0]!.signatures].map((s) => s.name);
  return [
    ...components.flatMap((x) => [x.code!, x.title]),
    ...signers,
    ...Object.values(NAMES).map((n) => `${n.givenNames} ${n.familyName}`),
    laDocumentHash(doc),
    doc.previousVersions![0]!.hash,
  ];
}

describe('learning-agreement: PDF', function () {
  const files: Record<'fr' | 'en', string> = { fr: '', en: '' };
  const doc = laWithChanges();

  before(async function () {
    if (!HAS_POPPLER) {
      console.log('    pdftotext is not installed (Debian package poppler-utils): PDF checks skipped');
      this.skip();
    }
    files.fr = save('la-fr', await renderLaPdf(doc, 'fr'));
    files.en = save('la-en', await renderLaPdf(doc, 'en'));
    // A page image for whoever reviews the layout (not asserted).
    mkdirSync(screenshots, { recursive: true });
    spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '3', files.fr, path.join(screenshots, 'learning-agreement-fr')]);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  for (const lang of ['fr', 'en'] as const) {
    it(`${lang}: shows every component code and title, every name, every signer and the hashes`, () => {
      const text = squeezedText(files[lang]);
      const missing = expectedStrings(doc).filter((s) => !text.includes(squeeze(s)));
      expect(missing).to.deep.equal([]);
    });
  }

  it('section titles, signature states and page numbers are in the language asked for', () => {
    const fr = squeezedText(files.fr);
    const en = squeezedText(files.en);
    const frTitles = ['Contrat d’études', 'Avant la mobilité', 'Pendant la mobilité', 'Tableau A —', 'Tableau B —', 'Tableau C —', 'Tableau A2', 'Tableau B2', 'Tableau C2', 'Engagement', 'Établissement d’envoi', 'Signé sur papier', 'Signé électroniquement', 'Page 1 sur 3', 'Remplacement d’une composante supprimée'];
    const enTitles = ['Learning Agreement for Studies', 'Before the mobility', 'During the mobility', 'Table A —', 'Table B —', 'Table C —', 'Table A2', 'Table B2', 'Table C2', 'Commitment', 'Sending institution', 'Signed on paper', 'Signed electronically', 'Page 1 of 3', 'Substituting a deleted component'];
    expect(frTitles.filter((t) => !fr.includes(squeeze(t))), 'missing in French').to.deep.equal([]);
    expect(enTitles.filter((t) => !en.includes(squeeze(t))), 'missing in English').to.deep.equal([]);
    expect(enTitles.filter((t) => fr.includes(squeeze(t))), 'English in the French PDF').to.deep.equal([]);
    expect(frTitles.filter((t) => en.includes(squeeze(t))), 'French in the English PDF').to.deep.equal([]);
  });

  it('shows the ECTS totals of Tables A, B and C, and the reason given for an "other" change', () => {
    const en = run('pdftotext', ['-raw', '-enc', 'UTF-8', files.en, '-']);
    expect(en.match(/^Total (\S+)$/gm)).to.deep.equal(['Total 30', 'Total 30', 'Total 2']);
    expect(squeeze(en)).to.contain(squeeze('4. Other — Cours fusionné avec « HU-NYE-121 »'));
  });

  it('embeds only DejaVu fonts', () => {
    const rows = run('pdffonts', [files.fr]).trim().split('\n').slice(2);
    expect(rows.length).to.be.greaterThan(0);
    for (const row of rows) {
      expect(row, row).to.match(/^[A-Z]{6}\+DejaVuSans(-Bold|-Oblique|-BoldOblique)?\s/);
      expect(row.split(/\s+/).slice(-5, -2), row).to.deep.equal(['yes', 'yes', 'yes']);
    }
  });

  it('a party that has not signed is shown as awaited, with the person expected to sign', async () => {
    const first = baseLa();
    first.signatures = [sign(first, 'student', '2025-06-02T09:15:00Z'), sign(first, 'sending', '2025-06-03T09:30:00Z')];
    const text = squeezedText(save('pending', await renderLaPdf(first, 'en')));
    expect(text).to.contain(squeeze('Responsible person at the receiving institution Ödön Őrs Kővári Responsable des relations internationales odon.kovari@univ-demo.example.fr Not signed yet'));
    expect(text, 'no changes section for a first version').to.not.contain(squeeze('During the mobility'));
  });

  it('says "not known yet" for a study level and a language level still missing', async () => {
    const doc = baseLa();
    doc.eqfLevel = null;
    doc.languageOfInstruction.cefrLevel = null;
    const text = squeezedText(save('unknown-levels', await renderLaPdf(doc, 'en')));
    expect(text).to.contain(squeeze('Study cycle not known yet'));
    expect(text).to.not.contain(squeeze('EQF level 0'));
  });

  it('a signature given to another version of the document is flagged', async () => {
    const first = signedFirstVersion();
    first.tables.studied[1]!.ects = 6; // changed after the parties signed
    const text = squeezedText(save('tampered', await renderLaPdf(first, 'fr')));
    expect(text.split(squeeze('Cette signature a été donnée à une autre version du document.')).length - 1).to.equal(3);
    const intact = squeezedText(save('intact', await renderLaPdf(signedFirstVersion(), 'fr')));
    expect(intact).to.not.contain(squeeze('une autre version du document'));
  });

  it('documents rendered at the same time (sharing the decoded fonts) come out whole', async () => {
    const pdfs = await Promise.all([renderLaPdf(doc, 'fr'), renderLaPdf(baseLa(), 'en'), renderLaPdf(doc, 'en')]);
    const texts = pdfs.map((p, i) => squeezedText(save(`concurrent-${i}`, p)));
    expect(texts[0]).to.equal(squeezedText(files.fr));
    expect(texts[2]).to.equal(squeezedText(files.en));
    expect(texts[1]).to.contain(squeeze('Wójcik-Łódź'));
  });

  it('renders without a logo, and leaves out a logo that is neither PNG nor JPEG', async () => {
    const noLogo = signedFirstVersion();
    delete noLogo.branding.logo;
    const gif = signedFirstVersion();
    gif.branding.logo = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    for (const d of [noLogo, gif]) expect(squeezedText(save('logo', await renderLaPdf(d, 'en')))).to.contain(squeeze('Université de démonstration'));
    expect(JSON.stringify(laDocDefinition(gif, 'en').content)).to.not.contain('data:image');
  });
});

describe('learning-agreement: document hash', () => {
  it('is the SHA-256 of the canonical JSON, which has sorted keys and no signatures, history or branding', () => {
    const doc = laWithChanges();
    expect(laDocumentHash(doc)).to.match(/^[0-9a-f]{64}$/);
    const json = canonicalLaJson(doc);
    expect(json).to.not.contain('hashSigned').and.not.contain('previousVersions').and.not.contain('branding');
    expect(json.startsWith('{"academicYear":"2025/2026","changes":{')).to.equal(true);
    expect(json).to.contain('"scheme":"smile-la-v1"');
  });

  it('does not change with key order, signatures, branding, null-for-missing or Unicode normal form', () => {
    const doc = baseLa();
    const hash = laDocumentHash(doc);
    const shuffled = Object.fromEntries(Object.entries(doc).reverse()) as unknown as LaDocument;
    expect(laDocumentHash(shuffled)).to.equal(hash);
    expect(laDocumentHash(signedFirstVersion())).to.equal(hash);
    expect(laDocumentHash({ ...doc, branding: { institutionName: 'Autre', colour: '#000000' } })).to.equal(hash);
    const withNull = baseLa();
    (withNull.student as { esi?: string | null }).esi = null;
    const withoutEsi = baseLa();
    delete withoutEsi.student.esi;
    expect(laDocumentHash(withNull)).to.equal(laDocumentHash(withoutEsi));
    const nfd = baseLa();
    nfd.student.familyName = nfd.student.familyName.normalize('NFD');
    expect(nfd.student.familyName).to.not.equal(doc.student.familyName);
    expect(laDocumentHash(nfd)).to.equal(hash);
  });

  it('changes with anything agreed: credits, component order, dates, version', () => {
    const hash = laDocumentHash(baseLa());
    const credits = baseLa();
    credits.tables.studied[0]!.ects = 5;
    const order = baseLa();
    order.tables.studied.reverse();
    const dates = baseLa();
    dates.mobility.end = '2026-02-28';
    const version = baseLa();
    version.version = 2;
    const hashes = [credits, order, dates, version].map(laDocumentHash);
    expect(hashes.filter((h) => h === hash)).to.deep.equal([]);
    expect(new Set(hashes).size).to.equal(4);
  });
});
