import type { FontChain } from './fontChain';
import { isRightToLeft } from './fontChain';
import type { GlyphEntry } from './glyphEntry';

/** One line of text ready to draw, glyphs in visual (left-to-right) order. */
export interface LaidLine {
  glyphs: GlyphEntry[];
  /** In 1/1000 em. */
  width: number;
}

export interface LaidText {
  lines: LaidLine[];
  /** True when the text needed more than `maxLines` lines; the last line then ends with "…". */
  clipped: boolean;
}

const TAB_SPACES = 4;
const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const ELLIPSIS = 0x2026;

/**
 * Right-to-left runs (RTL words and the spaces between them) are reversed so a line reads
 * correctly in a left-to-right paragraph; the glyphs inside each shaped word already are in
 * visual order. A simplification of the Unicode bidi algorithm that suits table cells.
 */
function reorderRightToLeft(glyphs: GlyphEntry[]): void {
  let i = 0;
  while (i < glyphs.length) {
    if (glyphs[i]?.rtl !== true) {
      i++;
      continue;
    }
    let last = i;
    let j = i;
    while (j < glyphs.length && (glyphs[j]?.rtl === true || glyphs[j]?.space === true)) {
      if (glyphs[j]?.rtl === true) last = j;
      j++;
    }
    let a = i;
    let b = last;
    while (a < b) {
      const tmp = glyphs[a] as GlyphEntry;
      glyphs[a++] = glyphs[b] as GlyphEntry;
      glyphs[b--] = tmp;
    }
    i = last + 1;
  }
}

function sumWidths(glyphs: readonly GlyphEntry[]): number {
  let width = 0;
  for (const g of glyphs) width += g.width;
  return width;
}

/** Greedy line breaker over cached glyphs: breaks after spaces, or inside a word that alone is too wide. */
class LineBuilder {
  readonly lines: LaidLine[] = [];
  clipped = false;
  private glyphs: GlyphEntry[] = [];
  private width = 0;
  /** Index just after the last space of the current line, where a break may happen. */
  private breakAt = -1;
  private widthAtBreak = 0;
  private hasRightToLeft = false;

  constructor(
    private readonly maxWidth: number,
    private readonly maxLines: number,
    private readonly chain: FontChain,
  ) {}

  get full(): boolean {
    return this.clipped;
  }

  add(entry: GlyphEntry): void {
    if (this.clipped) return;
    if (entry.rtl) this.hasRightToLeft = true;
    if (entry.space) {
      this.glyphs.push(entry);
      this.width += entry.width;
      this.breakAt = this.glyphs.length;
      this.widthAtBreak = this.width;
      return;
    }
    if (this.width + entry.width > this.maxWidth && this.glyphs.length > 0) {
      if (this.breakAt > 0) {
        const rest = this.glyphs.splice(this.breakAt);
        this.width = this.widthAtBreak;
        this.endLine(false);
        if (this.clipped) return;
        this.glyphs = rest;
        this.width = sumWidths(rest);
        this.hasRightToLeft = rest.some((g) => g.rtl);
      } else {
        this.endLine(false);
        if (this.clipped) return;
      }
    }
    this.glyphs.push(entry);
    this.width += entry.width;
  }

  /** Ends the current line; `hard` for a newline in the text (an empty line is kept). */
  endLine(hard: boolean): void {
    if (this.clipped) return;
    if (this.lines.length === this.maxLines) {
      this.clip();
      return;
    }
    const glyphs = this.glyphs;
    let width = this.width;
    while (glyphs.length > 0 && glyphs[glyphs.length - 1]?.space === true)
      width -= (glyphs.pop() as GlyphEntry).width;
    if (glyphs.length > 0 || hard) {
      if (this.hasRightToLeft) reorderRightToLeft(glyphs);
      this.lines.push({ glyphs, width });
    }
    this.glyphs = [];
    this.width = 0;
    this.breakAt = -1;
    this.hasRightToLeft = false;
  }

  finish(): LaidText {
    if (!this.clipped && this.glyphs.length > 0) this.endLine(false);
    return { lines: this.lines, clipped: this.clipped };
  }

  /** More text than lines: the last line ends with an ellipsis. */
  private clip(): void {
    this.clipped = true;
    const last = this.lines[this.lines.length - 1];
    const ellipsis = this.chain.glyph(ELLIPSIS);
    if (last === undefined || ellipsis === null) return;
    while (last.glyphs.length > 0 && last.width + ellipsis.width > this.maxWidth) {
      last.width -= (last.glyphs.pop() as GlyphEntry).width;
    }
    last.glyphs.push(ellipsis);
    last.width += ellipsis.width;
  }
}

/**
 * Lays text out in lines of at most `maxWidth` (1/1000 em at the font size used). Handles
 * newlines (LF, CRLF, CR), tabs (four spaces), characters that draw nothing, right-to-left
 * words and characters no font covers (a placeholder, counted by the font chain).
 */
export function layoutText(text: string, chain: FontChain, maxWidth: number, maxLines: number): LaidText {
  const builder = new LineBuilder(maxWidth, Math.max(1, maxLines), chain);
  const n = text.length;
  let i = 0;
  while (i < n && !builder.full) {
    const cp = text.codePointAt(i) ?? 0;
    if (cp === LF || cp === CR) {
      i += cp === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      builder.endLine(true);
      continue;
    }
    if (cp === TAB) {
      const space = chain.glyph(0x20);
      if (space !== null) for (let k = 0; k < TAB_SPACES; k++) builder.add(space);
      i++;
      continue;
    }
    if (cp >= 0x0590 && isRightToLeft(cp)) {
      let j = i;
      while (j < n) {
        const next = text.codePointAt(j) ?? 0;
        if (!isRightToLeft(next)) break;
        j += next > 0xffff ? 2 : 1;
      }
      const word = text.slice(i, j);
      const shaped = chain.word(word);
      if (shaped !== undefined && shaped.width <= maxWidth) {
        builder.add(shaped);
        i = j;
        continue;
      }
      // No font covers the whole word, or it is wider than the line: fall back to per-character glyphs.
      for (const ch of word) {
        const entry = chain.glyph(ch.codePointAt(0) ?? 0);
        if (entry !== null) builder.add(entry);
      }
      i = j;
      continue;
    }
    const entry = chain.glyph(cp);
    if (entry !== null) builder.add(entry);
    i += cp > 0xffff ? 2 : 1;
  }
  return builder.finish();
}
