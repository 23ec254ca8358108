import { RowExtractor } from '../columns/rowExtractor';
import type { BodySummary } from '../exportOptions';
import type { WarningCollector } from '../output/warnings';
import { flattenPairs } from '../records/flattenPairs';
import type { TableSetup } from '../tableSetup';
import { PdfStreamDocument } from './document/pdfStreamDocument';
import { DocumentFonts } from './fonts/documentFonts';
import { A4_LANDSCAPE, A4_PORTRAIT, PageFlow, totalPagesContent } from './layout/pageFlow';
import { drawKeyValueTable, drawParagraph, drawReportHead } from './layout/reportHead';
import { measureTableColumns } from './layout/columnWidths';
import { TableRenderer } from './layout/tableRenderer';
import type { ReportContent } from './reportContent';
import { FontChain } from './text/fontChain';

export interface PdfOptions {
  report?: ReportContent;
  metadata?: Readonly<Record<string, unknown>>;
}

/** Bulk tables keep rows short; a report's table may use most of a page per row. */
const BULK_FONT_SIZE = 7;
const BULK_MAX_LINES = 6;
const REPORT_FONT_SIZE = 8;
const REPORT_MAX_LINES = 40;
/** Reports with few columns read better in portrait. */
const PORTRAIT_MAX_COLUMNS = 6;

/** Heading of a named table: a report section's size, or smaller under the report's `tableTitle`. */
const TABLE_HEADING_SIZE = 12;
const SUBTABLE_HEADING_SIZE = 10;

/**
 * A PDF of the tables — a plain one for bulk exports, or a report (title, metadata, AI summary
 * sections, then the tables) for deliverables. A named table gets its name as a heading and
 * is always shown, an empty one with "No rows.", so no table of the input goes missing. Any
 * Unicode text renders with embedded subsets of bundled fonts; pages are written as soon as
 * they are full.
 */
export async function* pdfFile(
  tables: readonly TableSetup[],
  options: PdfOptions,
  warnings: WarningCollector,
): AsyncGenerator<Uint8Array, BodySummary, undefined> {
  const { report } = options;
  const widest = Math.max(0, ...tables.map((t) => t.columns.length));
  const size = report && widest <= PORTRAIT_MAX_COLUMNS ? A4_PORTRAIT : A4_LANDSCAPE;
  const doc = new PdfStreamDocument(size);
  const fonts = new DocumentFonts();
  const regular = new FontChain(fonts, ['regular', 'cjk'], warnings);
  const bold = new FontChain(fonts, ['bold', 'regular', 'cjk'], warnings);
  const flow = new PageFlow(size, regular, (content) => doc.addPage(content));
  yield* doc.start();

  if (report) drawReportHead(flow, report, options.metadata, { regular, bold }, warnings);
  else if (options.metadata)
    drawKeyValueTable(flow, flattenPairs(options.metadata), { regular, bold }, warnings);

  const fontSize = report ? REPORT_FONT_SIZE : BULK_FONT_SIZE;
  const fitLines = Math.floor((flow.top - flow.bottom) / (fontSize * 1.25)) - 6;
  const maxLines = Math.min(report ? REPORT_MAX_LINES : BULK_MAX_LINES, fitLines);
  const headingSize = report?.tableTitle === undefined ? TABLE_HEADING_SIZE : SUBTABLE_HEADING_SIZE;
  let titled = false;
  let rows = 0;
  let records = 0;
  for (const table of tables) {
    const columns = measureTableColumns(table, flow.width, fontSize, { body: regular, header: bold });
    const renderer = new TableRenderer(
      flow,
      columns,
      { body: regular, header: bold, size: fontSize, maxLines, showHeader: true },
      warnings,
    );
    // A report leaves out an unnamed table without records; a bulk export always shows its header.
    const drawTable = table.name !== undefined || !report || table.sample.length > 0;
    if (drawTable) {
      if (!titled && report?.tableTitle !== undefined)
        drawParagraph(flow, report.tableTitle, bold, 12, warnings, { spaceAfter: 4, keepWithNext: 3 });
      titled = true;
      if (table.name !== undefined)
        drawParagraph(flow, table.name, bold, headingSize, warnings, { spaceAfter: 3, keepWithNext: 3 });
      if (columns.length > 0) renderer.begin();
    }
    const extractor = new RowExtractor(table.columns, table.lineItemsPath);
    const drawRow = columns.length > 0 ? renderer.row : (): void => undefined;
    const rowsBefore = rows;
    let position = 0;
    for await (const slice of table.slices) {
      for (const record of slice) {
        // Warnings met while this record is drawn name it (1-based, within its table).
        warnings.record = ++position;
        if (table.unknownFields) table.unknownFields.check(record);
        rows += extractor.forEachRow(record, drawRow);
      }
      records += slice.length;
      yield* await doc.drain();
    }
    warnings.record = undefined;
    if (drawTable) {
      if (table.name !== undefined && rows === rowsBefore)
        drawParagraph(flow, 'No rows.', regular, fontSize, warnings, { gray: 0.35, spaceAfter: 4 });
      renderer.end();
    }
  }
  flow.finish();
  const totals = totalPagesContent(doc.pageCount, regular);
  const info = {
    title: report?.title,
    author: report?.author,
    subject: report?.subject,
    creationDate: report?.generatedAt,
  };
  yield* await doc.finish(fonts.used(), totals, info);
  return { rows, records };
}
