import type { ResolvedColumn } from '../columns/columnModel';
import { parseWallClock } from '../columns/isoDate';
import { MAY_START_FORMULA, isFormulaLike } from '../csv/formulaGuard';
import type { WarningCollector } from '../output/warnings';
import { safeJsonStringify } from '../records/safeJson';
import { inlineStringXml, isPlainCellText } from './cellXml';
import { excelSerial, wallClockSerial } from './excelDate';
import { STYLE, columnLetters } from './workbookParts';

/** Excel keeps 15 significant digits of a number and rounds away the rest when it opens the file. */
const EXCEL_DIGITS = 15;

/** True when the number's shortest text has more significant digits than Excel keeps. */
function beyondExcelPrecision(text: string): boolean {
  const mantissa = (text.split('e')[0] ?? '').replace('-', '').replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length > EXCEL_DIGITS;
}

/**
 * Builds `<row>` elements with typed cells: numbers as numbers, booleans as booleans, dates
 * (Date objects, or wall-clock ISO 8601 text in a date column) as date serials with a date
 * style, and everything else as inline text. Empty values get no cell at all.
 */
export class SheetRowXml {
  private readonly letters: readonly string[];
  private readonly dateColumn: readonly boolean[];
  /** Sheet name, for warnings only. */
  sheetName = '';

  constructor(
    private readonly columns: readonly ResolvedColumn[],
    private readonly warnings: WarningCollector,
  ) {
    this.letters = columns.map((_, i) => columnLetters(i));
    this.dateColumn = columns.map((c) => c.type === 'date');
  }

  headerRow(): string {
    // A header is no record's: its warnings name a cell only.
    const record = this.warnings.record;
    this.warnings.record = undefined;
    let xml = '<row r="1">';
    for (let i = 0; i < this.columns.length; i++) {
      const ref = `${this.letters[i] ?? ''}1`;
      const header = this.columns[i]?.header ?? '';
      const inline = inlineStringXml(header, this.warnings, this.sheetName, ref);
      if (inline === '') continue;
      const style = this.quoted(header, ref) ? STYLE.quotedHeader : STYLE.header;
      xml += `<c r="${ref}" t="inlineStr" s="${style}">${inline}</c>`;
    }
    this.warnings.record = record;
    return xml + '</row>';
  }

  /** @param rowNumber 1-based sheet row (the header is row 1). */
  row(values: readonly unknown[], rowNumber: number): string {
    const r = String(rowNumber);
    const { letters, dateColumn } = this;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      // Every cell names its place: ECMA-376 makes `r` optional, but exceljs cannot read a cell without it.
      const ref = `${letters[i] ?? ''}${r}`;
      let cell: string;
      switch (typeof value) {
        case 'string':
          if (value === '') continue;
          if (dateColumn[i] === true) {
            const wallClock = parseWallClock(value);
            const serial = wallClock === undefined ? undefined : wallClockSerial(wallClock);
            if (wallClock !== undefined && serial !== undefined) {
              cell = ` s="${wallClock.hasTime ? STYLE.dateTime : STYLE.date}"><v>${serial}</v></c>`;
              break;
            }
          }
          cell = this.textCell(value, ref);
          if (cell === '') continue;
          break;
        case 'number': {
          if (!Number.isFinite(value)) continue;
          const text = String(value);
          cell =
            text.length > EXCEL_DIGITS && beyondExcelPrecision(text)
              ? this.preciseNumber(text, ref)
              : `><v>${text}</v></c>`;
          break;
        }
        case 'boolean':
          cell = ` t="b"><v>${value ? 1 : 0}</v></c>`;
          break;
        case 'bigint':
          cell =
            value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
              ? `><v>${value.toString()}</v></c>`
              : this.textCell(value.toString(), ref);
          break;
        case 'object':
          if (value === null) continue;
          cell = this.objectCell(value, ref);
          if (cell === '') continue;
          break;
        default:
          continue;
      }
      xml += `<c r="${ref}"` + cell;
    }
    return xml + '</row>';
  }

  /** The rest of a `<c` element for an object value, or '' for no cell. */
  private objectCell(value: object, ref: string): string {
    if (value instanceof Date) {
      const serial = excelSerial(value.getTime());
      if (serial !== undefined) return ` s="${STYLE.dateTime}"><v>${serial}</v></c>`;
      return Number.isNaN(value.getTime()) ? '' : this.textCell(value.toISOString(), ref);
    }
    return this.textCell(safeJsonStringify(value), ref);
  }

  /** A number Excel would round (`1234567890123456`), as text that keeps every digit. */
  private preciseNumber(text: string, ref: string): string {
    this.warnings.add(
      'number_as_text',
      () =>
        `Sheet "${this.sheetName}" cell ${ref}: the number ${text} has more than the ${EXCEL_DIGITS} significant digits Excel keeps, so it is written as text`,
    );
    return ` t="inlineStr"><is><t>${text}</t></is></c>`;
  }

  /** The rest of a `<c` element for text; '' when nothing is left to show. */
  private textCell(value: string, ref: string): string {
    const style = this.quoted(value, ref) ? ` s="${STYLE.quoted}"` : '';
    if (style === '' && isPlainCellText(value)) return ` t="inlineStr"><is><t>${value}</t></is></c>`;
    const inline = inlineStringXml(value, this.warnings, this.sheetName, ref);
    return inline === '' ? '' : ` t="inlineStr"${style}>${inline}</c>`;
  }

  /**
   * True (and reported) for text that starts like a formula. An inline string is never
   * evaluated as it stands; the quote-prefix style keeps it text when someone edits the cell.
   */
  private quoted(text: string, ref: string): boolean {
    if (MAY_START_FORMULA[text.charCodeAt(0)] !== 1 || !isFormulaLike(text)) return false;
    this.warnings.add(
      'formula_neutralised',
      () =>
        `Sheet "${this.sheetName}" cell ${ref}: text starting like a formula (=, +, -, @, tab or CR) is marked as text (quote prefix); its value is unchanged`,
    );
    return true;
  }
}
