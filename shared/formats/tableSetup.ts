import type { ColumnModel, ResolvedColumn } from './columns/columnModel';
import { discoverColumns, resolveColumns } from './columns/inferColumns';
import { UnknownFieldWatch } from './columns/unknownFields';
import type { ExportOptions } from './exportOptions';
import type { WarningCollector } from './output/warnings';
import type { ExportRecord } from './records/recordSource';
import { lookahead } from './records/recordSource';

const DEFAULT_SAMPLE = 1000;

/** What a tabular writer needs before its first byte: the columns and the records seen so far. */
export interface TableSetup {
  columns: readonly ResolvedColumn[];
  lineItemsPath: readonly string[] | undefined;
  sample: readonly ExportRecord[];
  slices: AsyncGenerator<readonly ExportRecord[]>;
  unknownFields: UnknownFieldWatch | undefined;
}

/** Reads ahead, then fixes the column model (given or inferred) for CSV, XLSX and PDF. */
export async function setUpTable(
  source: AsyncGenerator<readonly ExportRecord[]>,
  options: Pick<ExportOptions, 'columns' | 'lineItems' | 'sampleSize'>,
  warnings: WarningCollector,
): Promise<TableSetup> {
  const { sample, slices } = await lookahead(source, options.sampleSize ?? DEFAULT_SAMPLE);
  const model: ColumnModel = options.columns ?? discoverColumns(sample, { lineItems: options.lineItems });
  const columns = resolveColumns(model, sample);
  const unknownFields =
    options.columns === undefined
      ? new UnknownFieldWatch(
          columns.map((c) => c.path[0] ?? ''),
          warnings,
        )
      : undefined;
  return { columns, lineItemsPath: model.lineItemsPath, sample, slices, unknownFields };
}
