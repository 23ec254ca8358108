import ExcelJS from 'exceljs';
import fc from 'fast-check';
import * as XLSX from 'xlsx';
import type { ExportOptions, ExportWarning } from '../../../shared/formats/index';
import { collect, inferColumnModel, writeExportBody, writeTables } from '../../../shared/formats/index';
import { parseUpload } from '../../../shared/services/uploadParsing/parsers';
import { extractPdfText } from '../../support/pdfText';
import { exportBytes, strictUtf8 } from './helpers/exportBytes';
import { readCsv } from './helpers/readCsv';
import { readZip } from './helpers/zipReader';

/**
 * Issue 9, writer side: every file is read back by readers that are not ours (exceljs,
 * SheetJS, papaparse, pdf.js); what a writer had to change is in the warnings, with counts
 * and the first record.
 */

/** exceljs's own workbook of the bytes (its typings want an ArrayBuffer). */
async function excelWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  const copy = new Uint8Array(bytes).buffer;
  await workbook.xlsx.load(copy);
  return workbook;
}

async function excelRows(bytes: Buffer, sheet = 0): Promise<unknown[][]> {
  const workbook = await excelWorkbook(bytes);
  const worksheet = workbook.worksheets[sheet];
  if (!worksheet) throw new Error(`no sheet ${sheet}`);
  const rows: unknown[][] = [];
  worksheet.eachRow({ includeEmpty: true }, (row) => {
    // exceljs numbers columns from 1: drop the empty slot 0.
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

async function excelSheetNames(bytes: Buffer): Promise<string[]> {
  const workbook = await excelWorkbook(bytes);
  return workbook.worksheets.map((w) => w.name);
}

function sheetJsCell(bytes: Buffer, ref: string, sheet = 0): XLSX.CellObject | undefined {
  const wb = XLSX.read(bytes, { type: 'buffer', cellDates: false, cellNF: true });
  return wb.Sheets[wb.SheetNames[sheet] ?? '']?.[ref] as XLSX.CellObject | undefined;
}

function byCode(warnings: readonly ExportWarning[]): Record<string, ExportWarning> {
  return Object.fromEntries(warnings.map((w) => [w.code, w]));
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Wall-clock text of a SheetJS serial, from its own date code (no JS Date, no time zone). */
/** SheetJS's own date code of a serial; its typings leave SSF untyped. */
interface DateCode {
  y: number;
  m: number;
  d: number;
  H: number;
  M: number;
  S: number;
}
const ssf = XLSX.SSF as { parse_date_code(serial: number): DateCode | null };

function sheetJsWallClock(serial: number): string {
  const d = ssf.parse_date_code(serial);
  if (d === null) throw new Error(`SheetJS reads no date from ${serial}`);
  return `${d.y}-${pad(d.m)}-${pad(d.d)}T${pad(d.H)}:${pad(d.M)}:${pad(d.S)}`;
}

/** exceljs reads a date serial as the Date of its UTC wall time. */
function excelJsWallClock(value: unknown): string {
  if (!(value instanceof Date)) throw new Error(`not a date: ${String(value)}`);
  // Rounded to the second, as Excel shows it.
  return new Date(Math.round(value.getTime() / 1000) * 1000).toISOString().slice(0, 19);
}

describe('XLSX read back by exceljs', () => {
  it('when a workbook is written, then exceljs reads every typed cell in its column', async () => {
    const { bytes } = await exportBytes(
      [
        { id: 1, name: 'Ann', ok: true, amount: 12.5, note: null, sku: '02134' },
        { id: 2, name: null, ok: false, amount: -3, note: 'x', sku: '000123' },
      ],
      { format: 'xlsx' },
    );
    expect(await excelRows(bytes)).toEqual([
      ['id', 'name', 'ok', 'amount', 'note', 'sku'],
      [1, 'Ann', true, 12.5, undefined, '02134'],
      [2, undefined, false, -3, 'x', '000123'],
    ]);
  });

  it('when several tables and a metadata sheet are written, then exceljs opens every sheet', async () => {
    const { bytes } = await collect(
      writeTables(
        [
          { name: 'Q1', records: [{ a: 1 }] },
          { name: 'Q2', records: [{ b: 'two' }] },
        ],
        { format: 'xlsx', includeMetadata: { title: 'T' } },
      ),
    );
    expect(await excelSheetNames(bytes)).toEqual(['Q1', 'Q2', 'Metadata']);
    expect(await excelRows(bytes, 1)).toEqual([['b'], ['two']]);
  });
});

describe('XLSX dates', () => {
  it('when text is an instant (offset, Z or milliseconds), then it stays exactly that text', async () => {
    const instants = ['2024-03-01T10:00:00+02:00', '2024-03-01T08:00:00.000Z', '2024-03-01T08:00:00Z'];
    const { bytes } = await exportBytes(
      instants.map((at) => ({ at })),
      { format: 'xlsx' },
    );
    expect((await excelRows(bytes)).slice(1)).toEqual(instants.map((at) => [at]));
    instants.forEach((at, i) => expect(sheetJsCell(bytes, `A${i + 2}`)).toMatchObject({ t: 's', v: at }));
  });

  it('when any wall-clock date-time is written, then exceljs and SheetJS read the same wall clock to the second', async () => {
    // SheetJS reads no date past serial 2958465 (9999-12-31 00:00), so the range ends a day early.
    const texts = fc.sample(
      fc
        .date({
          min: new Date('1900-03-01T00:00:00Z'),
          max: new Date('9999-12-30T23:59:59Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString().slice(0, 19)),
      { numRuns: 500, seed: 9 },
    );
    texts.push('2024-03-01T23:59:59', '2024-03-01T00:00:01', '1900-03-01T00:00:00', '9999-12-30T23:59:59');
    const { bytes } = await exportBytes(
      texts.map((at) => ({ at })),
      { format: 'xlsx' },
    );
    const excelJs = (await excelRows(bytes)).slice(1).map((row) => excelJsWallClock(row[0]));
    expect(excelJs).toEqual(texts);
    const wb = XLSX.read(bytes, { type: 'buffer', cellDates: false, cellNF: true });
    const sheet = wb.Sheets[wb.SheetNames[0] ?? ''] ?? {};
    const sheetJs = texts.map((_, i) => {
      const cell = sheet[`A${i + 2}`] as XLSX.CellObject | undefined;
      expect(cell).toMatchObject({ t: 'n', z: 'yyyy\\-mm\\-dd\\ hh:mm:ss' });
      return sheetJsWallClock(cell?.v as number);
    });
    expect(sheetJs).toEqual(texts);
  });

  it('when a calendar date is written, then it is a date cell of that day', async () => {
    const { bytes } = await exportBytes([{ due: '2024-02-29' }], { format: 'xlsx' });
    expect(sheetJsCell(bytes, 'A2')).toMatchObject({ t: 'n', z: 'yyyy\\-mm\\-dd' });
    expect(excelJsWallClock((await excelRows(bytes))[1]?.[0])).toBe('2024-02-29T00:00:00');
  });
});

describe('formula-like text', () => {
  const records = [
    { id: 1, f: 'ok' },
    { id: 2, f: '=SUM(A1:A2)' },
    { id: 3, f: '@cmd' },
    { id: 4, f: -5 },
  ];

  it('when written as CSV, then it gets a leading apostrophe and the warning counts it from record 2', async () => {
    const { bytes, result } = await exportBytes(records, { format: 'csv' });
    expect(readCsv(strictUtf8(bytes))).toEqual([
      ['id', 'f'],
      ['1', 'ok'],
      ['2', "'=SUM(A1:A2)"],
      ['3', "'@cmd"],
      ['4', '-5'],
    ]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'formula_neutralised', count: 2, first_record: 2 }),
    ]);
  });

  it('when written as XLSX, then the value is unchanged, marked text by the quote-prefix style, and reported', async () => {
    const { bytes, result } = await exportBytes(records, { format: 'xlsx' });
    expect((await excelRows(bytes)).map((r) => r[1])).toEqual(['f', 'ok', '=SUM(A1:A2)', '@cmd', -5]);
    const cell = sheetJsCell(bytes, 'B3');
    expect(cell).toMatchObject({ t: 's', v: '=SUM(A1:A2)' });
    expect(cell?.f).toBeUndefined();
    const files = readZip(bytes);
    const sheet = files.find((f) => f.name === 'xl/worksheets/sheet1.xml')?.content.toString() ?? '';
    const styles = files.find((f) => f.name === 'xl/styles.xml')?.content.toString() ?? '';
    const style = /<c r="B3" t="inlineStr" s="(\d+)">/.exec(sheet)?.[1];
    const xfs = [...(/<cellXfs[^>]*>(.*)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf [^>]*\/>/g)];
    expect(xfs[Number(style)]?.[0]).toContain('quotePrefix="1"');
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'formula_neutralised', count: 2, first_record: 2 }),
    ]);
    expect(result.warnings[0]?.message).toContain('cell B3');
  });

  it('when a bulk body part holds one, then its warnings name the record by its place in the whole file', async () => {
    const columns = inferColumnModel(records);
    const { result } = await collect(
      writeExportBody(records, { format: 'csv', columns }, { recordsBefore: 100 }),
    );
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'formula_neutralised', count: 2, first_record: 102 }),
    ]);
  });
});

