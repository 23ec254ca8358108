/** First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const TRIGGERS = new Uint8Array(128);
for (const ch of ['=', '+', '-', '@', '\t', '\r']) TRIGGERS[ch.charCodeAt(0)] = 1;

const SPACE = 0x20;
const NO_BREAK_SPACE = 0xa0;

/** First characters worth a closer look: the triggers and the spaces that may precede one. */
export const MAY_START_FORMULA = new Uint8Array(NO_BREAK_SPACE + 1);
for (let c = 0; c < 128; c++) MAY_START_FORMULA[c] = TRIGGERS[c] ?? 0;
MAY_START_FORMULA[SPACE] = 1;
MAY_START_FORMULA[NO_BREAK_SPACE] = 1;

/**
 * True when a text cell would be evaluated by Excel, LibreOffice or Sheets: it starts with
 * `= + - @`, TAB or CR, possibly after spaces (spreadsheets skip leading spaces before
 * deciding). Numbers are never passed here: they stay numeric.
 */
export function isFormulaLike(text: string): boolean {
  let i = 0;
  let c = text.charCodeAt(0);
  while (c === SPACE || c === NO_BREAK_SPACE) c = text.charCodeAt(++i);
  return c < 128 && TRIGGERS[c] === 1;
}

/** Prefixes a formula-like text with an apostrophe, which spreadsheets show as text and do not evaluate. */
export function neutraliseFormula(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}
