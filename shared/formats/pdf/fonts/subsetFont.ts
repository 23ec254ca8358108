import type * as fontkit from 'fontkit';
import type { FontFace } from './bundledFonts';

/**
 * The glyphs of one font that a document uses. Glyph ids in the content streams are ids in
 * this subset (so only used outlines are embedded); widths and the text each glyph stands for
 * are kept for the font's `W` array and ToUnicode map (which makes the text extractable).
 */
export class SubsetFont {
  readonly face: FontFace;
  /** Name in the page resources, e.g. `F1`. */
  readonly resourceName: string;
  /** Six uppercase letters marking the font as a subset, as PDF readers expect. */
  readonly tag: string;
  private readonly subset: fontkit.Subset;
  private readonly scale: number;
  /** By subset glyph id. */
  readonly widths: number[] = [0];
  readonly texts = new Map<number, string>();

  constructor(face: FontFace, index: number) {
    this.face = face;
    this.resourceName = `F${index + 1}`;
    this.tag = `EXRL${String.fromCharCode(65 + (Math.floor(index / 26) % 26))}${String.fromCharCode(65 + (index % 26))}`;
    this.subset = face.font.createSubset();
    this.scale = 1000 / face.font.unitsPerEm;
  }

  get used(): boolean {
    return this.widths.length > 1;
  }

  covers(codePoint: number): boolean {
    return this.face.font.hasGlyphForCodePoint(codePoint);
  }

  /** Adds a glyph to the subset; returns its 4-digit hex code and advance in 1/1000 em. */
  include(glyph: fontkit.Glyph, text: string): { hex: string; width: number } {
    // @types/fontkit declares a boolean; fontkit returns the glyph's id in the subset.
    const id: unknown = this.subset.includeGlyph(glyph);
    if (typeof id !== 'number') throw new Error('fontkit subset did not return a glyph id');
    const width = Math.round(glyph.advanceWidth * this.scale);
    if (id >= this.widths.length) {
      this.widths[id] = width;
      this.texts.set(id, text);
    }
    return { hex: id.toString(16).padStart(4, '0'), width };
  }

  glyphForCodePoint(codePoint: number): fontkit.Glyph {
    return this.face.font.glyphForCodePoint(codePoint);
  }

  /** Shapes a run (joining forms for Arabic, visual order for right-to-left scripts). */
  shape(text: string): fontkit.GlyphRun {
    return this.face.font.layout(text);
  }

  /** The font program of the subset, a standalone TrueType font. */
  encode(): Uint8Array {
    return this.subset.encode();
  }

  get metrics(): {
    ascent: number;
    descent: number;
    capHeight: number;
    italicAngle: number;
    bbox: readonly number[];
  } {
    const f = this.face.font;
    const s = this.scale;
    return {
      ascent: Math.round(f.ascent * s),
      descent: Math.round(f.descent * s),
      capHeight: Math.round((f.capHeight || f.ascent) * s),
      italicAngle: f.italicAngle,
      bbox: [f.bbox.minX, f.bbox.minY, f.bbox.maxX, f.bbox.maxY].map((v) => Math.round(v * s)),
    };
  }
}
