import * as XLSX from 'xlsx';
import { EXCEL_MAX_DATA_ROWS, ExportFormatError } from '../../../shared/formats/index';
import { TRUNCATION_MARKER } from '../../../shared/formats/xlsx/cellXml';
import { EXCEL_MAX_CELL_CHARS } from '../../../shared/formats/xlsx/excelLimits';
import { exportBytes } from './helpers/exportBytes';
import { readZip } from './helpers/zipReader';

function readWorkbook(bytes: Buffer): XLSX.WorkBook {
  return XLSX.read(bytes, { type: 'buffer', cellDates: true, cellNF: true });
}

function sheetRows(workbook: XLSX.WorkBook, index = 0): unknown[][] {
  const name = workbook.SheetNames[index] ?? '';
  const sheet = workbook.Sheets[name];
  if (!sheet) throw new Error(`no sheet ${index}`);
  return XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, defval: null, raw: true });
}

/** SheetJS turns date serials back into Dates with float error (≤ 1 ms); Excel shows whole seconds. */
function roundDates(rows: unknown[][]): unknown[][] {
  return rows.map((row) =>
    row.map((v) => (v instanceof Date ? new Date(Math.round(v.getTime() / 1000) * 1000) : v)),
  );
}

function cell(workbook: XLSX.WorkBook, ref: string, index = 0): XLSX.CellObject | undefined {
  return workbook.Sheets[workbook.SheetNames[index] ?? '']?.[ref] as XLSX.CellObject | undefined;
}

