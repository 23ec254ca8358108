import { RowExtractor } from '../../columns/rowExtractor';
import type { TableSetup } from '../../tableSetup';
import type { FontChain } from '../text/fontChain';
import { layoutText } from '../text/lineLayout';
import { cellText } from '../../records/cellText';
import type { TableColumn } from './tableRenderer';

/** Cell padding (both sides) plus a hair of slack, in points. */
const CELL_PADDING = 6;
/** A header longer than this may wrap rather than widen its column. */
const MAX_HEADER_CHARS = 16;
/** No column asks for more than this share of the page. */
const MAX_SHARE = 0.45;
const UNBOUNDED = 1e9;

/**
 * Column widths in points: each column asks for its natural width (header and typical value
 * on one line); if they do not all fit, narrow columns keep theirs and the wide ones share
 * what is left equally ("water filling"), so ids, amounts and dates do not wrap while long
 * text does.
 */
export function fitColumnWidths(natural: readonly number[], available: number): number[] {
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= 0) return natural.map(() => available / Math.max(1, natural.length));
  if (total <= available) return natural.map((w) => w + ((available - total) * w) / total);
  const widths = new Array<number>(natural.length).fill(0);
  const order = natural.map((w, i) => ({ w, i })).sort((a, b) => a.w - b.w);
  let remaining = available;
  order.forEach(({ w, i }, k) => {
    const width = Math.min(w, remaining / (order.length - k));
    widths[i] = width;
    remaining -= width;
  });
  return widths;
}

function widestLine(text: string, chain: FontChain): number {
  let widest = 0;
  for (const line of layoutText(text, chain, UNBOUNDED, 50).lines) widest = Math.max(widest, line.width);
  return widest;
}

/**
 * Measures the header and the sample's values with the fonts that will draw them: text
 * columns ask for their 90th-percentile value, numbers, booleans and dates for their widest.
 */
export function measureTableColumns(
  table: TableSetup,
  available: number,
  fontSize: number,
  fonts: { body: FontChain; header: FontChain },
): TableColumn[] {
  const measured = table.columns.map(() => [] as number[]);
  const extractor = new RowExtractor(table.columns, table.lineItemsPath);
  fonts.body.measuring = true;
  fonts.header.measuring = true;
  try {
    for (const record of table.sample) {
      extractor.forEachRow(record, (values) => {
        for (let i = 0; i < values.length; i++)
          measured[i]?.push(widestLine(cellText(values[i]), fonts.body));
      });
    }
  } finally {
    fonts.body.measuring = false;
    fonts.header.measuring = false;
  }
  const natural = table.columns.map((column, i) => {
    const words = column.header.split(/\s+/).filter((w) => w.length <= MAX_HEADER_CHARS);
    const header = Math.max(0, ...words.map((w) => widestLine(w, fonts.header)));
    const values = (measured[i] ?? []).sort((a, b) => a - b);
    const rank = column.type === 'string' || column.type === 'mixed' ? 0.9 : 1;
    const value = values.length === 0 ? 0 : (values[Math.floor((values.length - 1) * rank)] ?? 0);
    const points = (Math.max(header, value) * fontSize) / 1000 + CELL_PADDING;
    return Math.min(points, available * MAX_SHARE);
  });
  const widths = fitColumnWidths(natural, available);
  return table.columns.map((c, i) => ({
    header: c.header,
    width: widths[i] ?? 0,
    alignRight: c.type === 'number',
  }));
}
