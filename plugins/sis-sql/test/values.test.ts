// How the connector reads the values SIS views hold (no database needed).
import { expect } from 'chai';
import { settingsSchema } from '../src/settings.js';
import { redact } from '../src/source.js';
import { readValue } from '../src/values.js';

const value = (type: Parameters<typeof readValue>[0], v: unknown) => {
  const r = readValue(type, v);
  return r.ok ? r.value : `error:${r.reason}${r.slot ? `#${r.slot}` : ''}`;
};

describe('sis-sql: reading values', () => {
  it('reads numbers as drivers and French spreadsheets give them', () => {
    expect(['6.00', '4,5', ' 3 ', 6, 7n, '', null].map((v) => value('number', v))).to.deep.equal([6, 4.5, 3, 6, 7, null, null]);
    expect(value('number', 'six')).to.equal('error:number');
    expect(value('number', '-3')).to.equal(-3);
  });

  it('reads Apogée flags and other yes/no forms', () => {
    expect(['O', 'N', 'oui', 'non', 'Y', 't', 'false', 1, 0, true, null].map((v) => value('boolean', v))).to.deep.equal([true, false, true, false, true, true, false, true, false, true, null]);
    expect(value('boolean', 'peut-être')).to.equal('error:boolean');
  });

  it('reads semesters, numbered across the degree or not', () => {
    expect(['S1', 's2', '1', 'S3', 'S5', 'S6', 'S10', 'AN', 'annuel', 'S1-S2', null].map((v) => value('semester', v))).to.deep.equal(['S1', 'S2', 'S1', 'S1', 'S1', 'S2', 'S2', 'annual', 'annual', 'annual', null]);
    expect(value('semester', 'S13')).to.equal('error:semester');
    expect(value('semester', 'P1')).to.equal('error:semester');
  });

  it('reads languages from arrays or text, ISO 639-2 and regional codes included', () => {
    expect(value('languages', 'fr,en')).to.deep.equal(['fr', 'en']);
    expect(value('languages', ['FRA', 'eng', 'fr-FR'])).to.deep.equal(['fr', 'en']);
    expect(value('languages', 'es; de')).to.deep.equal(['es', 'de']);
    expect(value('languages', null)).to.deep.equal([]);
    expect(value('languages', 'français')).to.equal('error:languages');
  });

  it('reads lists, exchange types, ISCED codes that lost their leading zero', () => {
    expect(value('list', 'Analyser des données ; Rédiger une synthèse')).to.deep.equal(['Analyser des données', 'Rédiger une synthèse']);
    expect(value('codes', 'erasmus-studies, Bilateral')).to.deep.equal(['erasmus-studies', 'bilateral']);
    expect(value('codes', '')).to.equal(null);
    expect(value('isced', 311)).to.equal('0311');
    expect(value('isced', '0311')).to.equal('0311');
  });

  it('reads timetables and contacts as JSON lists, and says which slot is wrong', () => {
    expect(value('timetable', '[{"day": 1, "start": "8:30", "end": "10:30:00", "room": "A101"}]')).to.deep.equal([{ day: 1, start: '08:30', end: '10:30', room: 'A101' }]);
    expect(value('timetable', [{ day: 2, start: '14:00', end: '16:00' }, { day: 9, start: '8:00', end: '9:00' }])).to.equal('error:timetable#2');
    expect(value('timetable', 'lundi matin')).to.equal('error:json');
    expect(value('contacts', [{ role: 'RI', email: 'ri@univ.example' }])).to.deep.equal([{ role: 'RI', email: 'ri@univ.example' }]);
    expect(value('contacts', [{ email: 42 }])).to.equal('error:contacts#1');
  });

  it('keeps the connection string and its password out of messages', () => {
    const url = 'postgres://reader:p%40ss-w0rd@sis.example.org:5432/apogee';
    expect(redact(`cannot connect to ${url}: password p@ss-w0rd refused`, url)).to.equal('cannot connect to [redacted]: password [redacted] refused');
    expect(redact('error near {"password":"Secret-9"}', '{"host":"sis","password":"Secret-9"}')).to.equal('error near {"password":"[redacted]"}');
  });

  it('has settings that boot with nothing set, and refuses names that are not plain identifiers', () => {
    const s = settingsSchema.parse({});
    expect(s).to.deep.include({ client: 'pg', connection: null, elementsView: 'smile_elements', schedule: null, batchSize: 5000 });
    expect(settingsSchema.safeParse({ elementsView: 'x; drop table y' }).success).to.equal(false);
    expect(settingsSchema.safeParse({ client: 'excel' }).success).to.equal(false);
    expect(settingsSchema.safeParse({ schedule: '30 2 * * *' }).success).to.equal(true);
  });
});
