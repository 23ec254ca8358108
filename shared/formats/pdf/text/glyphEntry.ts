import type { SubsetFont } from '../fonts/subsetFont';

/** What a line is made of: a glyph (or a shaped right-to-left word) ready to draw. */
export interface GlyphEntry {
  font: SubsetFont;
  /** Subset glyph ids as hex, ready for a `<…> Tj` operator. */
  hex: string;
  /** Advance in 1/1000 em (multiply by the font size / 1000 for points). */
  width: number;
  /** A space: a line may break after it and drops it at the break. */
  space: boolean;
  /** Part of right-to-left text: reordered when the line is drawn. */
  rtl: boolean;
  /** Stands for a character no bundled font covers. */
  missing: boolean;
}