describe('XLSX', () => {
  it('when records are written, then SheetJS reads typed cells: numbers, booleans, text, real dates', async () => {
    const { bytes, result } = await exportBytes(
      [
        {
          id: 1,
          amount: 12.5,
          ok: true,
          name: 'Ann',
          created: '2024-05-06T07:08:09',
          due: '2024-06-01',
          at: new Date(Date.UTC(2020, 1, 29, 12)),
        },
        {
          id: 2,
          amount: -3,
          ok: false,
          name: '=1+1',
          created: '2024-05-07 00:00',
          due: '2024-06-02',
          at: null,
        },
      ],
      { format: 'xlsx' },
    );
    expect(result).toMatchObject({
      rows: 2,
      records: 2,
      extension: 'xlsx',
      mime_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    const wb = readWorkbook(bytes);
    expect(wb.SheetNames).toEqual(['Export']);
    expect(roundDates(sheetRows(wb))).toEqual([
      ['id', 'amount', 'ok', 'name', 'created', 'due', 'at'],
      [
        1,
        12.5,
        true,
        'Ann',
        new Date(Date.UTC(2024, 4, 6, 7, 8, 9)),
        new Date(Date.UTC(2024, 5, 1)),
        new Date(Date.UTC(2020, 1, 29, 12)),
      ],
      [2, -3, false, '=1+1', new Date(Date.UTC(2024, 4, 7)), new Date(Date.UTC(2024, 5, 2)), null],
    ]);
    expect(cell(wb, 'B2')?.t).toBe('n');
    expect(cell(wb, 'C2')?.t).toBe('b');
    expect(cell(wb, 'E2')).toMatchObject({ t: 'd', z: 'yyyy\\-mm\\-dd\\ hh:mm:ss' });
    expect(cell(wb, 'F2')).toMatchObject({ t: 'd', z: 'yyyy\\-mm\\-dd' });
    expect(cell(wb, 'D3')).toMatchObject({ t: 's', v: '=1+1' });
    expect(cell(wb, 'D3')?.f).toBeUndefined();
  });

  it('when cells are empty between others, then later cells keep their columns', async () => {
    const { bytes } = await exportBytes(
      [
        { a: 1, b: null, c: 'x', d: '', e: true },
        { a: null, b: 'y', c: null, d: 2, e: null },
      ],
      { format: 'xlsx' },
    );
    const wb = readWorkbook(bytes);
    expect(sheetRows(wb)).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      [1, null, 'x', null, true],
      [null, 'y', null, 2, null],
    ]);
    const sheet =
      readZip(bytes)
        .find((e) => e.name === 'xl/worksheets/sheet1.xml')
        ?.content.toString() ?? '';
    // Every cell names its place: exceljs cannot read a cell without `r`.
    expect(sheet).toContain('<row r="2"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr">');
  });

  it('when the workbook is opened as a zip, then the header row is frozen, columns have widths and an xl/ part comes first', async () => {
    const { bytes } = await exportBytes([{ short: 'a', long: 'a much longer text value here' }], {
      format: 'xlsx',
    });
    const entries = readZip(bytes);
    expect(entries[0]?.name).toBe('xl/styles.xml');
    expect(entries.map((e) => e.name).sort()).toEqual(
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/_rels/workbook.xml.rels',
        'xl/styles.xml',
        'xl/workbook.xml',
        'xl/worksheets/sheet1.xml',
      ].sort(),
    );
    const sheet = entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')?.content.toString() ?? '';
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    const widths = [...sheet.matchAll(/<col min="(\d+)" max="\d+" width="([\d.]+)"/g)].map((m) =>
      Number(m[2]),
    );
    expect(widths).toHaveLength(2);
    expect(widths[1]).toBeGreaterThan(widths[0] ?? Infinity);
    expect(sheet).not.toContain('<f>');
  });

  it('when there are more rows than a sheet holds, then they continue on further sheets with the header repeated', async () => {
    const records = Array.from({ length: 25 }, (_, i) => ({ n: i + 1, label: `row ${i + 1}` }));
    const { bytes, result } = await exportBytes(records, {
      format: 'xlsx',
      maxRowsPerSheet: 10,
      sheetName: 'Invoices',
    });
    expect(result.rows).toBe(25);
    const wb = readWorkbook(bytes);
    expect(wb.SheetNames).toEqual(['Invoices', 'Invoices (2)', 'Invoices (3)']);
    const sheets = [0, 1, 2].map((i) => sheetRows(wb, i));
    expect(sheets.map((rows) => rows.length)).toEqual([11, 11, 6]);
    for (const rows of sheets) expect(rows[0]).toEqual(['n', 'label']);
    expect(sheets.flatMap((rows) => rows.slice(1).map((r) => r[0]))).toEqual(records.map((r) => r.n));
  });

  it("when no limit is given, then a sheet holds Excel's 1,048,575 data rows, and larger limits are refused", async () => {
    expect(EXCEL_MAX_DATA_ROWS).toBe(1_048_575);
    await expect(
      exportBytes([{ a: 1 }], { format: 'xlsx', maxRowsPerSheet: EXCEL_MAX_DATA_ROWS }),
    ).resolves.toBeDefined();
    await expect(
      exportBytes([{ a: 1 }], { format: 'xlsx', maxRowsPerSheet: EXCEL_MAX_DATA_ROWS + 1 }),
    ).rejects.toBeInstanceOf(ExportFormatError);
    await expect(exportBytes([{ a: 1 }], { format: 'xlsx', maxRowsPerSheet: 0 })).rejects.toThrow(
      'maxRowsPerSheet',
    );
  });

  it('when a cell is longer than 32,767 characters, then it is cut with a visible marker and reported', async () => {
    const { bytes, result } = await exportBytes([{ text: '€'.repeat(40_000) }, { text: 'ok' }], {
      format: 'xlsx',
    });
    const value = cell(readWorkbook(bytes), 'A2')?.v;
    expect(typeof value).toBe('string');
    expect((value as string).length).toBe(EXCEL_MAX_CELL_CHARS);
    expect((value as string).endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'cell_truncated', count: 1 })]);
    expect(result.warnings[0]?.message).toContain('A2');
  });

  it('when text holds markup, CR, escapes, spaces and XML-illegal characters, then it reads back as written minus the illegal ones', async () => {
    const values = [
      '<b>&amp;</b>',
      'a\rb\r\nc',
      '_x000D_ and _x0041_',
      '  padded  ',
      'tab\there',
      'nul\u0000bell\u0007',
      '\uFFFE\uFFFFend',
    ];
    const { bytes, result } = await exportBytes(
      values.map((v) => ({ v })),
      { format: 'xlsx' },
    );
    const rows = sheetRows(readWorkbook(bytes))
      .slice(1)
      .map((r) => r[0]);
    expect(rows).toEqual([
      '<b>&amp;</b>',
      'a\rb\r\nc',
      '_x000D_ and _x0041_',
      '  padded  ',
      'tab\there',
      'nulbell',
      'end',
    ]);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'xml_characters_removed', count: 2 })]);
  });

  it('when the sheet name is invalid, then it is made valid', async () => {
    const { bytes } = await exportBytes([{ a: 1 }], {
      format: 'xlsx',
      sheetName: "'Q1: report/[draft]? * and a name far too long'",
    });
    const [name] = readWorkbook(bytes).SheetNames;
    expect(name).toBe('Q1 report draft and a name far');
    expect(name?.length).toBeLessThanOrEqual(31);
  });

  it('when metadata is included, then a Metadata sheet lists it with the record count', async () => {
    const { bytes } = await exportBytes([{ a: 1 }, { a: 2 }], {
      format: 'xlsx',
      includeMetadata: { job: { id: 'j1' }, from: '2024-01-01' },
    });
    const wb = readWorkbook(bytes);
    expect(wb.SheetNames).toEqual(['Export', 'Metadata']);
    expect(sheetRows(wb, 1)).toEqual([
      ['field', 'value'],
      ['job.id', 'j1'],
      ['from', '2024-01-01'],
      ['record_count', 2],
    ]);
  });

  it('when there are more than 16,384 columns, then the extra ones are dropped and reported', async () => {
    const wide = Object.fromEntries(Array.from({ length: 16_390 }, (_, i) => [`c${i}`, i]));
    const { bytes, result } = await exportBytes([wide], { format: 'xlsx' });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'columns_limited', count: 6 })]);
    expect(cell(readWorkbook(bytes), 'XFD2')?.v).toBe(16_383);
  });

  it('when the same records are written twice, then the bytes are identical', async () => {
    const records = [{ a: 1, b: 'x', c: new Date(0) }];
    const first = await exportBytes(records, { format: 'xlsx' });
    const second = await exportBytes(records, { format: 'xlsx' });
    expect(first.result.sha256).toBe(second.result.sha256);
  });

  it('when there are no records, then the workbook still opens with an empty sheet', async () => {
    const { bytes } = await exportBytes([], { format: 'xlsx' });
    const wb = readWorkbook(bytes);
    expect(wb.SheetNames).toEqual(['Export']);
    expect(sheetRows(wb)).toEqual([]);
  });
});
