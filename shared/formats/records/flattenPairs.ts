import { isPlainObject } from './plainValues';

/**
 * Dotted name/value pairs of a nested object, in key order (`{a: {b: 1}}` → `[["a.b", 1]]`).
 * Arrays are kept as values. Used for metadata blocks and key/value tables.
 */
export function flattenPairs(value: Readonly<Record<string, unknown>>, prefix = ''): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  for (const key of Object.keys(value)) {
    const child = value[key];
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(child) && Object.keys(child).length > 0) pairs.push(...flattenPairs(child, name));
    else pairs.push([name, child]);
  }
  return pairs;
}
