import { isPlainObject, toWellFormed } from './plainValues';

/**
 * Rebuilds a value so `JSON.stringify` cannot throw and cannot emit `\udXXX` escapes of lone
 * surrogates (valid JSON text, but rejected by strict parsers such as serde_json): bigints
 * become strings, strings and keys are made well-formed, cycles become "[Circular]".
 */
function sanitise(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === 'string') return toWellFormed(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) return '[Circular]';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return sanitise((toJSON as () => unknown).call(value), ancestors);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item: unknown) => sanitise(item, ancestors));
    const out: Record<string, unknown> = {};
    const source = isPlainObject(value) ? value : (value as Record<string, unknown>);
    for (const key of Object.keys(source)) out[toWellFormed(key)] = sanitise(source[key], ancestors);
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * JSON text for any value, never throwing. The fast path is one native `JSON.stringify`; only
 * output that shows a surrogate escape (or input that made stringify throw) is redone safely.
 * `onUnicodeReplaced` hears of each value in which lone surrogates had to become U+FFFD.
 */
export function safeJsonStringify(value: unknown, onUnicodeReplaced?: () => void): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = JSON.stringify(sanitise(value, new Set()));
  }
  if (text === undefined) return 'null';
  // `\ud` also matches an escaped backslash followed by "ud"; the slow path is then merely redundant.
  if (text.includes('\\ud')) {
    const safe = JSON.stringify(sanitise(value, new Set())) ?? 'null';
    if (safe !== text) onUnicodeReplaced?.();
    text = safe;
  }
  return text;
}
