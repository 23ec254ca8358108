import type { ResolvedColumn } from '../columns/columnModel';
import { RowExtractor } from '../columns/rowExtractor';
import type { ChunkBuffer } from '../output/chunkBuffer';
import type { ExportRecord } from '../records/recordSource';
import { cellText } from '../records/cellText';
import type { UnknownFieldWatch } from '../columns/unknownFields';
import { MAY_START_FORMULA, isFormulaLike } from './formulaGuard';

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;
const BYTE_ORDER_MARK = '\uFEFF';
/** Lines are joined into strings of about this many characters before encoding: fewer, larger copies. */
const TEXT_BATCH = 16 * 1024;

/** RFC 4180 field for a text value, neutralised first so the apostrophe ends up inside the quotes. */
export function csvText(text: string): string {
  // A table lookup on the first character settles almost every cell without a call.
  const first = text.charCodeAt(0);
  const safe = MAY_START_FORMULA[first] === 1 && isFormulaLike(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(QUOTE, '""')}"` : safe;
}

/** One cell: numbers and booleans unquoted as they are, dates as ISO 8601, the rest as text. */
export function csvCell(value: unknown): string {
  if (typeof value === 'string') return csvText(value);
  // Objects and arrays become JSON text, quoted and guarded like any text; numbers stay numeric.
  const text = cellText(value);
  return typeof value === 'object' && value !== null && !(value instanceof Date) ? csvText(text) : text;
}

export interface CsvOptions {
  /** Starts the file with a UTF-8 byte order mark, which Excel needs to read UTF-8 correctly. */
  bom?: boolean;
  /**
   * A first column with the same value on every row: which table a row belongs to when
   * several tables share one file.
   */
  leading?: { header: string; value: string };
}

/** `lead` and the rest of a line, without a trailing comma when the rest is empty. */
function joinLead(lead: string | undefined, line: string, hasColumns: boolean): string {
  if (lead === undefined) return line;
  return hasColumns ? lead + ',' + line : lead;
}

/** CSV as header text, rows and (empty) footer: the shape every line-oriented format shares. */
export class CsvRowWriter {
  private readonly extractor: RowExtractor;
  /** The leading cell, already quoted and guarded. */
  private readonly lead: string | undefined;
  private text = '';
  private readonly writeRow = (values: readonly unknown[]): void => {
    let line = values.length > 0 ? csvCell(values[0]) : '';
    for (let i = 1; i < values.length; i++) line += ',' + csvCell(values[i]);
    this.text += joinLead(this.lead, line, values.length > 0) + '\r\n';
  };

  constructor(
    private readonly columns: readonly ResolvedColumn[],
    lineItemsPath: readonly string[] | undefined,
    private readonly options: CsvOptions,
    private readonly unknownFields: UnknownFieldWatch | undefined,
  ) {
    this.extractor = new RowExtractor(columns, lineItemsPath);
    this.lead = options.leading === undefined ? undefined : csvText(options.leading.value);
  }

  header(): string {
    const bom = this.options.bom === true ? BYTE_ORDER_MARK : '';
    const { leading } = this.options;
    // No records and no column model: an empty file rather than an empty header line.
    if (this.columns.length === 0 && leading === undefined) return bom;
    const line = this.columns.map((c) => csvText(c.header)).join(',');
    const lead = leading === undefined ? undefined : csvText(leading.header);
    return bom + joinLead(lead, line, this.columns.length > 0) + '\r\n';
  }

  /** Writes the rows of `records`; returns how many rows that made. */
  writeSlice(records: readonly ExportRecord[], out: ChunkBuffer): number {
    const keys = this.extractor.flatKeys;
    if (keys !== undefined) return this.writeFlatSlice(records, keys, out);
    let rows = 0;
    const { unknownFields, extractor, writeRow } = this;
    for (const record of records) {
      if (unknownFields) unknownFields.check(record);
      rows += extractor.forEachRow(record, writeRow);
      if (this.text.length >= TEXT_BATCH) {
        out.write(this.text);
        this.text = '';
      }
    }
    out.write(this.text);
    this.text = '';
    return rows;
  }

  footer(): string {
    return '';
  }

  /** The common case — top-level fields only, no line items — without per-cell calls through the extractor. */
  private writeFlatSlice(
    records: readonly ExportRecord[],
    keys: readonly string[],
    out: ChunkBuffer,
  ): number {
    const { unknownFields, lead } = this;
    const n = keys.length;
    let text = '';
    for (const record of records) {
      if (unknownFields) unknownFields.check(record);
      const fields: Readonly<Record<string, unknown>> =
        typeof record === 'object' && record !== null ? record : {};
      let line = n > 0 ? csvCell(fields[keys[0] ?? '']) : '';
      for (let i = 1; i < n; i++) line += ',' + csvCell(fields[keys[i] ?? '']);
      text += joinLead(lead, line, n > 0) + '\r\n';
      if (text.length >= TEXT_BATCH) {
        out.write(text);
        text = '';
      }
    }
    out.write(text);
    return records.length;
  }
}
