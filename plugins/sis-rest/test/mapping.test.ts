import { expect } from 'chai';
import { secretKeys } from '@smile/sdk';
import type { Institution } from '@smile/sdk';
import { restConnector } from '../src/connector.js';
import plugin from '../src/index.js';
import { mapItem, type Fields } from '../src/mapping.js';
import { compilePath, evaluate, itemsOf } from '../src/path.js';
import { PEGASE_ENDPOINTS, settingsSchema } from '../src/settings.js';
import { pegaseOffer } from './pegase-stand-in.js';

const values = (path: string, data: unknown) => evaluate(path, data).map((m) => m.value);

describe('sis-rest: the mapping paths', () => {
  const item = {
    code: 'ECO5-MIC',
    libelle: 'Microéconomie',
    libelles: [{ langue: 'fr', valeur: 'Microéconomie approfondie' }, { langue: 'EN', valeur: 'Advanced microeconomics' }],
    langues: [{ code: 'fr' }, { code: 'en' }],
    periode: { code: 'S1' },
    meta: { 'nom composé': 1 },
  };

  it('reads names, indexes, wildcards, filters and the first alternative that gives a value', () => {
    expect(values('code', item)).to.deep.equal(['ECO5-MIC']);
    expect(values('$.periode.code', item)).to.deep.equal(['S1']);
    expect(values('libelles[langue=fr].valeur', item)).to.deep.equal(['Microéconomie approfondie']);
    expect(values("libelles[langue='en'].valeur", item), 'filters ignore case').to.deep.equal(['Advanced microeconomics']);
    expect(values('libelles[langue!=fr].valeur', item)).to.deep.equal(['Advanced microeconomics']);
    expect(values('langues[*].code', item)).to.deep.equal(['fr', 'en']);
    expect(values('langues.code', item), 'a name on a list reads every item').to.deep.equal(['fr', 'en']);
    expect(values('langues[-1].code', item)).to.deep.equal(['en']);
    expect(values("meta['nom composé']", item)).to.deep.equal([1]);
    expect(values('libelles[langue=es].valeur | libelle', item)).to.deep.equal(['Microéconomie']);
    expect(values('nothing.here', item)).to.deep.equal([]);
  });

  it('goes down a tree with .. and back up with ^', () => {
    const tree = { code: 'L3', enfants: [{ code: 'UE1', enfants: [{ code: 'EC1' }, { code: 'EC2' }] }] };
    expect(values('..code', tree)).to.deep.equal(['L3', 'UE1', 'EC1', 'EC2']);
    const ecs = evaluate('enfants[*].enfants[*]', tree);
    expect(ecs.map((m) => evaluate('^.code', m.value, m.parents)[0]!.value)).to.deep.equal(['UE1', 'UE1']);
    expect(evaluate('^.^.code', ecs[0]!.value, ecs[0]!.parents)[0]!.value).to.equal('L3');
  });

  it('finds the items of a page, an empty page, and says when the page has no list at all', () => {
    const body = { items: [{ code: 'A', contextes: [{ formation: 'F1' }, { formation: 'F2' }] }, { code: 'B', contextes: [] }] };
    expect(itemsOf('$.items[*]', body).items.map((m) => (m.value as { code: string }).code)).to.deep.equal(['A', 'B']);
    expect(itemsOf('items', body).list).to.have.length(2);
    const links = itemsOf('$.items[*].contextes[*]', body);
    expect(links.list, 'the page list drives paging, not the links found in it').to.have.length(2);
    expect(links.items.map((m) => evaluate('^.code', m.value, m.parents)[0]!.value)).to.deep.equal(['A', 'A']);
    expect(itemsOf('$.items[*]', { items: [] })).to.deep.equal({ items: [], list: [] });
    expect(itemsOf('$.items[*]', { content: [] }).list).to.equal(null);
    expect(itemsOf('$.data.list', { data: { list: [{ a: 1 }] } }).items).to.have.length(1);
  });

  it('refuses a path it cannot read, saying where', () => {
    expect(() => compilePath('libelles[langue=fr.valeur')).to.throw(/"\]" is missing/);
    expect(() => compilePath('a..')).to.throw(/character 4: a name is expected/);
    expect(() => compilePath('a[?(@.x)]')).to.throw(/inside \[\]/);
    expect(() => compilePath('')).to.throw(/empty/);
  });
});

