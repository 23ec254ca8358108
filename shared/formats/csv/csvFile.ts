import type { ResolvedColumn } from '../columns/columnModel';
import { reportRenamedColumn, uniqueColumnKey } from '../columns/inferColumns';
import { UnknownFieldWatch } from '../columns/unknownFields';
import type { BodySummary } from '../exportOptions';
import { lineFile } from '../lineFile';
import type { WarningCollector } from '../output/warnings';
import type { ExportRecord } from '../records/recordSource';
import type { TableSetup } from '../tableSetup';
import type { CsvOptions } from './csvRowWriter';
import { CsvRowWriter } from './csvRowWriter';

/** Header of the column naming each row's table; underscores are added until no column has it. */
const TABLE_COLUMN = 'sheet';

/**
 * Columns of several tables as one header, in order of first appearance: tables share a column
 * when it has the same name and reads the same path; a name another path already took gets
 * ` (2)` (`column_renamed`), so no table's values are read from another table's field.
 */
function unionColumns(tables: readonly TableSetup[], warnings: WarningCollector): ResolvedColumn[] {
  const byField = new Map<string, ResolvedColumn>();
  const keys = new Set<string>();
  for (const table of tables) {
    for (const c of table.columns) {
      const field = JSON.stringify([c.key, c.path]);
      if (byField.has(field)) continue;
      const key = uniqueColumnKey(c.key, keys);
      if (key !== c.key) reportRenamedColumn(warnings, c.key, key);
      keys.add(key);
      byField.set(field, key === c.key ? c : { ...c, key, header: c.header === c.key ? key : c.header });
    }
  }
  return [...byField.values()];
}

function tableColumnHeader(columns: readonly ResolvedColumn[]): string {
  const taken = new Set(columns.map((c) => c.header));
  let header = TABLE_COLUMN;
  while (taken.has(header)) header = `_${header}`;
  return header;
}

/** The one row of a table without records: only its name is filled. */
const EMPTY_TABLE_ROW: readonly (readonly ExportRecord[])[] = [[{}]];

/**
 * CSV of one table, or of several as one table: CSV has no sheets, so a leading `sheet`
 * column names each row's table, the header holds every table's columns (a column shared by
 * name is one column) and a table without rows still gives one row, so its name is in the file.
 */
export async function* csvFile(
  tables: readonly TableSetup[],
  options: CsvOptions,
  warnings: WarningCollector,
): AsyncGenerator<Uint8Array, BodySummary, undefined> {
  const [only] = tables;
  if (tables.length === 1 && only !== undefined) {
    const writer = new CsvRowWriter(only.columns, only.lineItemsPath, options, only.unknownFields, warnings);
    return yield* lineFile(only.slices, writer);
  }
  const columns = unionColumns(tables, warnings);
  const header = tableColumnHeader(columns);
  // A field is dropped only if no table has a column for it.
  const watch = new UnknownFieldWatch(
    columns.map((c) => c.path[0] ?? ''),
    warnings,
  );
  let rows = 0;
  let records = 0;
  for (const [i, table] of tables.entries()) {
    const writer = new CsvRowWriter(
      columns,
      table.lineItemsPath,
      { bom: i === 0 && options.bom === true, leading: { header, value: table.name ?? `Table ${i + 1}` } },
      table.unknownFields === undefined ? undefined : watch,
      warnings,
      records,
    );
    const empty = table.sample.length === 0;
    const parts = { header: i === 0, footer: i === tables.length - 1, recordsBefore: records };
    const summary = yield* lineFile(empty ? EMPTY_TABLE_ROW : table.slices, writer, parts);
    rows += summary.rows;
    if (!empty) records += summary.records;
  }
  return { rows, records };
}
