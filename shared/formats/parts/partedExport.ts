import type { ColumnModel } from '../columns/columnModel';
import { resolveColumns } from '../columns/inferColumns';
import { CsvRowWriter } from '../csv/csvRowWriter';
import { ExportFormatError } from '../exportFormatError';
import type { BodySummary } from '../exportOptions';
import { JsonArrayWriter, NdjsonWriter } from '../json/jsonRowWriters';
import type { LineFormatWriter } from '../lineFile';
import { lineFile } from '../lineFile';
import { hashedOutput } from '../output/hashedOutput';
import type { ExportWarning } from '../output/warnings';
import { WarningCollector } from '../output/warnings';
import type { ExportRecord, RecordInput } from '../records/recordSource';
import { recordSlices } from '../records/recordSource';

/** Formats whose files are a header, rows and a footer, so parts can be concatenated. */
export type PartedFormat = 'csv' | 'json' | 'ndjson';

/**
 * Options every part of one file must share. CSV needs the column model up front (the header
 * is written before any row): infer it once with `inferColumnModel` on the first batch.
 */
export interface PartedExportOptions {
  format: PartedFormat;
  columns?: ColumnModel;
  /** Each part becomes its own gzip member; concatenated members are one valid `.gz` file. */
  compression?: boolean;
  includeMetadata?: Readonly<Record<string, unknown>>;
  bom?: boolean;
}

/** Summary of one part; the file's own SHA-256 is over the concatenation, computed by whoever joins them. */
export interface ExportPartResult {
  bytes: number;
  rows: number;
  records: number;
  sha256: string;
  warnings: ExportWarning[];
}

function writerFor(
  options: PartedExportOptions,
  recordsBefore: number,
  warnings: WarningCollector,
): LineFormatWriter {
  switch (options.format) {
    case 'json':
      return new JsonArrayWriter(options.includeMetadata, recordsBefore, warnings);
    case 'ndjson':
      return new NdjsonWriter(recordsBefore, warnings);
    case 'csv': {
      if (options.columns === undefined) {
        throw new ExportFormatError(
          'columns_required',
          'A CSV written in parts needs a column model shared by every part',
        );
      }
      // Column types only matter to XLSX and PDF, so no sample is needed here.
      const columns = resolveColumns(options.columns, []);
      return new CsvRowWriter(
        columns,
        options.columns.lineItemsPath,
        { bom: options.bom },
        undefined,
        warnings,
        recordsBefore,
      );
    }
    default: {
      const format: unknown = options.format;
      throw new ExportFormatError(
        'unsupported_format',
        `Format "${String(format)}" cannot be written in parts`,
      );
    }
  }
}

async function* noRecords(): AsyncGenerator<readonly ExportRecord[]> {
  // A header or footer part reads no records.
}

/**
 * One part's bytes and summary. Its warnings name records by their place in the whole file;
 * whoever joins the parts adds up the counts per code (and keeps the first `first_record`).
 */
async function* part(
  body: AsyncGenerator<Uint8Array, BodySummary, undefined>,
  warnings: WarningCollector,
  compression: boolean | undefined,
): AsyncGenerator<Uint8Array, ExportPartResult, undefined> {
  const summary = yield* hashedOutput(body, compression === true);
  return {
    bytes: summary.bytes,
    rows: summary.rows,
    records: summary.records,
    sha256: summary.sha256,
    warnings: warnings.list(),
  };
}

/** The first part of a file: BOM and header row (CSV), `[` or the metadata block (JSON), nothing (NDJSON). */
export function writeExportHeader(
  options: PartedExportOptions,
): AsyncGenerator<Uint8Array, ExportPartResult, undefined> {
  const warnings = new WarningCollector();
  const writer = writerFor(options, 0, warnings);
  const parts = { header: true, footer: false, recordsBefore: 0 };
  return part(lineFile(noRecords(), writer, parts), warnings, options.compression);
}

/**
 * A body part: the rows of one batch. `recordsBefore` is the number of records written by
 * earlier body parts (JSON puts a comma before every record but the file's first).
 */
export function writeExportBody(
  records: RecordInput,
  options: PartedExportOptions,
  position: { recordsBefore: number },
): AsyncGenerator<Uint8Array, ExportPartResult, undefined> {
  const warnings = new WarningCollector();
  const writer = writerFor(options, position.recordsBefore, warnings);
  const parts = { header: false, footer: false, recordsBefore: position.recordsBefore };
  return part(lineFile(recordSlices(records), writer, parts), warnings, options.compression);
}

/** The last part: `]` or `],"record_count":n}` for JSON, nothing for CSV and NDJSON. */
export function writeExportFooter(
  options: PartedExportOptions,
  totals: { records: number },
): AsyncGenerator<Uint8Array, ExportPartResult, undefined> {
  const warnings = new WarningCollector();
  const writer = writerFor(options, totals.records, warnings);
  const parts = { header: false, footer: true, recordsBefore: totals.records };
  return part(lineFile(noRecords(), writer, parts), warnings, options.compression);
}
