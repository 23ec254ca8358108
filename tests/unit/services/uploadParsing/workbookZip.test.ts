import { AppError } from '../../../../shared/core/errors';
import {
  checkWorkbookZip,
  hyperlinkedCells,
  rangeCells,
} from '../../../../shared/services/uploadParsing/workbookZip';
import {
  buildZip,
  gridLinkWorkbook,
  ordinaryWorkbook,
  row,
  sheetXml,
  workbook,
  zeroBombWorkbook,
} from './hostileFiles';

const cap = 64 * 1024 * 1024;

/** What the check threw: status, code, the limit it named and its message. */
function refusal(bytes: Buffer, maxInflatedBytes = cap) {
  try {
    checkWorkbookZip(bytes, maxInflatedBytes);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, code: error.code, limit: error.details[0]?.field, message: error.message };
  }
  return undefined;
}

describe('checkWorkbookZip', () => {
  it('when a workbook is ordinary, then it passes', () => {
    expect(refusal(ordinaryWorkbook())).toBeUndefined();
  });

  it('when a zip streams its entries (sizes in a data descriptor), then it passes', () => {
    const bytes = buildZip([
      { name: '[Content_Types].xml', content: '<Types/>', streamed: true },
      { name: 'xl/worksheets/sheet1.xml', content: sheetXml('A1', row(1, { A: 'a' })), streamed: true },
    ]);
    expect(refusal(bytes)).toBeUndefined();
  });

  it('when the entries declare more inflated bytes than the limit, then 422 inflated_size', () => {
    // 200 MB of zeros compress to 200 KB; the directory says so, and that is enough to refuse.
    expect(refusal(zeroBombWorkbook(200))).toMatchObject({
      status: 422,
      code: 'unprocessable_document',
      limit: 'inflated_size',
      message: expect.stringContaining(`at most ${cap}`),
    });
  });

  it('when the directory declares too much, then it is refused before any entry is inflated', () => {
    // The entry is not even deflate data: inflating it first would have answered "damaged" (400).
    const bytes = workbook(sheetXml('A1', row(1, { A: 'a' })), [
      { name: 'xl/media/big.bin', content: Buffer.alloc(1000, 0xff), store: true, declaredSize: cap + 1 },
    ]);
    expect(refusal(bytes)).toMatchObject({ status: 422, limit: 'inflated_size' });
  });

  it('when the limit is set lower, then a workbook past it is refused', () => {
    const bytes = workbook(sheetXml('A1', row(1, { A: 'x'.repeat(100_000) })));
    expect(refusal(bytes, 50_000)).toMatchObject({ status: 422, limit: 'inflated_size' });
    expect(refusal(bytes, 200_000)).toBeUndefined();
  });

  it('when one entry inflates far more than its size, then 422 compression_ratio', () => {
    expect(refusal(zeroBombWorkbook(10))).toMatchObject({
      status: 422,
      limit: 'compression_ratio',
      message: expect.stringContaining('xl/media/zeros.bin'),
    });
  });

  it('when an entry inflates beyond the size it declares, then 422 inflated_size (zlib stops at the declared size)', () => {
    const lying = workbook(sheetXml('A1', row(1, { A: 'a' })), [
      { name: 'xl/media/zeros.bin', content: Buffer.alloc(50 * 1024 * 1024), declaredSize: 1000 },
    ]);
    expect(refusal(lying)).toMatchObject({
      status: 422,
      limit: 'inflated_size',
      message: expect.stringContaining('beyond the 1000 bytes it declares'),
    });
  });

  it('when the local header and the directory declare different sizes, then 400', () => {
    const bytes = buildZip([{ name: 'a.xml', content: 'abc', localDeclaredSize: 0 }]);
    expect(refusal(bytes)).toMatchObject({
      status: 400,
      message: expect.stringContaining('two different sizes'),
    });
  });

  it('when a zip has more entries than a workbook needs, then 422 zip_entries', () => {
    const entries = Array.from({ length: 10_001 }, (_, i) => ({ name: `e${i}`, content: '', store: true }));
    expect(refusal(buildZip(entries))).toMatchObject({ status: 422, limit: 'zip_entries' });
  });

  it('when the bytes are not a zip, or the zip is an OpenDocument file, then 400', () => {
    expect(refusal(Buffer.from('sku,qty\n1,2\n'))).toMatchObject({ status: 400 });
    expect(refusal(ordinaryWorkbook().subarray(0, 200))).toMatchObject({ status: 400 });
    const ods = buildZip([
      { name: 'META-INF/manifest.xml', content: '<manifest/>' },
      { name: 'content.xml', content: '<office:document-content/>' },
    ]);
    expect(refusal(ods)).toMatchObject({ status: 400, message: expect.stringContaining('OpenDocument') });
  });

  it('when a hyperlink claims the whole grid, then 422 linked_cells', () => {
    expect(refusal(gridLinkWorkbook())).toMatchObject({ status: 422, limit: 'linked_cells' });
  });

  it('when hyperlinks cover a few cells, then they pass', () => {
    const links = '<hyperlinks><hyperlink ref="A1:D4" location="Sheet1!A1"/></hyperlinks>';
    expect(refusal(workbook(sheetXml('A1', row(1, { A: 'a' }), links)))).toBeUndefined();
  });
});

describe('hyperlinkedCells', () => {
  it('when a tag spells its range the ways SheetJS still reads, then each is counted', () => {
    expect(hyperlinkedCells('<hyperlink ref="A1:B2"/>')).toBe(4);
    expect(hyperlinkedCells("<x:hyperlink  REF = 'A1:A10' />")).toBe(10);
    expect(hyperlinkedCells('<hyperlink ref=A1:C1>')).toBe(3);
    expect(hyperlinkedCells('<hyperlink display="x" ref_1="A1:B1"/><hyperlink ref="C3"/>')).toBe(3);
  });

  it('when tags never close, then none counts (and the scan, linear, ends: backtracking would not)', () => {
    expect(hyperlinkedCells('<hyperlink ref="A1:B2" '.repeat(200_000))).toBe(0);
  });
});

describe('rangeCells', () => {
  it('when given ranges, then it counts their cells as SheetJS decodes them', () => {
    expect(rangeCells('A1')).toBe(1);
    expect(rangeCells('A1:XFD1048576')).toBe(16384 * 1048576);
    expect(rangeCells('B2:A1')).toBe(0);
    expect(rangeCells('a1:zz9')).toBe(1);
  });
});
