import type { ColumnModel } from './columns/columnModel';
import type { ExportFormat } from './formatNames';
import type { ExportWarning } from './output/warnings';
import type { ReportContent } from './pdf/reportContent';
import type { RecordInput } from './records/recordSource';

/** Options shared by every format; those that do not apply to a format are ignored by it. */
export interface ExportOptions {
  format: ExportFormat;
  /**
   * Columns of CSV, XLSX and PDF. Inferred from the first records when omitted (nested
   * objects flattened, first array of objects expanded into rows). JSON keeps records as they are.
   */
  columns?: ColumnModel;
  /** When inferring columns: the array to expand (`"line_items"`), or `false` for none. */
  lineItems?: string | false;
  /** Gzip the output (`.gz`). */
  compression?: boolean;
  /**
   * JSON: wrap as `{"metadata": …, "records": […], "record_count": n}`. XLSX: add a
   * "Metadata" sheet. PDF: shown under the title. CSV and NDJSON have no place for it.
   */
  includeMetadata?: Readonly<Record<string, unknown>>;
  /** CSV: start with a UTF-8 byte order mark so Excel reads accents and CJK correctly. */
  bom?: boolean;
  /** PDF: makes a report (title, metadata, summary sections, then the table) instead of a plain table. */
  report?: ReportContent;
  /** XLSX: first sheet name (default "Export"). */
  sheetName?: string;
  /** XLSX: data rows per sheet (default 1,048,575, Excel's limit); smaller values are for tests. */
  maxRowsPerSheet?: number;
  /** Records read ahead to infer columns, types and widths (default 1,000). */
  sampleSize?: number;
}

/**
 * One table of a file that holds several ({@link writeTables}): a workbook's sheets, a
 * document's line items beside its other tables. Each table has its own columns.
 */
export interface ExportTable {
  /**
   * XLSX: the sheet's name (made valid and unique; `sheet_renamed` says when that changed it).
   * PDF: the heading above the table. CSV: the value of the `sheet` column, which is added
   * when there are several tables. Unnamed tables get `sheetName` (XLSX) or no heading (PDF).
   */
  name?: string;
  records: RecordInput;
  /** As {@link ExportOptions.columns}, for this table. */
  columns?: ColumnModel;
  /** As {@link ExportOptions.lineItems}, for this table. */
  lineItems?: string | false;
}

/** Summary of a written file, ready for a stage record or job document. */
export interface ExportFileResult {
  /** Size of the file as written (after compression). */
  bytes: number;
  /** Data rows written (tabular formats: line items make several rows per record). */
  rows: number;
  /** Records read from the input. */
  records: number;
  /** Hex SHA-256 of the file as written. */
  sha256: string;
  mime_type: string;
  /** Without the dot, e.g. `csv.gz`. */
  extension: string;
  warnings: ExportWarning[];
}

/** What a format writer reports once its last chunk is out. */
export interface BodySummary {
  rows: number;
  records: number;
}
