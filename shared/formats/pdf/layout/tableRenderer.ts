import type { WarningCollector } from '../../output/warnings';
import type { FontChain } from '../text/fontChain';
import type { LaidText } from '../text/lineLayout';
import { layoutText } from '../text/lineLayout';
import { cellText } from '../../records/cellText';
import type { PageFlow } from './pageFlow';

export interface TableColumn {
  header: string;
  /** Width in points. */
  width: number;
  alignRight: boolean;
}

export interface TableStyle {
  body: FontChain;
  header: FontChain;
  size: number;
  /** Lines a cell may take before it is cut with "…" (keeps every row within a page). */
  maxLines: number;
  /** Draw the header row (first and after each page break). */
  showHeader: boolean;
  /** Key/value tables: draw the first column in the header font. */
  firstColumnBold?: boolean;
}

const PADDING = 2.5;
const HEADER_GRAY = 0.92;
/** A header may wrap to this many lines; beyond, it is cut (and reported once per table). */
const HEADER_MAX_LINES = 3;

/**
 * A table whose rows are laid out one at a time: cells wrap within their column, a row is as
 * tall as its tallest cell, and a row that does not fit starts a new page, where the header
 * row is drawn again.
 */
export class TableRenderer {
  private readonly lineHeight: number;
  private readonly laid: LaidText[];
  private headerReported = false;

  constructor(
    private readonly flow: PageFlow,
    private readonly columns: readonly TableColumn[],
    private readonly style: TableStyle,
    private readonly warnings: WarningCollector,
  ) {
    this.lineHeight = style.size * 1.25;
    this.laid = columns.map(() => ({ lines: [], clipped: false }));
  }

  /** Starts the table at the cursor (with a header) and repeats the header on following pages. */
  begin(): void {
    if (!this.style.showHeader) return;
    this.flow.ensure(this.headerHeight() + this.lineHeight * 2 + PADDING * 2);
    this.drawHeader();
    this.flow.whenNewPage(() => this.drawHeader());
  }

  /** Stops repeating the header (the table is finished). */
  end(): void {
    this.flow.clearNewPageHandlers();
    this.flow.y -= this.lineHeight;
  }

  readonly row = (values: readonly unknown[]): void => {
    const { style, columns, laid } = this;
    let lines = 1;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as TableColumn;
      const chain = i === 0 && style.firstColumnBold === true ? style.header : style.body;
      const text = layoutText(cellText(values[i]), chain, this.innerWidth(column), style.maxLines);
      if (text.clipped) {
        this.warnings.add(
          'pdf_cell_clipped',
          () => `A cell in column "${column.header}" was cut to ${style.maxLines} lines`,
        );
      }
      laid[i] = text;
      if (text.lines.length > lines) lines = text.lines.length;
    }
    const height = lines * this.lineHeight + PADDING * 2;
    if (height > this.flow.room) this.flow.newPage();
    this.drawCells(laid, style.size, 0);
    this.flow.y -= height;
    this.flow.page.rule(this.flow.left, this.flow.left + this.totalWidth(), this.flow.y);
  };

  private drawHeader(): void {
    const { style } = this;
    const laid = this.columns.map((c) =>
      layoutText(c.header, style.header, this.innerWidth(c), HEADER_MAX_LINES),
    );
    // The header repeats on every page: one cut header is one warning, not one per page.
    const clipped = this.columns.filter((_, i) => laid[i]?.clipped === true);
    if (!this.headerReported && clipped.length > 0) {
      this.headerReported = true;
      this.warnings.add(
        'pdf_cell_clipped',
        () => `The header "${clipped[0]?.header ?? ''}" was cut to ${HEADER_MAX_LINES} lines`,
        clipped.length,
      );
    }
    const height = this.headerHeight(laid);
    this.flow.page.fillRect(this.flow.left, this.flow.y - height, this.totalWidth(), height, HEADER_GRAY);
    this.drawCells(laid, style.size, 0);
    this.flow.y -= height;
  }

  private headerHeight(laid?: readonly LaidText[]): number {
    const lines = laid ? Math.max(1, ...laid.map((l) => l.lines.length)) : 1;
    return lines * this.lineHeight + PADDING * 2;
  }

  private drawCells(laid: readonly LaidText[], size: number, gray: number): void {
    const { page } = this.flow;
    // First baseline: one line height down, less the descent, so text sits inside the cell.
    const firstBaseline = this.flow.y - PADDING - size * 0.95;
    let x = this.flow.left;
    for (let i = 0; i < this.columns.length; i++) {
      const column = this.columns[i] as TableColumn;
      const text = laid[i];
      if (text) {
        let baseline = firstBaseline;
        for (const line of text.lines) {
          const lineX = column.alignRight
            ? x + column.width - PADDING - (line.width * size) / 1000
            : x + PADDING;
          page.line(line, lineX, baseline, size, gray);
          baseline -= this.lineHeight;
        }
      }
      x += column.width;
    }
  }

  private innerWidth(column: TableColumn): number {
    return ((column.width - PADDING * 2) * 1000) / this.style.size;
  }

  private totalWidth(): number {
    let width = 0;
    for (const c of this.columns) width += c.width;
    return width;
  }
}
