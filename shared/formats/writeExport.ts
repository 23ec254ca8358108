import { sampleWidths } from './columns/displayWidth';
import { CsvRowWriter } from './csv/csvRowWriter';
import type { BodySummary, ExportFileResult, ExportOptions } from './exportOptions';
import { ExportFormatError } from './exportFormatError';
import { extensionFor, mimeTypeFor, normaliseExportFormat } from './formatNames';
import { JsonArrayWriter, NdjsonWriter } from './json/jsonRowWriters';
import { lineFile } from './lineFile';
import { collect } from './output/generators';
import { hashedOutput } from './output/hashedOutput';
import { WarningCollector } from './output/warnings';
import { pdfFile } from './pdf/pdfFile';
import type { ExportRecord, RecordInput } from './records/recordSource';
import { recordSlices } from './records/recordSource';
import { setUpTable } from './tableSetup';
import { xlsxFile } from './xlsx/xlsxFile';

async function* formatBody(
  source: AsyncGenerator<readonly ExportRecord[]>,
  options: ExportOptions,
  warnings: WarningCollector,
): AsyncGenerator<Uint8Array, BodySummary, undefined> {
  switch (options.format) {
    case 'json':
      return yield* lineFile(source, new JsonArrayWriter(options.includeMetadata));
    case 'ndjson':
      return yield* lineFile(source, new NdjsonWriter());
    case 'csv': {
      const table = await setUpTable(source, options, warnings);
      const writer = new CsvRowWriter(
        table.columns,
        table.lineItemsPath,
        { bom: options.bom },
        table.unknownFields,
      );
      return yield* lineFile(table.slices, writer);
    }
    case 'xlsx': {
      const table = await setUpTable(source, options, warnings);
      const widths = sampleWidths(table.columns, table.lineItemsPath, table.sample);
      const xlsxOptions = {
        sheetName: options.sheetName,
        maxRowsPerSheet: options.maxRowsPerSheet,
        metadata: options.includeMetadata,
      };
      return yield* xlsxFile(
        table.slices,
        table.columns,
        table.lineItemsPath,
        widths,
        xlsxOptions,
        warnings,
        table.unknownFields,
      );
    }
    case 'pdf': {
      const table = await setUpTable(source, options, warnings);
      return yield* pdfFile(table, { report: options.report, metadata: options.includeMetadata }, warnings);
    }
    default: {
      const format: unknown = options.format;
      throw new ExportFormatError('unsupported_format', `Unsupported format "${String(format)}"`);
    }
  }
}

/**
 * Writes one export file. Yields the file's bytes in chunks (about 256 KiB; hand them to a
 * blob upload or an HTTP response as they come) and returns the file's summary. Memory stays
 * flat whatever the number of records: a one-page deliverable and a million-row job take the
 * same path.
 *
 * Records may come one by one or in batches (arrays), synchronously or not. Values are never
 * a reason to fail: anything odd is neutralised, replaced or reported in `warnings`.
 */
export async function* writeExport(
  records: RecordInput,
  options: ExportOptions,
): AsyncGenerator<Uint8Array, ExportFileResult, undefined> {
  const warnings = new WarningCollector();
  const compression = options.compression === true;
  // Callers pass a normalised format; an alias or odd casing arriving at run time still works.
  const format = normaliseExportFormat(options.format);
  const body = formatBody(recordSlices(records), { ...options, format }, warnings);
  const summary = yield* hashedOutput(body, compression);
  return {
    bytes: summary.bytes,
    rows: summary.rows,
    records: summary.records,
    sha256: summary.sha256,
    mime_type: mimeTypeFor(format, compression),
    extension: extensionFor(format, compression),
    warnings: warnings.list(),
  };
}

/** {@link writeExport} collected into one buffer: for deliverables and other small files. */
export async function writeExportToBuffer(
  records: RecordInput,
  options: ExportOptions,
): Promise<{ bytes: Buffer; result: ExportFileResult }> {
  return collect(writeExport(records, options));
}
