import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';

/** A parsed font file, shared by every document of the process (parsing is the slow part). */
export interface FontFace {
  /** PostScript name, used (with a subset tag) as the PDF BaseFont. */
  name: string;
  font: fontkit.Font;
}

/**
 * Fonts from npm packages, tried in order for each character: DejaVu Sans covers Latin,
 * Greek, Cyrillic, Hebrew, Arabic and many symbols; Noto Sans JP adds kana and CJK ideographs.
 */
const FILES = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  cjk: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
} as const;

export type BundledFont = keyof typeof FILES;

const loaded = new Map<BundledFont, FontFace>();

function isSingleFont(value: fontkit.Font | fontkit.FontCollection): value is fontkit.Font {
  return 'unitsPerEm' in value;
}

/** Loads (once per process) one of the bundled fonts. */
export function bundledFont(which: BundledFont): FontFace {
  const cached = loaded.get(which);
  if (cached) return cached;
  const parsed = fontkit.create(readFileSync(require.resolve(FILES[which])));
  if (!isSingleFont(parsed)) throw new Error(`${FILES[which]} is a font collection, expected a single font`);
  const face: FontFace = { name: parsed.postscriptName.replace(/[^A-Za-z0-9-]/g, ''), font: parsed };
  loaded.set(which, face);
  return face;
}
