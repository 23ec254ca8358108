import type { ResolvedColumn } from '../columns/columnModel';
import { RowExtractor } from '../columns/rowExtractor';
import type { ChunkBuffer } from '../output/chunkBuffer';
import type { ExportRecord } from '../records/recordSource';
import { cellText } from '../records/cellText';
import type { UnknownFieldWatch } from '../columns/unknownFields';
import type { WarningCollector } from '../output/warnings';
import { isWellFormed, toWellFormed } from '../records/plainValues';
import { MAY_START_FORMULA, isFormulaLike } from './formulaGuard';

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;
const BYTE_ORDER_MARK = '\uFEFF';
/** Lines are joined into strings of about this many characters before encoding: fewer, larger copies. */
const TEXT_BATCH = 16 * 1024;

/**
 * Turns values into RFC 4180 fields and reports what it had to change: formula-like text
 * (prefixed with `'`) and unpaired surrogates (U+FFFD, as UTF-8 forces anyway).
 */
export class CsvCells {
  /** 1-based position of the record whose cells are being written; undefined for the header. */
  record: number | undefined;

  constructor(private readonly warnings: WarningCollector | undefined) {}

  /** A text value, neutralised first so the apostrophe ends up inside the quotes. */
  text(text: string): string {
    let safe = text;
    // A table lookup on the first character settles almost every cell without a call.
    if (MAY_START_FORMULA[text.charCodeAt(0)] === 1 && isFormulaLike(text)) {
      safe = `'${text}`;
      this.report(
        'formula_neutralised',
        'text starting like a formula (=, +, -, @, tab or CR) was prefixed with "\'" so spreadsheets show it as text',
      );
    }
    if (!isWellFormed(safe)) {
      safe = toWellFormed(safe);
      this.report('invalid_unicode_replaced', 'unpaired UTF-16 surrogates were written as U+FFFD');
    }
    return NEEDS_QUOTES.test(safe) ? `"${safe.replace(QUOTE, '""')}"` : safe;
  }

  /** One cell: numbers and booleans unquoted as they are, dates as ISO 8601, the rest as text. */
  cell(value: unknown): string {
    if (typeof value === 'string') return this.text(value);
    // Objects and arrays become JSON text, quoted and guarded like any text; numbers stay numeric.
    const text = cellText(value);
    return typeof value === 'object' && value !== null && !(value instanceof Date) ? this.text(text) : text;
  }

  private report(code: 'formula_neutralised' | 'invalid_unicode_replaced', what: string): void {
    const { warnings, record } = this;
    if (warnings === undefined) return;
    warnings.record = record;
    warnings.add(code, () => `${record === undefined ? 'Header' : `Record ${record}`}: ${what}`);
    warnings.record = undefined;
  }
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
  private readonly cells: CsvCells;
  /** The leading cell, already quoted and guarded. */
  private readonly lead: string | undefined;
  /** Records written by this writer and by earlier parts of the file. */
  private written: number;
  private text = '';
  private readonly writeRow = (values: readonly unknown[]): void => {
    const { cells } = this;
    let line = values.length > 0 ? cells.cell(values[0]) : '';
    for (let i = 1; i < values.length; i++) line += ',' + cells.cell(values[i]);
    this.text += joinLead(this.lead, line, values.length > 0) + '\r\n';
  };

  /**
   * @param warnings where neutralised formulas and replaced characters are reported
   * @param recordsBefore records written by earlier parts of the same file, so warnings name
   *   a record by its place in the whole file
   */
  constructor(
    private readonly columns: readonly ResolvedColumn[],
    lineItemsPath: readonly string[] | undefined,
    private readonly options: CsvOptions,
    private readonly unknownFields: UnknownFieldWatch | undefined,
    warnings: WarningCollector | undefined,
    recordsBefore = 0,
  ) {
    this.extractor = new RowExtractor(columns, lineItemsPath);
    this.cells = new CsvCells(warnings);
    this.written = recordsBefore;
    this.lead = options.leading === undefined ? undefined : this.cells.text(options.leading.value);
  }

  header(): string {
    const bom = this.options.bom === true ? BYTE_ORDER_MARK : '';
    const { leading } = this.options;
    // No records and no column model: an empty file rather than an empty header line.
    if (this.columns.length === 0 && leading === undefined) return bom;
    this.cells.record = undefined;
    const line = this.columns.map((c) => this.cells.text(c.header)).join(',');
    const lead = leading === undefined ? undefined : this.cells.text(leading.header);
    return bom + joinLead(lead, line, this.columns.length > 0) + '\r\n';
  }

  /** Writes the rows of `records`; returns how many rows that made. */
  writeSlice(records: readonly ExportRecord[], out: ChunkBuffer): number {
    const keys = this.extractor.flatKeys;
    if (keys !== undefined) return this.writeFlatSlice(records, keys, out);
    let rows = 0;
    const { unknownFields, extractor, writeRow, cells } = this;
    for (const record of records) {
      cells.record = ++this.written;
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
    const { unknownFields, lead, cells } = this;
    const n = keys.length;
    let text = '';
    for (const record of records) {
      cells.record = ++this.written;
      if (unknownFields) unknownFields.check(record);
      const fields: Readonly<Record<string, unknown>> =
        typeof record === 'object' && record !== null ? record : {};
      let line = n > 0 ? cells.cell(fields[keys[0] ?? '']) : '';
      for (let i = 1; i < n; i++) line += ',' + cells.cell(fields[keys[i] ?? '']);
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
