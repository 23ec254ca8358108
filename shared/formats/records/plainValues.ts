/** True for `{...}` objects (not arrays, dates, buffers, maps or class instances). */
export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces unpaired UTF-16 surrogates with U+FFFD, which is what every UTF-8 encoder in Node
 * does anyway; doing it explicitly keeps JSON escapes and XML text well-formed too.
 */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

const LONE_SURROGATE_TEST = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Node 20's native check (ES2024); TypeScript's ES2022 library does not declare it. */
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/**
 * True when `text` has no unpaired surrogate. Native where available: it answers a Latin-1
 * string without reading it, so checking every cell costs next to nothing.
 */
export function isWellFormed(text: string): boolean {
  if (nativeIsWellFormed !== undefined) return nativeIsWellFormed.call(text);
  return !LONE_SURROGATE_TEST.test(text);
}
