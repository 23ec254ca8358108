import type { ExportFormat } from '../../shared/formats/formatNames';
import { writeExport } from '../../shared/formats/index';
import type { ExportRecord } from '../../shared/formats/records/recordSource';
import { pipeExport } from '../../shared/formats/output/generators';
import { benchRecords } from './benchRecords';
import type { FileSink } from './fileSink';

/** Our writer, exactly as the export code calls it: inferred columns, default options. */
export async function writeWithExportrail(
  format: ExportFormat,
  pool: readonly ExportRecord[],
  rows: number,
  sink: FileSink,
): Promise<void> {
  const result = await pipeExport(writeExport(benchRecords(pool, rows), { format }), (chunk) =>
    sink.write(chunk),
  );
  if (result.rows !== rows) throw new Error(`wrote ${result.rows} rows, expected ${rows}`);
}
