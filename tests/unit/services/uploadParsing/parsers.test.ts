import { AppError } from '../../../../shared/core/errors';
import { parseUpload, type LocalUploadKind } from '../../../../shared/services/uploadParsing/parsers';
import { ordinaryWorkbook, ordinaryWorkbookData, row, sheetXml, workbook } from './hostileFiles';

const parse = (kind: LocalUploadKind, body: string | Buffer) =>
  parseUpload(kind, typeof body === 'string' ? Buffer.from(body) : body, 64 * 1024 * 1024);

function refusal(kind: LocalUploadKind, body: string | Buffer) {
  try {
    parse(kind, body);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, limit: error.details[0]?.field, message: error.message };
  }
  return undefined;
}

describe('parseUpload (what the parsing worker runs)', () => {
  it('when a CSV is read row by row, then values stay as given and short rows hold every column', () => {
    expect(parse('csv', '\uFEFFzip,qty,,note\r\n02134,1.50,x\r\n7,-3.5,,\r\n')).toEqual({
      columns: ['zip', 'qty', 'column_3', 'note'],
      rows: [
        { zip: '02134', qty: '1.50', column_3: 'x', note: null },
        { zip: 7, qty: -3.5, column_3: null, note: null },
      ],
    });
  });

  it('when a CSV is malformed, then 400 names the row as before', () => {
    expect(refusal('csv', 'a,b\n1,"2\n3,4\n')).toMatchObject({
      status: 400,
      message: 'The CSV file could not be read: Quoted field unterminated (row 1).',
    });
  });

  it('when a CSV has more columns than a table may, then 422 columns', () => {
    const header = Array.from({ length: 1025 }, (_, i) => `c${i}`).join(',');
    expect(refusal('csv', `${header}\n`)).toMatchObject({
      status: 422,
      limit: 'columns',
      message: 'The CSV file has 1025 columns; a table may have at most 1024.',
    });
    const narrower = Array.from({ length: 1024 }, (_, i) => `c${i}`).join(',');
    expect(refusal('csv', `${narrower}\n`)).toBeUndefined();
  });

  it('when a ragged CSV spreads into more cells than a document holds, then 422 cells with the real size', () => {
    const csv = `a\n${'1\n'.repeat(100_000)}${','.repeat(100_000)}\n`;
    expect(refusal('csv', csv)).toMatchObject({
      status: 422,
      limit: 'cells',
      message: expect.stringContaining('100001 rows of 100001 columns'),
    });
  });

  it('when an XLSX holds one cell in A1 and one in column XFD, then 422 columns, not 16,384 keys per row', () => {
    const sheet = sheetXml('A1:XFD1048576', row(1, { A: 'a' }) + row(2, { XFD: 1 }));
    expect(refusal('xlsx', workbook(sheet))).toMatchObject({ status: 422, limit: 'columns' });
  });

  it('when an XLSX declares the whole grid but holds two cells, then those two are read', () => {
    const sheet = sheetXml('A1:XFD1048576', row(1, { A: 'a' }) + row(1048576, { A: 1 }));
    expect(parse('xlsx', workbook(sheet))).toEqual({
      sheets: [{ name: 'Sheet1', columns: ['a'], rows: [{ a: 1 }] }],
    });
  });

  it('when an XLSX is ordinary, then its sheet is read', () => {
    expect(parse('xlsx', ordinaryWorkbook())).toEqual(ordinaryWorkbookData);
  });

  it('when a JSON upload nests deeper than 64 levels, then 422 nesting; 64 levels are read', () => {
    expect(refusal('json', `${'['.repeat(65)}${']'.repeat(65)}`)).toMatchObject({
      status: 422,
      limit: 'nesting',
    });
    expect(refusal('json', `${'['.repeat(64)}${']'.repeat(64)}`)).toBeUndefined();
  });
});
