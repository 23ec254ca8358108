import type { SubsetFont } from '../fonts/subsetFont';
import type { LaidLine } from '../text/lineLayout';

/** Two decimals are plenty for positions in points and keep content streams small. */
export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Name of the form XObject that shows the total page count, filled in once it is known. */
export const TOTAL_PAGES_XOBJECT = 'Tot';

/**
 * Builds one page's content stream as text: shapes first, then all text in one BT…ET block,
 * switching fonts only when a run changes font. Building the stream directly (rather than
 * pdf-lib's drawText operators, one object per operator) is what keeps large tables fast.
 */
export class PageContent {
  private graphics = '';
  private strokes = '';
  private text = '';
  private overlays = '';
  private font: SubsetFont | undefined;
  private size = 0;
  private gray = 0;

  /** Draws a laid-out line with its left end at `x` and its baseline at `y`. */
  line(laid: LaidLine, x: number, y: number, size: number, gray = 0): void {
    if (laid.glyphs.length === 0) return;
    let ops = gray === this.gray ? '' : `${num(gray)} g `;
    this.gray = gray;
    ops += `1 0 0 1 ${num(x)} ${num(y)} Tm `;
    let runFont: SubsetFont | undefined;
    let hex = '';
    for (const glyph of laid.glyphs) {
      if (glyph.font !== runFont) {
        if (hex !== '') ops += `<${hex}> Tj `;
        hex = '';
        runFont = glyph.font;
        if (runFont !== this.font || size !== this.size) {
          ops += `/${runFont.resourceName} ${num(size)} Tf `;
          this.font = runFont;
          this.size = size;
        }
      }
      hex += glyph.hex;
    }
    if (hex !== '') ops += `<${hex}> Tj `;
    this.text += ops;
  }

  fillRect(x: number, y: number, width: number, height: number, gray: number): void {
    this.graphics += `${num(gray)} g ${num(x)} ${num(y)} ${num(width)} ${num(height)} re f\n`;
  }

  /** A thin horizontal rule; all rules of a page are stroked together. */
  rule(x1: number, x2: number, y: number): void {
    this.strokes += `${num(x1)} ${num(y)} m ${num(x2)} ${num(y)} l\n`;
  }

  /** Places the "total pages" XObject with its origin at (x, y). */
  totalPages(x: number, y: number): void {
    this.overlays += `q 1 0 0 1 ${num(x)} ${num(y)} cm /${TOTAL_PAGES_XOBJECT} Do Q\n`;
  }

  toString(): string {
    const shapes = this.graphics + (this.strokes === '' ? '' : `0.75 G 0.4 w\n${this.strokes}S\n`);
    return `q\n${shapes}Q\nBT\n0 g\n${this.text}\nET\n${this.overlays}`;
  }
}
