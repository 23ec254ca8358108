import * as XLSX from 'xlsx';
import type { ExportOptions, ExportTable } from '../../../shared/formats/index';
import { ExportFormatError, collect, writeTables } from '../../../shared/formats/index';
import { extractPdfText } from '../../support/pdfText';
import { exportBytes } from './helpers/exportBytes';
import { readCsv } from './helpers/readCsv';

async function tablesBytes(tables: readonly ExportTable[], options: ExportOptions) {
  return collect(writeTables(tables, options));
}

function sheetRows(workbook: XLSX.WorkBook, name: string): unknown[][] {
  const sheet = workbook.Sheets[name];
  if (!sheet) throw new Error(`no sheet ${name}`);
  return XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, defval: null, raw: true });
}

function squash(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

const orders: ExportTable = {
  name: 'Orders',
  records: [
    { id: 'O-1', total: 10 },
    { id: 'O-2', total: 20 },
  ],
};
const people: ExportTable = { name: 'People', records: [{ id: 'P-1', name: 'Ann' }] };

describe('several tables in one file', () => {
  it('when tables are written to XLSX, then each is its own sheet with its own columns', async () => {
    const { bytes, result } = await tablesBytes([orders, people], { format: 'xlsx' });
    expect(result).toMatchObject({ rows: 3, records: 3, warnings: [] });
    const wb = XLSX.read(bytes, { type: 'buffer' });
    expect(wb.SheetNames).toEqual(['Orders', 'People']);
    expect(sheetRows(wb, 'Orders')).toEqual([
      ['id', 'total'],
      ['O-1', 10],
      ['O-2', 20],
    ]);
    expect(sheetRows(wb, 'People')).toEqual([
      ['id', 'name'],
      ['P-1', 'Ann'],
    ]);
  });

  it('when a table name is not a valid sheet name or is taken, then the sheet is renamed and that is reported', async () => {
    const { bytes, result } = await tablesBytes(
      [
        { name: 'Q1/Q2: [draft]', records: [{ a: 1 }] },
        { name: 'orders', records: [{ a: 2 }] },
        { name: 'ORDERS', records: [{ a: 3 }] },
      ],
      { format: 'xlsx' },
    );
    expect(XLSX.read(bytes, { type: 'buffer' }).SheetNames).toEqual(['Q1 Q2 draft', 'orders', 'ORDERS (2)']);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'sheet_renamed', count: 2 })]);
    expect(result.warnings[0]?.message).toContain('"Q1/Q2: [draft]" is named "Q1 Q2 draft"');
  });

  it('when a table has no records but columns, then its sheet is the header row', async () => {
    const { bytes } = await tablesBytes(
      [orders, { name: 'Empty', records: [], columns: { columns: [{ key: 'a' }, { key: 'b' }] } }],
      { format: 'xlsx' },
    );
    expect(sheetRows(XLSX.read(bytes, { type: 'buffer' }), 'Empty')).toEqual([['a', 'b']]);
  });

  it('when tables are written to CSV, then one header holds every column and a sheet column names each row’s table', async () => {
    const { bytes, result } = await tablesBytes([orders, people, { name: 'Nothing', records: [] }], {
      format: 'csv',
    });
    expect(readCsv(bytes.toString('utf8'))).toEqual([
      ['sheet', 'id', 'total', 'name'],
      ['Orders', 'O-1', '10', ''],
      ['Orders', 'O-2', '20', ''],
      ['People', 'P-1', '', 'Ann'],
      ['Nothing', '', '', ''],
    ]);
    expect(result).toMatchObject({ rows: 4, records: 3, warnings: [] });
  });

  it('when a table already has a column named sheet, then the table column takes another name', async () => {
    const { bytes } = await tablesBytes(
      [
        { name: 'A', records: [{ sheet: 'mine' }] },
        { name: '=B', records: [{ sheet: 'theirs' }] },
      ],
      { format: 'csv' },
    );
    expect(readCsv(bytes.toString('utf8'))).toEqual([
      ['_sheet', 'sheet'],
      ['A', 'mine'],
      ["'=B", 'theirs'],
    ]);
  });

  it('when one table is written to CSV, then there is no sheet column: the same file as writeExport', async () => {
    const viaTables = await tablesBytes([orders], { format: 'csv' });
    const viaExport = await exportBytes(orders.records, { format: 'csv' });
    expect(viaTables.bytes.equals(viaExport.bytes)).toBe(true);
  });

  it('when tables are written to PDF, then each has its name as a heading, an empty one says so', async () => {
    const { bytes, result } = await tablesBytes(
      [orders, people, { name: 'Nothing', records: [], columns: { columns: [{ key: 'x' }] } }],
      { format: 'pdf', report: { title: 'Tables' } },
    );
    expect(result.warnings).toEqual([]);
    const [pdf] = await extractPdfText([bytes]);
    const text = squash(pdf?.pages.join('\n') ?? '');
    for (const part of [
      'Orders',
      'idtotal',
      'O-110',
      'O-220',
      'People',
      'idname',
      'P-1Ann',
      'Nothing',
      'x',
      'No rows.',
    ])
      expect(text).toContain(squash(part));
  });

  it('when a PDF header cannot fit in three lines of its column, then it is cut and reported once', async () => {
    const columns = Array.from({ length: 12 }, (_, i) => [`c${i}`, 1] as const);
    const long = Object.fromEntries([...columns, ['h'.repeat(600), 1]]);
    const records = Array.from({ length: 200 }, () => long);
    const { result } = await exportBytes(records, { format: 'pdf' });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'pdf_cell_clipped', count: 1 })]);
    expect(result.warnings[0]?.message).toContain('header');
  });

  it('when several tables are written to JSON, then the options are refused', async () => {
    await expect(tablesBytes([orders, people], { format: 'json' })).rejects.toBeInstanceOf(ExportFormatError);
  });
});

describe('empty objects in records', () => {
  it('when a field holds an empty object, then it keeps a column showing {}', async () => {
    const { bytes } = await exportBytes(
      [
        { id: 1, notes: {} },
        { id: 2, notes: {} },
      ],
      { format: 'csv' },
    );
    expect(readCsv(bytes.toString('utf8'))).toEqual([
      ['id', 'notes'],
      ['1', '{}'],
      ['2', '{}'],
    ]);
  });

  it('when an object is empty in one record and filled in another, then only the filled fields are columns', async () => {
    const { bytes } = await exportBytes(
      [
        { id: 1, notes: {} },
        { id: 2, notes: { text: 'hi' } },
      ],
      { format: 'csv' },
    );
    expect(readCsv(bytes.toString('utf8'))).toEqual([
      ['id', 'notes.text'],
      ['1', ''],
      ['2', 'hi'],
    ]);
  });
});