describe('lone surrogates', () => {
  const records = [{ t: 'fine' }, { t: 'bad \uD800 half' }, { t: 'ok \uD83D\uDE00 pair' }];

  it.each(['csv', 'xlsx', 'json', 'ndjson', 'pdf'] as const)(
    'when written as %s, then they become U+FFFD and are reported from record 2',
    async (format) => {
      const { bytes, result } = await exportBytes(records, { format });
      const warning = byCode(result.warnings).invalid_unicode_replaced;
      expect(warning).toMatchObject({ count: 1, first_record: 2 });
      if (format === 'csv') expect(readCsv(strictUtf8(bytes))[2]).toEqual(['bad \uFFFD half']);
      if (format === 'json')
        expect(JSON.parse(strictUtf8(bytes))).toEqual([
          { t: 'fine' },
          { t: 'bad \uFFFD half' },
          { t: 'ok \uD83D\uDE00 pair' },
        ]);
      if (format === 'xlsx') expect((await excelRows(bytes))[2]).toEqual(['bad \uFFFD half']);
      if (format === 'pdf') {
        const [pdf] = await extractPdfText([bytes]);
        expect(pdf?.pages.join('\n')).toContain('bad \uFFFD half');
      }
    },
  );
});

describe('columns that read the same', () => {
  const records = [
    { 'a.b': 1, a: { b: 2 } },
    { a: { b: 4 }, 'a.b': 3 },
  ];

  it.each(['csv', 'xlsx'] as const)(
    'when a key "a.b" and a nested a → b are both present, then %s keeps both: the second is "a.b (2)"',
    async (format) => {
      const { bytes, result } = await exportBytes(records, { format });
      const rows = format === 'csv' ? readCsv(strictUtf8(bytes)) : await excelRows(bytes);
      const text = rows.map((row) => row.map(String));
      expect(text).toEqual([
        ['a.b', 'a.b (2)'],
        ['1', '2'],
        ['3', '4'],
      ]);
      expect(result.warnings).toEqual([
        expect.objectContaining({
          code: 'column_renamed',
          count: 1,
          message: expect.stringContaining('"a.b (2)"') as unknown,
        }),
      ]);
    },
  );

  it('when the column model is inferred for a bulk job, then both paths have a column', () => {
    expect(inferColumnModel(records).columns).toEqual([
      { key: 'a.b', path: ['a.b'], type: 'number' },
      { key: 'a.b (2)', path: ['a', 'b'], type: 'number' },
    ]);
  });

  it('when two CSV tables use the same name for different paths, then neither reads the other’s values', async () => {
    const { bytes, result } = await collect(
      writeTables(
        [
          { name: 'One', records: [{ 'a.b': 1 }] },
          { name: 'Two', records: [{ a: { b: 2 } }] },
        ],
        { format: 'csv' },
      ),
    );
    expect(readCsv(strictUtf8(bytes))).toEqual([
      ['sheet', 'a.b', 'a.b (2)'],
      ['One', '1', ''],
      ['Two', '', '2'],
    ]);
    expect(byCode(result.warnings).column_renamed).toMatchObject({ count: 1 });
  });
});

