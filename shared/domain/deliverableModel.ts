import type { ColumnModel, ExportRecord, ExportTable } from '../formats/index';
import { MAX_FLATTEN_DEPTH, columnPath, flattenPairs, inferColumnModel } from '../formats/index';
import type { Json } from './changes';

type JsonObject = { [key: string]: Json };
type Path = readonly string[];

/**
 * One table found in a document's data: a sheet of a workbook upload, the rows of a CSV or
 * JSON-array upload, an array of objects among a document's fields (line items), a grid of
 * cells (Document Intelligence's tables).
 */
export interface DataTable {
  /** A sheet's own name, the dotted path of the field holding the table, or "Data". */
  name: string;
  /** Path of the value that holds the table: its array, its `{columns, rows}` object, or the list it is one of. */
  holder: Path;
  /** Where one row goes under the holder when rows are shown with the document's fields: `[]`, or the sheet's name / the grid's number in a list. */
  within: Path;
  /** The rows as records: objects as they are, a scalar as `{value}`, a grid row as `{"1": …, "2": …}`. */
  rows: JsonObject[];
  /** Column names the source listed (a CSV header, a sheet's columns), kept even when no row has a value for them. */
  listedColumns: readonly string[];
}

/**
 * A deliverable's data as fields and tables, so every format can show all of it: the data
 * with its tables taken out (`fields`), and each table on its own.
 */
export interface DeliverableModel {
  /** The data as given, when it has fields beside its tables: CSV and XLSX put a table's row back in its place in it. */
  document: JsonObject | undefined;
  /** The data without its tables, in its own key order; undefined when nothing else is left. */
  fields: JsonObject | undefined;
  tables: DataTable[];
}

/** A table for the writers, with its records in memory so the caller can size the sample. */
export interface ModelTable extends ExportTable {
  name: string;
  records: ExportRecord[];
}

const DATA = 'Data';
const FIELDS = 'Fields';
/** The PDF's fields table: paths as text, values as they are. */
const FIELD_COLUMNS: ColumnModel = {
  columns: [
    { key: 'field', type: 'string' },
    { key: 'value', type: 'mixed' },
  ],
};

function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: Json | undefined): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/** True when `path` is `prefix` or lies under it. */
function startsWith(path: Path, prefix: Path): boolean {
  return path.length >= prefix.length && prefix.every((part, i) => part === path[i]);
}

function rowRecord(row: Json): JsonObject {
  return isJsonObject(row) ? row : { value: row };
}

function gridRecord(row: Json[]): JsonObject {
  return Object.fromEntries(row.map((cell, i) => [String(i + 1), cell]));
}

/**
 * `{rows, columns?}` (and `name` for a sheet) with nothing else: how extraction stores a CSV
 * upload, a JSON array upload and each sheet of a workbook. Anything more is a document
 * whose `rows` field is one table among its fields.
 */
function rowsShape(
  value: JsonObject,
  allowName: boolean,
): { name: string | undefined; rows: Json[]; columns: string[] } | undefined {
  const { rows, columns, name } = value;
  if (!Array.isArray(rows)) return undefined;
  if (!Object.keys(value).every((k) => k === 'rows' || k === 'columns' || (allowName && k === 'name')))
    return undefined;
  if (columns !== undefined && !isStringList(columns)) return undefined;
  if (name !== undefined && typeof name !== 'string') return undefined;
  return { name, rows, columns: columns ?? [] };
}

/** Rows of cells (arrays of values), with at least one cell. */
function isGrid(value: Json): value is Json[][] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((row) => Array.isArray(row) && row.every((cell) => !Array.isArray(cell))) &&
    value.some((row) => Array.isArray(row) && row.length > 0)
  );
}

/** The tables `value` holds, or undefined when it is not a table (a field, or an object to look into). */
function tablesIn(value: Json, holder: Path, name: string): DataTable[] | undefined {
  const table = (tableName: string, within: Path, rows: JsonObject[], listed: string[] = []): DataTable => ({
    name: tableName,
    holder,
    within,
    rows,
    listedColumns: listed,
  });
  if (isJsonObject(value)) {
    const shape = rowsShape(value, false);
    return shape && [table(name, [], shape.rows.map(rowRecord), shape.columns)];
  }
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const sheets = value.map((s) => (isJsonObject(s) ? rowsShape(s, true) : undefined));
  if (sheets.every((s): s is NonNullable<typeof s> => s !== undefined)) {
    return sheets.map((s, i) => {
      const sheetName = s.name ?? `${name}.${i + 1}`;
      return table(sheetName, [sheetName], s.rows.map(rowRecord), s.columns);
    });
  }
  if (value.some(isJsonObject)) return [table(name, [], value.map(rowRecord))];
  if (value.every(isGrid)) {
    return value.map((grid, i) => table(`${name}.${i + 1}`, [String(i + 1)], grid.map(gridRecord)));
  }
  if (isGrid(value)) return [table(name, [], value.map(gridRecord))];
  return undefined;
}

