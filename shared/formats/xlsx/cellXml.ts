import type { WarningCollector } from '../output/warnings';
import { isWellFormed, toWellFormed } from '../records/plainValues';
import { EXCEL_MAX_CELL_CHARS } from './excelLimits';

/** Shown at the end of a cell that had to be cut to Excel's 32,767-character limit. */
export const TRUNCATION_MARKER = '…[truncated]';

/**
 * Characters that need work in cell text: markup, CR (an XML parser would turn it into LF),
 * characters XML 1.0 forbids, and `_xHHHH_`, which Excel would decode as an escaped character.
 * Quotes are escaped too, although XML does not need it in text: SheetJS looks for `r="…"`
 * anywhere in a cell, content included (text like `r="1"` could move the cell).
 */
// eslint-disable-next-line no-control-regex -- these patterns exist to find control characters
const NEEDS_WORK = /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const ESCAPE_LIKE = /_x[0-9A-Fa-f]{4}_/;
// eslint-disable-next-line no-control-regex -- as above
const WORK = /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|_(?=x[0-9A-Fa-f]{4}_)/g;
// eslint-disable-next-line no-control-regex -- as above
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function replaceOne(match: string): string {
  switch (match) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '"':
      return '&quot;';
    case "'":
      return '&apos;';
    case '\r':
      return '&#13;';
    case '_':
      return '_x005F_';
    default:
      return '';
  }
}

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * True for text that can go into `<t>` as it is — the common case, checked without building
 * anything. Anything else goes through {@link inlineStringXml}.
 */
export function isPlainCellText(text: string): boolean {
  const n = text.length;
  return (
    n > 0 &&
    n <= EXCEL_MAX_CELL_CHARS &&
    !isXmlSpace(text.charCodeAt(0)) &&
    !isXmlSpace(text.charCodeAt(n - 1)) &&
    !NEEDS_WORK.test(text) &&
    !(text.includes('_x') && ESCAPE_LIKE.test(text)) &&
    isWellFormed(text)
  );
}

/** Cuts to the limit with a visible marker, never splitting a surrogate pair. */
function truncate(text: string): string {
  let end = EXCEL_MAX_CELL_CHARS - TRUNCATION_MARKER.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + TRUNCATION_MARKER;
}

/**
 * The `<is>` element of an inline-string cell. Inline strings need no shared-strings table,
 * which would have to hold every distinct string in memory until the end. Text is never a
 * formula: only `<f>` elements are, and none is ever written. Empty when nothing is left to show.
 */
export function inlineStringXml(
  text: string,
  warnings: WarningCollector,
  sheetName: string,
  ref: string,
): string {
  let value = text;
  if (value.length > EXCEL_MAX_CELL_CHARS) {
    warnings.add(
      'cell_truncated',
      () =>
        `Sheet "${sheetName}" cell ${ref}: text longer than ${EXCEL_MAX_CELL_CHARS} characters was cut and ends with "${TRUNCATION_MARKER}"`,
    );
    value = truncate(value);
  }
  // Before any removal, so surrogates around a removed character cannot join into a new one.
  if (!isWellFormed(value)) {
    value = toWellFormed(value);
    warnings.add(
      'invalid_unicode_replaced',
      () => `Sheet "${sheetName}" cell ${ref}: unpaired UTF-16 surrogates were written as U+FFFD`,
    );
  }
  // A plain character class plus indexOf is much faster than one pattern with an alternative.
  if (NEEDS_WORK.test(value) || (value.includes('_x') && ESCAPE_LIKE.test(value))) {
    if (ILLEGAL.test(value)) {
      warnings.add(
        'xml_characters_removed',
        () => `Sheet "${sheetName}" cell ${ref}: control characters XML cannot carry were removed`,
      );
    }
    value = value.replace(WORK, replaceOne);
  }
  const n = value.length;
  // Only removed characters: no cell at all, as for an empty value.
  if (n === 0) return '';
  if (isXmlSpace(value.charCodeAt(0)) || isXmlSpace(value.charCodeAt(n - 1))) {
    return `<is><t xml:space="preserve">${value}</t></is>`;
  }
  return `<is><t>${value}</t></is>`;
}

/** Escapes text for an XML attribute or element in the workbook parts (sheet names). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
