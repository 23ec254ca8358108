/**
 * JSON numbers a JavaScript number cannot hold: `JSON.parse` silently rounds them
 * (9007199254740993 → 9007199254740992, 1e400 → Infinity), which would change an uploaded value.
 */

export interface InexactNumber {
  /** The literal as written in the file. */
  literal: string;
  /** 1-based line and column of its first character. */
  line: number;
  column: number;
}

/** A decimal's value as sign, significant digits and exponent, so `1.50`, `15e-1` and `1.5` compare equal. */
function decimalKey(text: string): string | undefined {
  const match = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!match) return undefined;
  const fraction = match[3] ?? '';
  let digits = `${match[2] ?? ''}${fraction}`.replace(/^0+/, '');
  if (digits === '') return '0';
  let exponent = Number(match[4] ?? '0') - fraction.length;
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  return `${match[1] ?? ''}${digits}e${exponent}`;
}

/** Whether the nearest double is exactly the number the literal writes. */
export function holdsExactly(literal: string): boolean {
  const value = Number(literal);
  return Number.isFinite(value) && decimalKey(literal) === decimalKey(String(value));
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const numberStart = /[-0-9]/;
const numberChar = /[-+.eE0-9]/;

/**
 * The first number in a JSON text (already known to be valid JSON) whose value a double cannot
 * hold exactly, with where it is; undefined when every number survives `JSON.parse` unchanged.
 */
export function firstInexactNumber(json: string): InexactNumber | undefined {
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code === QUOTE) {
      // Skip the string: digits inside it are text.
      for (i++; i < json.length && json.charCodeAt(i) !== QUOTE; i++) {
        if (json.charCodeAt(i) === BACKSLASH) i++;
      }
      continue;
    }
    if (!numberStart.test(json.charAt(i))) continue;
    let end = i + 1;
    while (end < json.length && numberChar.test(json.charAt(end))) end++;
    const literal = json.slice(i, end);
    if (!holdsExactly(literal)) {
      const before = json.slice(0, i);
      const lineStart = before.lastIndexOf('\n') + 1;
      return { literal, line: before.split('\n').length, column: i - lineStart + 1 };
    }
    i = end - 1;
  }
  return undefined;
}
