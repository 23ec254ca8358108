import type { ResolvedColumn } from '../columns/columnModel';
import { parseIsoDate } from '../columns/isoDate';
import type { WarningCollector } from '../output/warnings';
import { safeJsonStringify } from '../records/safeJson';
import { inlineStringXml, isPlainCellText } from './cellXml';
import { excelSerial } from './excelDate';
import { STYLE, columnLetters } from './workbookParts';

/**
 * Builds `<row>` elements with typed cells: numbers as numbers, booleans as booleans, dates
 * (Date objects, or ISO 8601 text in a date column) as date serials with a date style, and
 * everything else as inline text. Empty values get no cell at all.
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
    let xml = '<row r="1">';
    for (let i = 0; i < this.columns.length; i++) {
      const ref = `${this.letters[i] ?? ''}1`;
      const header = this.columns[i]?.header ?? '';
      const inline = inlineStringXml(header, this.warnings, this.sheetName, ref);
      if (inline !== '') xml += `<c r="${ref}" t="inlineStr" s="${STYLE.header}">${inline}</c>`;
    }
    return xml + '</row>';
  }

  /** @param rowNumber 1-based sheet row (the header is row 1). */
  row(values: readonly unknown[], rowNumber: number): string {
    const r = String(rowNumber);
    const { letters, dateColumn } = this;
    let xml = `<row r="${r}">`;
    // A cell names its position only after a gap: readers place a cell without `r` right
    // after the previous one (ECMA-376 makes `r` optional), and dense rows are then ~15% smaller.
    let next = 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      let cell: string;
      switch (typeof value) {
        case 'string':
          if (value === '') continue;
          if (dateColumn[i] === true) {
            const parsed = parseIsoDate(value);
            const serial = parsed === undefined ? undefined : excelSerial(parsed.epochMs);
            if (parsed !== undefined && serial !== undefined) {
              cell = ` s="${parsed.hasTime ? STYLE.dateTime : STYLE.date}"><v>${serial}</v></c>`;
              break;
            }
          }
          cell = isPlainCellText(value)
            ? ` t="inlineStr"><is><t>${value}</t></is></c>`
            : this.slowText(value, `${letters[i] ?? ''}${r}`);
          if (cell === '') continue;
          break;
        case 'number':
          if (!Number.isFinite(value)) continue;
          cell = `><v>${value}</v></c>`;
          break;
        case 'boolean':
          cell = ` t="b"><v>${value ? 1 : 0}</v></c>`;
          break;
        case 'bigint':
          cell =
            value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
              ? `><v>${value.toString()}</v></c>`
              : this.slowText(value.toString(), `${letters[i] ?? ''}${r}`);
          break;
        case 'object':
          if (value === null) continue;
          cell = this.objectCell(value, `${letters[i] ?? ''}${r}`);
          if (cell === '') continue;
          break;
        default:
          continue;
      }
      xml += (i === next ? '<c' : `<c r="${letters[i] ?? ''}${r}"`) + cell;
      next = i + 1;
    }
    return xml + '</row>';
  }

  /** The rest of a `<c` element for an object value, or '' for no cell. */
  private objectCell(value: object, ref: string): string {
    if (value instanceof Date) {
      const serial = excelSerial(value.getTime());
      if (serial !== undefined) return ` s="${STYLE.dateTime}"><v>${serial}</v></c>`;
      return Number.isNaN(value.getTime()) ? '' : this.slowText(value.toISOString(), ref);
    }
    return this.slowText(safeJsonStringify(value), ref);
  }

  /** Text that needs escaping, trimming or a space marker; '' when nothing is left to show. */
  private slowText(value: string, ref: string): string {
    const inline = inlineStringXml(value, this.warnings, this.sheetName, ref);
    return inline === '' ? '' : ` t="inlineStr">${inline}</c>`;
  }
}
