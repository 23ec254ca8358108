import type { BundledFont } from './bundledFonts';
import { bundledFont } from './bundledFonts';
import { SubsetFont } from './subsetFont';

/**
 * The fonts of one document, created on first use: a document without CJK text never loads
 * the (5 MB) CJK font, and each font gets the next resource name.
 */
export class DocumentFonts {
  private readonly subsets = new Map<BundledFont, SubsetFont>();

  get(which: BundledFont): SubsetFont {
    let subset = this.subsets.get(which);
    if (!subset) {
      subset = new SubsetFont(bundledFont(which), this.subsets.size);
      this.subsets.set(which, subset);
    }
    return subset;
  }

  /** Fonts with at least one glyph drawn: the only ones embedded. */
  used(): SubsetFont[] {
    return [...this.subsets.values()].filter((s) => s.used);
  }
}
