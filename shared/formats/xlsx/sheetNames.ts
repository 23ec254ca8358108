import { EXCEL_MAX_SHEET_NAME } from './excelLimits';

// eslint-disable-next-line no-control-regex -- control characters are not allowed in sheet names
const FORBIDDEN = /[:\\/?*[\]\u0000-\u001F]/g;

/**
 * A name Excel accepts: no `: \ / ? * [ ]`, not starting or ending with an apostrophe, not the
 * reserved "History", 1 to 31 characters (not splitting a surrogate pair).
 */
export function sanitiseSheetName(name: string, fallback = 'Sheet'): string {
  let clean = name
    .replace(FORBIDDEN, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^'+|'+$/g, '')
    .trim();
  if (clean.toLowerCase() === 'history') clean = 'History data';
  clean = clipName(clean);
  return clean === '' ? fallback : clean;
}

function clipName(name: string, max = EXCEL_MAX_SHEET_NAME): string {
  if (name.length <= max) return name;
  let end = max;
  const last = name.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return name.slice(0, end).trimEnd().replace(/'+$/, '');
}

/** Hands out sheet names unique within a workbook (Excel compares them case-insensitively). */
export class SheetNamer {
  private readonly used = new Set<string>();

  /** `base`, or `base (2)`, `base (3)`... clipped so the suffix still fits in 31 characters. */
  next(base: string): string {
    const clean = sanitiseSheetName(base);
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : ` (${n})`;
      const candidate = clipName(clean, EXCEL_MAX_SHEET_NAME - suffix.length) + suffix;
      const key = candidate.toLowerCase();
      if (!this.used.has(key)) {
        this.used.add(key);
        return candidate;
      }
    }
  }
}