describe('sis-rest: mapping items to catalogue records', () => {
  const elements = PEGASE_ENDPOINTS.elements.fields as unknown as Fields;
  const origin = { entity: 'elements' as const, index: 7, page: 2 };

  it('maps a Pégase-like element with the default mapping: both languages, ECTS written 3,0, semesters, languages', () => {
    const offer = pegaseOffer();
    const sta = offer.objets.find((o) => o.code === 'ECO5-STA')!;
    const { record, errors } = mapItem({ value: sta, parents: [] }, elements, origin);
    expect(errors).to.deep.equal([]);
    expect(record).to.deep.include({ code: 'ECO5-STA', kind: 'EC', titleFr: 'Statistique inférentielle', titleEn: 'Inferential statistics', ects: 3, semester: 'S1', languages: ['fr'], componentCode: 'UFR-ECO', openToMobility: true, hours: 36, line: 7 });
    const his = offer.objets.find((o) => o.code === 'HIS-EUR')!;
    expect(mapItem({ value: his, parents: [] }, elements, origin).record).to.deep.include({ semester: 'annual', titleEn: 'Economic history of Europe' });
    const mic = offer.objets.find((o) => o.code === 'ECO5-MIC')!;
    expect(mapItem({ value: mic, parents: [] }, elements, origin).record).to.deep.include({ descriptionEn: 'Consumer and producer theory, general equilibrium.' });
  });

  it('translates codes with map, takes constants, and fills diploma type names', () => {
    const fields: Fields = { code: 'id', titleFr: 'nom', semester: { path: 'sem', map: { P: 'S1', A: 'S2' } }, kind: { value: 'module' }, languages: { path: 'lang', map: { FRA: 'fr', ANG: 'en' } } };
    const { record } = mapItem({ value: { id: 'X1', nom: 'Droit des contrats', sem: 'A', lang: 'FRA,ANG' }, parents: [] }, fields, origin);
    expect(record).to.deep.include({ code: 'X1', semester: 'S2', kind: 'module', languages: ['fr', 'en'] });
    const f = mapItem({ value: { code: 'L1', nom: 'Licence 1 Droit', type: { code: 'LIC', libelle: 'Licence', label: 'Bachelor' }, cite: 380 }, parents: [] },
      { code: 'code', nameFr: 'nom', diplomaType: 'type.code', diplomaTypeNameFr: 'type.libelle', diplomaTypeNameEn: 'type.label', isced: 'cite' }, { entity: 'formations', index: 1, page: 1 });
    expect(f.record).to.deep.include({ diplomaType: 'LIC', diplomaTypeName: { fr: 'Licence', en: 'Bachelor' }, isced: '0380' });
  });

  it('reports what it cannot read with the endpoint, the record number and the page, in both languages', () => {
    const { record, errors } = mapItem({ value: { code: 'BAD-1', libelle: 'Cours', creditsEcts: 'six', periode: { code: 'T3' }, ouvertMobiliteEntrante: 'peut-être' }, parents: [] }, elements, origin);
    expect(record).to.equal(null);
    expect(errors.map((e) => [e.entity, e.line, e.code, e.field])).to.deep.equal([
      ['element', 7, 'BAD-1', 'ects'],
      ['element', 7, 'BAD-1', 'semester'],
      ['element', 7, 'BAD-1', 'openToMobility'],
    ]);
    expect(errors[0]!.message.en).to.equal('elements, record 7 (page 2): ects must be a number (read: six)');
    expect(errors[0]!.message.fr).to.equal('elements, enregistrement 7 (page 2) : ects doit être un nombre (lu : six)');
    const missing = mapItem({ value: { libelle: 'Sans code' }, parents: [] }, elements, origin);
    expect(missing.errors.map((e) => e.field)).to.deep.equal(['code']);
    expect(missing.errors[0]!.message.en).to.match(/code is missing/);
  });
});

describe('sis-rest: settings', () => {
  it('boots with no configuration (not configured), keeps the auth header secret, and refuses a bad mapping', () => {
    const defaults = settingsSchema.parse({});
    expect(defaults.baseUrl).to.equal('');
    expect(defaults.endpoints.elements.paging).to.deep.include({ style: 'page', sizeParam: 'taille' });
    expect(secretKeys(plugin.settings)).to.deep.equal(['authHeader']);
    const bad = settingsSchema.safeParse({ endpoints: { elements: { path: '/x', fields: { code: 'code', titleFr: 'libelles[langue=fr' } } } });
    expect(bad.success).to.equal(false);
    expect(bad.error!.issues[0]!.path.join('.')).to.equal('endpoints.elements.fields.titleFr');
    const noCode = settingsSchema.safeParse({ endpoints: { elements: { path: '/x', fields: { titleFr: 'libelle' } } } });
    expect(noCode.error!.issues[0]!.message).to.match(/must give code/);
    expect(settingsSchema.safeParse({ baseUrl: 'ftp://x' }).success).to.equal(false);
    expect(settingsSchema.safeParse({ schedule: 'tous les jours' }).success).to.equal(false);
    const one = settingsSchema.parse({ endpoints: { elements: { path: '/cours', fields: { code: 'id', titleFr: 'nom' } }, links: null } });
    expect(one.endpoints.formations, 'endpoints not given keep their default').to.deep.equal(PEGASE_ENDPOINTS.formations);
    expect(one.endpoints.links).to.equal(null);
  });

  it('is configured once baseUrl is set, and gives the catalogue its schedule', () => {
    const inst = { id: 1, code: 'univ-test' } as Institution;
    const unset = restConnector(() => settingsSchema.parse({}));
    expect(unset).to.deep.include({ id: 'sis-rest', mode: 'pull', label: { fr: 'API REST (type Pégase)', en: 'REST API (Pégase-style)' } });
    expect(unset.configured(inst)).to.equal(false);
    expect(unset.schedule!(inst)).to.equal(null);
    const set = restConnector(() => settingsSchema.parse({ baseUrl: 'https://pegase.univ.example/api/odf/v1', schedule: '30 5 * * *' }));
    expect(set.configured(inst)).to.equal(true);
    expect(set.schedule!(inst)).to.equal('30 5 * * *');
  });
});
