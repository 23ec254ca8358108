import Papa from 'papaparse';
import { nestingDepth } from '../../core/nestingDepth';
import * as XLSX from 'xlsx';
import { invalidRequest } from '../../core/errors';
import type { Json } from '../../domain/changes';
import { columnNames, csvCellValue, spreadsheetDateText, type CellValue } from '../../domain/cellValues';
import { firstInexactNumber } from '../../domain/jsonNumbers';
import { beyondLimit, maxColumns, maxNestingDepth, maxTableCells } from './limits';
import { checkWorkbookZip } from './workbookZip';

/** The uploads we parse ourselves (in the parsing worker: see parserPool.ts). */
export type LocalUploadKind = 'csv' | 'json' | 'xlsx';

/**
 * Parses one upload into its document data. Synchronous and unbounded in time and memory by
 * itself: it runs in a worker thread that the pool ends past its limits.
 */
export function parseUpload(kind: LocalUploadKind, bytes: Buffer, maxInflatedBytes: number): Json {
  switch (kind) {
    case 'csv':
      return parseCsv(bytes);
    case 'json':
      return parseJson(bytes);
    case 'xlsx':
      return parseXlsx(bytes, maxInflatedBytes);
  }
}

/**
 * Refuses a table too large for a document, or wider than we read, before any row of it is
 * built. Cells are checked first: a table past both is too large above all.
 */
function checkTableSize(rows: number, columns: number, what: string): void {
  if (rows * columns > maxTableCells) {
    throw beyondLimit(
      'cells',
      `${what} has ${rows} rows of ${columns} columns, more than the ${maxTableCells} cells a document holds.`,
      `at most ${maxTableCells} cells (rows × columns)`,
    );
  }
  if (columns > maxColumns) {
    throw beyondLimit(
      'columns',
      `${what} has ${columns} columns; a table may have at most ${maxColumns}.`,
      `at most ${maxColumns} columns`,
    );
  }
}

/** Rows as objects keyed by column name, every row holding every column (a missing cell is null). */
function tableOf(
  names: string[],
  cells: CellValue[][],
): { columns: string[]; rows: { [column: string]: CellValue }[] } {
  return {
    columns: names,
    rows: cells.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i] ?? null]))),
  };
}

function parseCsv(bytes: Buffer): Json {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let header: string[] | undefined;
  const records: string[][] = [];
  let rows = 0;
  let width = 0;
  let fatal: { message: string; row: number } | undefined;
  // No dynamicTyping: it turns 02134 into 2134 and rewrites dates; csvCellValue retypes only
  // what survives the round trip. No header mode either, so unnamed, repeated and extra columns
  // get names we choose and document instead of being merged or dropped. Row by row, so a file
  // of a million short lines is not held at once: past the cell limit rows are only counted,
  // for the refusal to give the table's real size.
  Papa.parse<string[]>(text, {
    skipEmptyLines: true,
    step: ({ data: record, errors }) => {
      // A one-column file has no delimiter to detect; Papa then reads it with a comma, which is right.
      const error = errors.find((e) => e.type !== 'Delimiter');
      // Rows are numbered from 0, the header included, as Papa numbers them.
      if (error && !fatal) fatal = { message: error.message, row: rows + (header ? 1 : 0) };
      // A row longer than the header adds columns rather than losing its extra cells.
      width = Math.max(width, record.length);
      if (!header) {
        header = record;
        return;
      }
      rows += 1;
      if (rows * width <= maxTableCells) records.push(record);
    },
  });
  if (fatal) throw invalidRequest(`The CSV file could not be read: ${fatal.message} (row ${fatal.row}).`);
  checkTableSize(rows, width, 'The CSV file');
  return tableOf(
    columnNames(header ?? [], width),
    records.map((record) => record.map(csvCellValue)),
  );
}

