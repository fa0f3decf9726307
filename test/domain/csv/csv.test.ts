import { describe, expect, it } from 'vitest';
import { csvFile, headerKey, neutraliseFormula, parseCsv, restoreNeutralised, toCsv } from '../../../src/domain/csv/csv';

describe('csv', () => {
  it('GIVEN cells a spreadsheet would run as formulas THEN they are written as text, numbers stay numbers', () => {
    const file = toCsv(['name', 'note', 'amount'], [
      ['=HYPERLINK("http://evil","x")', '+33 6 12 34 56 78', -5],
      ['@SUM(A1)', '-2+3', 12.5],
      ['\tTab', 'plain', null],
    ]);
    expect(file).toBe(
      '\uFEFFname,note,amount\r\n' +
        `"'=HYPERLINK(""http://evil"",""x"")",'+33 6 12 34 56 78,-5\r\n` +
        "'@SUM(A1),'-2+3,12.5\r\n" +
        "'\tTab,plain,\r\n",
    );
  });

  it('GIVEN rows that come one at a time (an export cursor), more than one slice of them THEN the file is byte for byte the one toCsv writes, and the rows are counted', async () => {
    const rows = Array.from({ length: 2503 }, (_, i): Array<string | number | null | Date | boolean> => [`Zoë ${i}`, i % 7 === 0 ? '=1+1' : 'a,"b"\nc', i - 1000, i % 2 === 0 ? null : true, new Date(Date.UTC(2026, 0, 1 + (i % 28)))]);
    async function* cursor() {
      for (const row of rows) yield row;
    }
    const streamed = await csvFile(['name', 'note', 'n', 'flag', 'at'], cursor());
    expect([streamed.rows, Buffer.from(streamed.bytes).toString('utf8') === toCsv(['name', 'note', 'n', 'flag', 'at'], rows)]).toEqual([2503, true]);
    expect(await csvFile(['only', 'header'], [])).toEqual({ bytes: Buffer.from('\uFEFFonly,header\r\n', 'utf8'), rows: 0 });
  });

  it('GIVEN a file we exported THEN it parses back to the stored values', () => {
    const file = toCsv(['name', 'phone', 'notes'], [['Zoë Tran', '+33 6 12', 'line one\nline "two", three']]);
    const parsed = parseCsv(Buffer.from(file, 'utf8'));
    expect(parsed).toEqual({
      ok: true,
      table: { header: ['name', 'phone', 'notes'], delimiter: ',', rows: [{ row: 2, cells: ['Zoë Tran', '+33 6 12', 'line one\nline "two", three'] }] },
    });
  });

  it('GIVEN a semicolon file with ragged and blank rows THEN cells follow the header and row numbers are the spreadsheet rows', () => {
    const parsed = parseCsv('Name;E-mail;Tags\nZoe;zoe@example.com\n;;\nLi;li@example.com;a,b;extra\n');
    expect(parsed).toEqual({
      ok: true,
      table: {
        header: ['Name', 'E-mail', 'Tags'],
        delimiter: ';',
        rows: [
          { row: 2, cells: ['Zoe', 'zoe@example.com', ''] },
          { row: 4, cells: ['Li', 'li@example.com', 'a,b'] },
        ],
      },
    });
  });

  it('GIVEN an empty file, a blank header or an unclosed quote THEN a code says which', () => {
    expect(parseCsv('  \n')).toEqual({ ok: false, code: 'empty' });
    expect(parseCsv(',,\na,b,c')).toEqual({ ok: false, code: 'no-header' });
    const broken = parseCsv('name,notes\nZoe,"never closed\n');
    expect(broken.ok ? 'parsed' : broken.code).toBe('malformed');
  });

  it('GIVEN headers with case, accents and separators THEN they compare equal', () => {
    expect(['E-mail', 'email', ' EMAIL ', 'Instagram Handle', 'instagram_handle', 'Prénom'].map(headerKey)).toEqual([
      'email',
      'email',
      'email',
      'instagramhandle',
      'instagramhandle',
      'prenom',
    ]);
  });

  it('GIVEN text that is not a formula THEN neutralising and restoring leave it as it is', () => {
    expect(['zoe', "'quoted", '', '5'].map(neutraliseFormula)).toEqual(['zoe', "'quoted", '', '5']);
    expect(["'=1+1", "'quoted", "''=x"].map(restoreNeutralised)).toEqual(['=1+1', "'quoted", "''=x"]);
  });
});
