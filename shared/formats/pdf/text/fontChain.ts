import type { WarningCollector } from '../../output/warnings';
import type { BundledFont } from '../fonts/bundledFonts';
import type { DocumentFonts } from '../fonts/documentFonts';
import type { SubsetFont } from '../fonts/subsetFont';
import type { GlyphEntry } from './glyphEntry';

/** Drawn for characters no bundled font covers, and counted in the warnings. */
const PLACEHOLDER = 0xfffd;
const MAX_CACHED_WORDS = 10_000;

/** Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko...) and their presentation forms. */
export function isRightToLeft(cp: number): boolean {
  return (
    (cp >= 0x0590 && cp <= 0x08ff) ||
    (cp >= 0xfb1d && cp <= 0xfdff) ||
    (cp >= 0xfe70 && cp <= 0xfefe) ||
    (cp >= 0x10800 && cp <= 0x10fff) ||
    (cp >= 0x1e800 && cp <= 0x1efff)
  );
}

/** Characters with no visible form: controls, zero-width and bidi marks, variation selectors. */
function isIgnorable(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    (cp >= 0xe0000 && cp <= 0xe0fff)
  );
}

function isSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

function describe(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Maps characters to glyphs through a fallback list of fonts, caching the answer per code
 * point: laying text out per character through fontkit costs ~100× more, and the cache is
 * what makes large tables fast. Right-to-left words are shaped whole (joining forms, visual
 * order) and cached per word.
 */
export class FontChain {
  private readonly ascii: (GlyphEntry | null | undefined)[] = new Array<GlyphEntry | null | undefined>(128);
  private readonly others = new Map<number, GlyphEntry | null>();
  private readonly words = new Map<string, GlyphEntry>();
  /** True while text is only measured (column widths): warnings count what is drawn. */
  measuring = false;

  constructor(
    private readonly fonts: DocumentFonts,
    private readonly order: readonly BundledFont[],
    private readonly warnings: WarningCollector,
  ) {}

  /** The glyph for a code point, or null for characters that draw nothing. */
  glyph(cp: number): GlyphEntry | null {
    let entry = cp < 128 ? this.ascii[cp] : this.others.get(cp);
    if (entry === undefined) {
      entry = this.resolve(cp);
      if (cp < 128) this.ascii[cp] = entry;
      else this.others.set(cp, entry);
    }
    if (entry !== null && entry.missing && !this.measuring) {
      // A lone surrogate is half of a character, not a character a font could miss.
      if (isSurrogate(cp)) {
        this.warnings.add(
          'invalid_unicode_replaced',
          () => `Text held an unpaired UTF-16 surrogate (${describe(cp)}), shown as "\uFFFD"`,
        );
      } else {
        this.warnings.add(
          'glyph_missing',
          () => `${describe(cp)} is not covered by the bundled fonts and is shown as "\uFFFD"`,
        );
      }
    }
    return entry;
  }

  /** A right-to-left word, shaped by the first font covering all of it (else per character). */
  word(text: string): GlyphEntry | undefined {
    const cached = this.words.get(text);
    if (cached) return cached;
    const codePoints = [...text].map((c) => c.codePointAt(0) ?? 0).filter((cp) => !isIgnorable(cp));
    const font = this.order
      .map((name) => this.fonts.get(name))
      .find((f) => codePoints.every((cp) => f.covers(cp)));
    if (font === undefined) return undefined;
    const run = font.shape(text);
    let hex = '';
    let width = 0;
    for (const glyph of run.glyphs) {
      const included = font.include(glyph, String.fromCodePoint(...glyph.codePoints));
      hex += included.hex;
      width += included.width;
    }
    const entry: GlyphEntry = { font, hex, width, space: false, rtl: true, missing: false };
    if (this.words.size >= MAX_CACHED_WORDS) this.words.clear();
    this.words.set(text, entry);
    return entry;
  }

  private resolve(cp: number): GlyphEntry | null {
    if (isIgnorable(cp)) return null;
    const font = isSurrogate(cp) ? undefined : this.coveringFont(cp);
    if (font === undefined) {
      const primary = this.fonts.get(this.order[0] ?? 'regular');
      return { ...this.entry(primary, PLACEHOLDER), missing: true };
    }
    return this.entry(font, cp);
  }

  private coveringFont(cp: number): SubsetFont | undefined {
    for (const name of this.order) {
      const font = this.fonts.get(name);
      if (font.covers(cp)) return font;
    }
    return undefined;
  }

  private entry(font: SubsetFont, cp: number): GlyphEntry {
    const { hex, width } = font.include(font.glyphForCodePoint(cp), String.fromCodePoint(cp));
    const space = cp === 0x20 || cp === 0x3000;
    return { font, hex, width, space, rtl: isRightToLeft(cp), missing: false };
  }
}
