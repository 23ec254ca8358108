import type { WarningCollector } from '../../output/warnings';
import { flattenPairs } from '../../records/flattenPairs';
import type { FontChain } from '../text/fontChain';
import { layoutText } from '../text/lineLayout';
import type { ReportContent, ReportTable } from '../reportContent';
import type { PageFlow } from './pageFlow';
import { TableRenderer } from './tableRenderer';

/** A very long paragraph still flows over pages; this only bounds pathological input. */
const MAX_PARAGRAPH_LINES = 20_000;

export interface ReportFonts {
  regular: FontChain;
  bold: FontChain;
}

/** Draws text over as many lines (and pages) as it needs. */
export function drawParagraph(
  flow: PageFlow,
  text: string,
  chain: FontChain,
  size: number,
  warnings: WarningCollector,
  options: { gray?: number; spaceAfter?: number; keepWithNext?: number } = {},
): void {
  const lineHeight = size * 1.3;
  const laid = layoutText(text, chain, (flow.width * 1000) / size, MAX_PARAGRAPH_LINES);
  if (laid.clipped) {
    warnings.add(
      'pdf_text_clipped',
      () => `A paragraph starting "${text.slice(0, 40)}" was cut to ${MAX_PARAGRAPH_LINES} lines`,
    );
  }
  flow.ensure(lineHeight * Math.min(laid.lines.length, 1 + (options.keepWithNext ?? 0)));
  for (const line of laid.lines) {
    flow.ensure(lineHeight);
    flow.page.line(line, flow.left, flow.y - size, size, options.gray ?? 0);
    flow.y -= lineHeight;
  }
  flow.y -= options.spaceAfter ?? 0;
}

function metadataPairs(metadata: ReportContent['metadata']): [string, unknown][] {
  if (metadata === undefined) return [];
  if (Array.isArray(metadata)) return metadata.map(([k, v]: readonly [string, unknown]) => [k, v]);
  return flattenPairs(metadata as Readonly<Record<string, unknown>>);
}

/** Field/value pairs as a two-column table without header. */
export function drawKeyValueTable(
  flow: PageFlow,
  pairs: readonly (readonly [string, unknown])[],
  fonts: ReportFonts,
  warnings: WarningCollector,
): void {
  if (pairs.length === 0) return;
  const size = 8.5;
  const keyWidth = Math.min(180, flow.width * 0.32);
  const columns = [
    { header: 'Field', width: keyWidth, alignRight: false },
    { header: 'Value', width: flow.width - keyWidth, alignRight: false },
  ];
  const maxLines = Math.floor((flow.top - flow.bottom) / (size * 1.25)) - 2;
  const table = new TableRenderer(
    flow,
    columns,
    { body: fonts.regular, header: fonts.bold, size, maxLines, showHeader: false, firstColumnBold: true },
    warnings,
  );
  for (const [key, value] of pairs) table.row([key, value]);
  flow.y -= size;
}

/** A section's table: equal columns, header repeated if it runs over a page. */
function drawSectionTable(
  flow: PageFlow,
  table: ReportTable,
  fonts: ReportFonts,
  warnings: WarningCollector,
): void {
  const count = Math.max(1, table.headers.length, ...table.rows.map((r) => r.length));
  const size = 8.5;
  const columns = Array.from({ length: count }, (_, i) => ({
    header: table.headers[i] ?? '',
    width: flow.width / count,
    alignRight:
      table.rows.length > 0 &&
      table.rows.every((r) => typeof r[i] === 'number' || r[i] === undefined || r[i] === null),
  }));
  const maxLines = Math.floor((flow.top - flow.bottom) / (size * 1.25)) - 6;
  const renderer = new TableRenderer(
    flow,
    columns,
    { body: fonts.regular, header: fonts.bold, size, maxLines, showHeader: table.headers.length > 0 },
    warnings,
  );
  renderer.begin();
  for (const row of table.rows) renderer.row(row);
  renderer.end();
}

/** Title, subtitle, metadata and summary sections of a deliverable, before its table. */
export function drawReportHead(
  flow: PageFlow,
  report: ReportContent,
  extraMetadata: Readonly<Record<string, unknown>> | undefined,
  fonts: ReportFonts,
  warnings: WarningCollector,
): void {
  drawParagraph(flow, report.title, fonts.bold, 18, warnings, { spaceAfter: 4 });
  if (report.subtitle !== undefined)
    drawParagraph(flow, report.subtitle, fonts.regular, 11, warnings, { gray: 0.35, spaceAfter: 6 });
  flow.y -= 6;
  const pairs = [...metadataPairs(report.metadata), ...(extraMetadata ? flattenPairs(extraMetadata) : [])];
  drawKeyValueTable(flow, pairs, fonts, warnings);
  for (const section of report.sections ?? []) {
    drawParagraph(flow, section.heading, fonts.bold, 12, warnings, { spaceAfter: 3, keepWithNext: 2 });
    const paragraphs =
      section.body === undefined ? [] : typeof section.body === 'string' ? [section.body] : section.body;
    for (const paragraph of paragraphs)
      drawParagraph(flow, paragraph, fonts.regular, 9.5, warnings, { spaceAfter: 5 });
    if (section.table !== undefined) drawSectionTable(flow, section.table, fonts, warnings);
    flow.y -= 6;
  }
}
