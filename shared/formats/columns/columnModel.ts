/**
 * How a value is shown: `date` columns hold Date objects or ISO 8601 strings (XLSX writes
 * them as real dates); `mixed` columns hold values of several kinds and are written as found.
 */
export type ColumnType = 'string' | 'number' | 'boolean' | 'date' | 'mixed';

/** One column of a tabular export (CSV, XLSX, PDF). Plain data, so it can cross activity boundaries. */
export interface ExportColumn {
  /** Unique dotted name, e.g. `customer.email` or `line_items.sku`; the default header. */
  key: string;
  /**
   * Property names from the record root to the value. Defaults to `key` split on dots; give it
   * when a property name itself contains a dot.
   */
  path?: readonly string[];
  /** Header text; defaults to `key`. */
  header?: string;
  /** Inferred from the first records when omitted. */
  type?: ColumnType;
  /** Width in characters for XLSX and PDF; estimated from the first records when omitted. */
  width?: number;
}

/**
 * The table a tabular export writes. Nested objects are flattened into dotted columns. One
 * array of objects per record — the line items — may be expanded into one row per element:
 * the record's own columns are repeated on each of those rows and the item's fields fill the
 * columns under the array's path (`line_items.sku`). A record whose array is empty or missing
 * still gives one row. Every other array is written as JSON text in a single cell.
 */
export interface ColumnModel {
  columns: readonly ExportColumn[];
  /** Path of the array expanded into one row per element; none when omitted. */
  lineItemsPath?: readonly string[];
}

/** A column with every default applied, as the writers use it. */
export interface ResolvedColumn {
  key: string;
  path: readonly string[];
  header: string;
  type: ColumnType;
  width: number | undefined;
}

export function columnPath(column: ExportColumn): readonly string[] {
  return column.path ?? column.key.split('.');
}
