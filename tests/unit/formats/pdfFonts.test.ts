import * as fontkit from 'fontkit';
import { bundledFont } from '../../../shared/formats/pdf/fonts/bundledFonts';
import { SubsetFont } from '../../../shared/formats/pdf/fonts/subsetFont';

/**
 * A broken subset looks fine to text extraction (the ToUnicode map still works) but draws
 * blank glyphs; comparing outlines with the original font is what catches it.
 */
describe('PDF font subsets', () => {
  it.each([
    ['regular', 'Hello, Zoë! Привет Ελληνικά ½ € ©'],
    ['bold', 'Header Überschrift Заголовок'],
    ['cjk', '日本語テキスト 中文字符 カタカナ ひらがな'],
    ['regular', 'مرحبا بالعالم שלום'],
  ] as const)(
    'when %s glyphs of %j are subset, then every outline matches the original font',
    (which, text) => {
      const face = bundledFont(which);
      const subset = new SubsetFont(face, 0);
      const included = new Map<number, number>();
      // Shaped as the writer shapes right-to-left words: joining forms are glyphs of their own.
      for (const glyph of face.font.layout(text).glyphs) {
        included.set(
          parseInt(subset.include(glyph, String.fromCodePoint(...glyph.codePoints)).hex, 16),
          glyph.id,
        );
      }
      const reparsed = fontkit.create(Buffer.from(subset.encode()));
      if (!('getGlyph' in reparsed)) throw new Error('collection');
      for (const [subsetId, originalId] of included) {
        const original = face.font.getGlyph(originalId);
        const copy = reparsed.getGlyph(subsetId);
        expect(copy.path.commands).toEqual(original.path.commands);
        expect(copy.advanceWidth).toBe(original.advanceWidth);
      }
    },
  );
});
