import type { PageSize } from '../document/pdfStreamDocument';
import { PageContent } from '../document/pageContent';
import type { FontChain } from '../text/fontChain';
import { layoutText } from '../text/lineLayout';

export const A4_PORTRAIT: PageSize = { width: 595.28, height: 841.89 };
export const A4_LANDSCAPE: PageSize = { width: 841.89, height: 595.28 };

const MARGIN = 28;
const FOOTER_SIZE = 7;
const FOOTER_GRAY = 0.4;

/**
 * Moves a cursor down the page and starts a new page when something does not fit. Each page
 * gets a "Page n of N" footer: n is drawn at once, N through an XObject written at the end,
 * so pages can leave memory before the total is known.
 */
export class PageFlow {
  page: PageContent;
  /** Baseline cursor, from the bottom of the page (PDF coordinates). */
  y: number;
  readonly left = MARGIN;
  readonly width: number;
  readonly bottom = MARGIN + FOOTER_SIZE * 2.5;
  private pageNumber = 0;
  private readonly onNewPage: (() => void)[] = [];

  constructor(
    readonly size: PageSize,
    private readonly footerChain: FontChain,
    private readonly emit: (content: string) => void,
  ) {
    this.width = size.width - 2 * MARGIN;
    this.page = new PageContent();
    this.y = size.height - MARGIN;
    this.pageNumber = 1;
  }

  get top(): number {
    return this.size.height - MARGIN;
  }

  /** Height left between the cursor and the footer. */
  get room(): number {
    return this.y - this.bottom;
  }

  /** Registers something to draw at the top of every following page (a table header). */
  whenNewPage(draw: () => void): void {
    this.onNewPage.push(draw);
  }

  clearNewPageHandlers(): void {
    this.onNewPage.length = 0;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (height > this.room && this.y < this.top) this.newPage();
  }

  newPage(): void {
    this.closePage();
    this.pageNumber++;
    this.page = new PageContent();
    this.y = this.top;
    for (const draw of this.onNewPage) draw();
  }

  /** Ends the last page. */
  finish(): void {
    this.closePage();
  }

  private closePage(): void {
    const label = layoutText(`Page ${this.pageNumber} of `, this.footerChain, 100_000, 1).lines[0];
    const y = MARGIN;
    const x = this.left + this.width / 2 - 20;
    if (label) {
      this.page.line(label, x, y, FOOTER_SIZE, FOOTER_GRAY);
      this.page.totalPages(x + (label.width * FOOTER_SIZE) / 1000 + (FOOTER_SIZE * 250) / 1000, y);
    }
    this.emit(this.page.toString());
  }
}

/** Content of the XObject showing the total page count, in the footer's font and colour. */
export function totalPagesContent(total: number, chain: FontChain): string {
  const content = new PageContent();
  const line = layoutText(String(total), chain, 100_000, 1).lines[0];
  if (line) content.line(line, 0, 0, FOOTER_SIZE, FOOTER_GRAY);
  return content.toString();
}