describe('numbers Excel would round', () => {
  it('when a number has more than 15 significant digits, then XLSX keeps it as text and says so', async () => {
    const { bytes, result } = await exportBytes(
      [{ n: 1234567890123456 }, { n: 0.1 + 0.2 }, { n: 123456789012345 }, { n: 1e21 }, { n: 12.5 }],
      { format: 'xlsx' },
    );
    expect((await excelRows(bytes)).map((r) => r[0])).toEqual([
      'n',
      '1234567890123456',
      '0.30000000000000004',
      123456789012345,
      1e21,
      12.5,
    ]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'number_as_text', count: 2, first_record: 1 }),
    ]);
  });
});

describe('rows beyond a sheet', () => {
  it('when a table is longer than a sheet, then it continues on the next sheet and that is reported', async () => {
    const options: ExportOptions = { format: 'xlsx', maxRowsPerSheet: 2 };
    const { bytes, result } = await exportBytes(
      [1, 2, 3, 4, 5].map((n) => ({ n })),
      options,
    );
    expect(await excelSheetNames(bytes)).toEqual(['Export', 'Export (2)', 'Export (3)']);
    expect(await excelRows(bytes, 2)).toEqual([['n'], [5]]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'sheet_split', count: 2, first_record: 3 }),
    ]);
  });
});

describe('an exported workbook uploaded again', () => {
  it('when our XLSX is read by the upload parser, then every cell comes back with its type and text', async () => {
    const records = [
      {
        zip: '02134',
        amount: 12.5,
        ok: true,
        at: '2024-03-01T10:00:05',
        due: '2024-03-01',
        stamp: '2024-03-01T10:00:00+02:00',
        f: '=1+1',
        big: 1234567890123456,
      },
    ];
    const { bytes } = await exportBytes(records, { format: 'xlsx' });
    expect(parseUpload('xlsx', bytes, 64 * 1024 * 1024)).toEqual({
      sheets: [
        {
          name: 'Export',
          columns: Object.keys(records[0] ?? {}),
          rows: [{ ...records[0], big: '1234567890123456' }],
        },
      ],
    });
  });
});