/** Tables among a document's fields, as deep as the writers flatten objects (deeper stays JSON text). */
function findTables(value: JsonObject, prefix: Path, depth: number, found: DataTable[]): void {
  for (const key of Object.keys(value)) {
    const child = value[key];
    // Past the depth limit an object is one cell of JSON text, tables and all.
    if (child === undefined || (isJsonObject(child) && depth >= MAX_FLATTEN_DEPTH)) continue;
    const path = [...prefix, key];
    const tables = tablesIn(child, path, path.join('.'));
    if (tables) found.push(...tables);
    else if (isJsonObject(child)) findTables(child, path, depth + 1, found);
  }
}

/**
 * A copy of `value` in which each table holder is replaced by what `place` gives (left out
 * when undefined); objects left empty by taking their tables out go too. Keys keep their
 * order, so a table's columns stay where the table was.
 */
function replaceHolders(
  value: JsonObject,
  at: Path,
  holders: readonly Path[],
  place: (holder: Path) => Json | undefined,
): JsonObject | undefined {
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (child === undefined) continue;
    const path = [...at, key];
    const holder = holders.find((h) => samePath(h, path));
    if (holder !== undefined) {
      const placed = place(holder);
      if (placed !== undefined) out[key] = placed;
    } else if (isJsonObject(child) && holders.some((h) => startsWith(h, path))) {
      const inner = replaceHolders(child, path, holders, place);
      if (inner !== undefined) out[key] = inner;
    } else {
      out[key] = child;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Splits data into fields and tables; shared/formats/README.md ("Deliverables") says how each format shows them. */
export function deliverableModel(data: Json): DeliverableModel {
  const own = tablesIn(data, [], DATA);
  if (own) return { document: undefined, fields: undefined, tables: own };
  // An array of scalars is still the data's rows.
  if (Array.isArray(data)) {
    const rows = { name: DATA, holder: [], within: [], rows: data.map(rowRecord), listedColumns: [] };
    return { document: undefined, fields: undefined, tables: [rows] };
  }
  if (!isJsonObject(data)) return { document: undefined, fields: { value: data }, tables: [] };
  const tables: DataTable[] = [];
  findTables(data, [], 0, tables);
  const fields = replaceHolders(data, [], holdersOf(tables), () => undefined);
  const document = fields !== undefined && tables.length > 0 ? data : undefined;
  return { document, fields, tables };
}

function holdersOf(tables: readonly DataTable[]): Path[] {
  return tables.map((t) => t.holder);
}

/** `row` under `within`: `{Q1: row}` for the sheet Q1 of a list of sheets. */
function nest(within: Path, row: JsonObject): Json {
  return within.reduceRight<Json>((inner, key) => ({ [key]: inner }), row);
}

/**
 * The inferred columns plus those the source listed that no record fills, so a header-only
 * table keeps its header; undefined when inference already has them all.
 */
function withListedColumns(
  records: readonly ExportRecord[],
  listed: readonly string[],
  prefix: Path,
): ColumnModel | undefined {
  if (listed.length === 0) return undefined;
  const model = inferColumnModel(records);
  const paths = model.columns.map(columnPath);
  const missing = listed
    .map((name) => [...prefix, name])
    .filter((path) => !paths.some((p) => startsWith(p, path)));
  if (missing.length === 0) return undefined;
  return { ...model, columns: [...model.columns, ...missing.map((path) => ({ key: path.join('.'), path }))] };
}

/**
 * Tables for CSV and XLSX, where a table is read on its own (filtered, pivoted): each row
 * carries the document's fields, and its own values under the table's path, as line items
 * do (`Items.Description`). Without fields, rows are written as they are (`sku`). A
 * document without tables is one row.
 */
export function sheetTables(model: DeliverableModel): ModelTable[] {
  const { document, tables } = model;
  if (tables.length === 0)
    return [{ name: DATA, records: model.fields === undefined ? [] : [model.fields], lineItems: false }];
  const holders = holdersOf(tables);
  return tables.map((table) => {
    if (document === undefined) {
      const columns = withListedColumns(table.rows, table.listedColumns, []);
      return { name: table.name, records: table.rows, columns };
    }
    const inDocument = (row: JsonObject | undefined): JsonObject =>
      replaceHolders(document, [], holders, (h) =>
        row !== undefined && samePath(h, table.holder) ? nest(table.within, row) : undefined,
      ) ?? {};
    // Like an empty line-items array, an empty table still gives one row: the fields.
    const records = table.rows.length === 0 ? [inDocument(undefined)] : table.rows.map(inDocument);
    const prefix = [...table.holder, ...table.within];
    return { name: table.name, records, columns: withListedColumns(records, table.listedColumns, prefix) };
  });
}

/**
 * Tables for PDF, which is read rather than filtered: the fields once, as a field/value
 * table, then each table with only its own columns.
 */
export function readingTables(model: DeliverableModel): ModelTable[] {
  const fields: ModelTable[] =
    model.fields === undefined
      ? []
      : [
          {
            name: FIELDS,
            records: flattenPairs(model.fields).map(([field, value]) => ({ field, value })),
            columns: FIELD_COLUMNS,
          },
        ];
  return [
    ...fields,
    ...model.tables.map((table) => ({
      name: table.name,
      records: table.rows,
      columns: withListedColumns(table.rows, table.listedColumns, []),
    })),
  ];
}
