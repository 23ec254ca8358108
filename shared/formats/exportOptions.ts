import type { ColumnModel } from './columns/columnModel';
import type { ExportFormat } from './formatNames';
import type { ExportWarning } from './output/warnings';
import type { ReportContent } from './pdf/reportContent';

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
