import type { ColumnModel, ResolvedColumn } from './columns/columnModel';
import { discoverColumns, resolveColumns } from './columns/inferColumns';
import { UnknownFieldWatch } from './columns/unknownFields';
import type { ExportTable } from './exportOptions';
import type { WarningCollector } from './output/warnings';
import type { ExportRecord } from './records/recordSource';
import { lookahead, recordSlices } from './records/recordSource';

const DEFAULT_SAMPLE = 1000;

/** What a tabular writer needs before its first byte: the columns and the records seen so far. */
export interface TableSetup {
  /** The table's name as given (sheet name, heading); undefined for the single table of `writeExport`. */
  name: string | undefined;
  columns: readonly ResolvedColumn[];
  lineItemsPath: readonly string[] | undefined;
  sample: readonly ExportRecord[];
  slices: AsyncGenerator<readonly ExportRecord[]>;
  unknownFields: UnknownFieldWatch | undefined;
}

/** Reads ahead, then fixes the column model (given or inferred) of one table for CSV, XLSX and PDF. */
export async function setUpTable(
  table: ExportTable,
  sampleSize: number | undefined,
  warnings: WarningCollector,
): Promise<TableSetup> {
  const { sample, slices } = await lookahead(recordSlices(table.records), sampleSize ?? DEFAULT_SAMPLE);
  const model: ColumnModel =
    table.columns ?? discoverColumns(sample, { lineItems: table.lineItems }, warnings);
  const columns = resolveColumns(model, sample);
  const unknownFields =
    table.columns === undefined
      ? new UnknownFieldWatch(
          columns.map((c) => c.path[0] ?? ''),
          warnings,
        )
      : undefined;
  return { name: table.name, columns, lineItemsPath: model.lineItemsPath, sample, slices, unknownFields };
}