function parseJson(bytes: Buffer): Json {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest('The JSON file is not valid JSON.');
  }
  // JSON.parse rounds what a double cannot hold (ids beyond 2^53, 1e400); refusing says so,
  // where storing the rounded number would silently change the user's value.
  const inexact = firstInexactNumber(text);
  if (inexact) {
    throw invalidRequest(
      `The JSON file holds the number ${inexact.literal} (line ${inexact.line}, column ${inexact.column}), ` +
        'which reading it would round (numbers hold integers up to ±9007199254740991 and about 17 ' +
        'significant digits). Write it as a string to keep every digit.',
      [
        {
          field: `line ${inexact.line}, column ${inexact.column}`,
          message: `inexact number ${inexact.literal}`,
        },
      ],
    );
  }
  if (nestingDepth(value, maxNestingDepth) > maxNestingDepth) {
    throw beyondLimit(
      'nesting',
      `The JSON file nests deeper than ${maxNestingDepth} levels of objects and arrays.`,
      `at most ${maxNestingDepth} levels`,
    );
  }
  if (Array.isArray(value)) return { rows: value as Json[] };
  if (typeof value === 'object' && value !== null) return value as Json;
  throw invalidRequest('The JSON file must hold an object or an array.');
}

/** A cell as the workbook types it; date-formatted numbers as the local date/time the sheet shows. */
function workbookCellValue(cell: XLSX.CellObject | undefined, date1904: boolean): CellValue {
  if (!cell) return null;
  switch (cell.t) {
    case 'n':
      if (typeof cell.v !== 'number') return null;
      return spreadsheetDateText(cell.v, typeof cell.z === 'string' ? cell.z : '', date1904) ?? cell.v;
    case 's':
      return typeof cell.v === 'string' && cell.v !== '' ? cell.v : null;
    case 'b':
      return typeof cell.v === 'boolean' ? cell.v : null;
    case 'e':
      // An error cell (#DIV/0!, #N/A) keeps the text the sheet shows.
      return cell.w ?? null;
    default:
      return null;
  }
}

/**
 * A sheet's first row with a value is its header, the rows below with a value its records.
 * Cells are read from those present, not from the sheet's declared range: a file may claim
 * A1:XFD1048576 (17 billion cells) while holding two.
 */
function sheetTable(sheet: XLSX.WorkSheet, date1904: boolean, what: string) {
  const byRow = new Map<number, Map<number, CellValue>>();
  let first = Infinity;
  let last = -1;
  for (const address of Object.keys(sheet)) {
    if (address.startsWith('!')) continue;
    const value = workbookCellValue(sheet[address] as XLSX.CellObject, date1904);
    if (value === null) continue;
    const { r, c } = XLSX.utils.decode_cell(address);
    const row = byRow.get(r) ?? new Map<number, CellValue>();
    byRow.set(r, row.set(c, value));
    first = Math.min(first, c);
    last = Math.max(last, c);
  }
  const width = last - first + 1;
  checkTableSize(Math.max(byRow.size - 1, 0), width, what);
  const [header, ...records] = [...byRow.keys()]
    .sort((a, b) => a - b)
    .map((r) => {
      const row = byRow.get(r);
      return Array.from({ length: width }, (_, i) => row?.get(first + i) ?? null);
    });
  if (!header) return { columns: [], rows: [] };
  const names = columnNames(
    header.map((v) => (v === null ? undefined : String(v))),
    width,
    first + 1,
  );
  return tableOf(names, records);
}

function parseXlsx(bytes: Buffer, maxInflatedBytes: number): Json {
  checkWorkbookZip(bytes, maxInflatedBytes);
  let workbook: XLSX.WorkBook;
  try {
    // cellDates would build JS Dates in the server's timezone; serials plus their number format
    // (cellNF) give the sheet's own wall-clock date without any conversion.
    workbook = XLSX.read(bytes, {
      type: 'buffer',
      cellDates: false,
      cellNF: true,
      cellFormula: false,
      cellHTML: false,
    });
  } catch {
    throw invalidRequest('The XLSX file could not be read.');
  }
  const date1904 = workbook.Workbook?.WBProps?.date1904 === true;
  const sheets = workbook.SheetNames.map((name) => {
    const sheet = workbook.Sheets[name];
    return { name, ...(sheet ? sheetTable(sheet, date1904, `Sheet "${name}"`) : { columns: [], rows: [] }) };
  });
  return { sheets };
}
