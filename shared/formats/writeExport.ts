import { csvFile } from './csv/csvFile';
import type { BodySummary, ExportFileResult, ExportOptions, ExportTable } from './exportOptions';
import { ExportFormatError } from './exportFormatError';
import { extensionFor, mimeTypeFor, normaliseExportFormat } from './formatNames';
import { JsonArrayWriter, NdjsonWriter } from './json/jsonRowWriters';
import { lineFile } from './lineFile';
import { collect } from './output/generators';
import { hashedOutput } from './output/hashedOutput';
import { WarningCollector } from './output/warnings';
import { pdfFile } from './pdf/pdfFile';
import type { RecordInput } from './records/recordSource';
import { recordSlices } from './records/recordSource';
import type { TableSetup } from './tableSetup';
import { setUpTable } from './tableSetup';
import { xlsxFile } from './xlsx/xlsxFile';

/** The one table of a format that has no room for several. */
function onlyTable(tables: readonly ExportTable[], format: string): ExportTable {
  const [only] = tables;
  if (tables.length !== 1 || only === undefined) {
    throw new ExportFormatError(
      'invalid_options',
      `${format.toUpperCase()} keeps records as they are: write one table, not ${tables.length}`,
    );
  }
  return only;
}

async function setUpAll(
  tables: readonly ExportTable[],
  sampleSize: number | undefined,
  warnings: WarningCollector,
): Promise<TableSetup[]> {
  const setups: TableSetup[] = [];
  for (const table of tables) setups.push(await setUpTable(table, sampleSize, warnings));
  return setups;
}

async function* formatBody(
  tables: readonly ExportTable[],
  options: ExportOptions,
  warnings: WarningCollector,
): AsyncGenerator<Uint8Array, BodySummary, undefined> {
  switch (options.format) {
    case 'json':
      return yield* lineFile(
        recordSlices(onlyTable(tables, 'json').records),
        new JsonArrayWriter(options.includeMetadata, 0, warnings),
      );
    case 'ndjson':
      return yield* lineFile(
        recordSlices(onlyTable(tables, 'ndjson').records),
        new NdjsonWriter(0, warnings),
      );
    case 'csv': {
      // CSV writes one header for every table, so all of them are set up first.
      const setups = await setUpAll(tables, options.sampleSize, warnings);
      return yield* csvFile(setups, { bom: options.bom }, warnings);
    }
    case 'xlsx': {
      const xlsxOptions = {
        sheetName: options.sheetName,
        maxRowsPerSheet: options.maxRowsPerSheet,
        metadata: options.includeMetadata,
      };
      const sheets = tables.map((table) => () => setUpTable(table, options.sampleSize, warnings));
      return yield* xlsxFile(sheets, xlsxOptions, warnings);
    }
    case 'pdf': {
      // The page orientation depends on the widest table, so all of them are set up first.
      const setups = await setUpAll(tables, options.sampleSize, warnings);
      return yield* pdfFile(setups, { report: options.report, metadata: options.includeMetadata }, warnings);
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
export function writeExport(
  records: RecordInput,
  options: ExportOptions,
): AsyncGenerator<Uint8Array, ExportFileResult, undefined> {
  return writeTables([{ records, columns: options.columns, lineItems: options.lineItems }], options);
}

/**
 * Writes one file of several tables, each with its own columns: one sheet per table in XLSX,
 * a heading and a table per table in PDF, one table with a leading `sheet` column in CSV.
 * JSON and NDJSON take exactly one table. `columns` and `lineItems` of `options` are not
 * used: each table carries its own. No tables is one table without records.
 */
export async function* writeTables(
  tables: readonly ExportTable[],
  options: ExportOptions,
): AsyncGenerator<Uint8Array, ExportFileResult, undefined> {
  const warnings = new WarningCollector();
  const compression = options.compression === true;
  // Callers pass a normalised format; an alias or odd casing arriving at run time still works.
  const format = normaliseExportFormat(options.format);
  const input = tables.length > 0 ? tables : [{ records: [] }];
  const body = formatBody(input, { ...options, format }, warnings);
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
