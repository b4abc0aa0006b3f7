import { expect } from 'chai';
import { decode, detectDelimiter, readCsv } from './csv.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('the CSV reader (readCsv)', () => {
  it('reads quoted fields holding the delimiter, doubled quotes and line breaks, and keeps each record’s first line', () => {
    const t = readCsv(utf8('code,libelle,description\n"A1","Économie, gestion","Il a dit ""bonjour""\net puis\nrien"\nA2,Droit,court\n'));
    expect(t.delimiter).to.equal(',');
    expect(t.header).to.deep.equal(['code', 'libelle', 'description']);
    expect(t.records).to.deep.equal([
      { line: 2, fields: ['A1', 'Économie, gestion', 'Il a dit "bonjour"\net puis\nrien'] },
      { line: 5, fields: ['A2', 'Droit', 'court'] },
    ]);
    expect(t.problems).to.deep.equal([]);
  });

  it('detects the semicolon of French exports, outside quotes, and reads decimal commas as text', () => {
    const t = readCsv(utf8('code;libelle;ects\nA1;Droit;2,5\n'));
    expect(detectDelimiter('"a;b;c",d;e\n')).to.equal(';');
    expect(detectDelimiter('a,b;c,d\n')).to.equal(',');
    expect(detectDelimiter('a\tb\tc\n')).to.equal('\t');
    expect(detectDelimiter('code\n')).to.equal(',');
    expect(t.delimiter).to.equal(';');
    expect(t.records[0]!.fields).to.deep.equal(['A1', 'Droit', '2,5']);
  });

  it('takes the BOM off UTF-8 files and says so', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('code;libelle\r\nA1;Économie\r\n')]);
    const t = readCsv(bytes);
    expect(t.encoding).to.equal('utf-8-bom');
    expect(t.header[0]).to.equal('code');
    expect(t.records[0]!.fields[1]).to.equal('Économie');
  });

  it('decodes Windows-1252 bytes (invalid UTF-8): “Économie” stays “Économie”', () => {
    // É = 0xC9, é = 0xE9, ’ = 0x92 in Windows-1252
    const bytes = new Uint8Array([...utf8('code;libelle\r\nA1;'), 0xc9, ...utf8('conomie de l'), 0x92, ...utf8('entreprise;'), 0xe9, 0x0d, 0x0a]);
    const t = readCsv(bytes);
    expect(t.encoding).to.equal('windows-1252');
    expect(t.records[0]!.fields).to.deep.equal(['A1', 'Économie de l’entreprise', 'é']);
    expect(decode(utf8('Économie')).encoding).to.equal('utf-8');
  });

  it('accepts CRLF, LF and CR line ends, skips blank lines and trailing empty fields', () => {
    const t = readCsv(utf8('code;libelle;\r\nA1;Droit;\r\n\r\nA2;Lettres\rA3;Arts\n;;\n'));
    expect(t.header).to.deep.equal(['code', 'libelle']);
    expect(t.records.map((r) => [r.line, ...r.fields])).to.deep.equal([[2, 'A1', 'Droit'], [4, 'A2', 'Lettres'], [5, 'A3', 'Arts']]);
    expect(t.problems).to.deep.equal([]);
  });

  it('reports a row with the wrong number of fields on its line', () => {
    const t = readCsv(utf8('code;libelle;ects\nA1;Droit;6\n"A2";"Deux\nlignes";3;extra\nA3;Trois\n'));
    expect(t.problems).to.deep.equal([
      { line: 3, kind: 'field-count', expected: 3, found: 4 },
      { line: 5, kind: 'field-count', expected: 3, found: 2 },
    ]);
  });

  it('reports a quote that is never closed on the line it opened', () => {
    const t = readCsv(utf8('code;libelle\nA1;Droit\nA2;"Lettres\nA3;Arts\n'));
    expect(t.problems).to.deep.equal([{ line: 3, kind: 'unterminated-quote' }]);
  });

  it('reads a file without a final line break, and an empty file', () => {
    expect(readCsv(utf8('code,libelle\nA1,Droit')).records).to.deep.equal([{ line: 2, fields: ['A1', 'Droit'] }]);
    expect(readCsv(new Uint8Array()).header).to.deep.equal([]);
  });
});
