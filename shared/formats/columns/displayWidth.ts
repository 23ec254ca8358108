import type { ResolvedColumn } from './columnModel';
import { RowExtractor } from './rowExtractor';
import type { ExportRecord } from '../records/recordSource';

function longestLine(text: string): number {
  let longest = 0;
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    longest = Math.max(longest, end - start);
    start = end + 1;
  }
  return Math.max(longest, text.length - start);
}

/** Characters a value takes when shown (its longest line for multi-line text). */
export function displayLength(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return longestLine(value);
    case 'number':
    case 'bigint':
      return String(value).length;
    case 'boolean':
      return 5;
    case 'undefined':
      return 0;
    default:
      if (value === null) return 0;
      return value instanceof Date ? 19 : 20;
  }
}

/**
 * Typical width of each column in characters, from the header and the sample rows: for text,
 * the 90th percentile of value lengths so one long comment does not make a column huge; for
 * numbers, booleans and dates the longest, as they should never wrap.
 */
export function sampleWidths(
  columns: readonly ResolvedColumn[],
  lineItemsPath: readonly string[] | undefined,
  sample: readonly ExportRecord[],
): number[] {
  const lengths = columns.map(() => [] as number[]);
  const extractor = new RowExtractor(columns, lineItemsPath);
  for (const record of sample) {
    extractor.forEachRow(record, (values) => {
      for (let i = 0; i < values.length; i++) lengths[i]?.push(displayLength(values[i]));
    });
  }
  return columns.map((column, i) => {
    const seen = (lengths[i] ?? []).sort((a, b) => a - b);
    const rank = column.type === 'string' || column.type === 'mixed' ? 0.9 : 1;
    const typical = seen.length === 0 ? 0 : (seen[Math.floor((seen.length - 1) * rank)] ?? 0);
    const dateWidth = column.type === 'date' ? 19 : 0;
    return column.width ?? Math.max(column.header.length, typical, dateWidth);
  });
}
