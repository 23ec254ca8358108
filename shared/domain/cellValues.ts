/**
 * Values of uploaded tables, kept as given (README: Extracted data): a cell is only retyped when nothing about
 * its text is lost, and dates are never rewritten.
 */

/** What one cell of an uploaded table can hold. */
export type CellValue = string | number | boolean | null;

/** Plain decimal notation: what a number's text looks like when typing it back cannot change it. */
const plainDecimal = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * A CSV cell's value: a number or boolean only when converting it back gives exactly the same
 * text (`42`, `-3.5`, `true`); anything else (`02134`, `1.50`, `1e5`, `+1`, ` 7`, integers beyond
 * ±2^53−1, `TRUE`, dates and offsets) stays the text it was. An empty cell is `null`: CSV cannot
 * tell an empty string from a missing value, and XLSX has no cell there.
 */
export function csvCellValue(text: string): CellValue {
  if (text === '') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (!plainDecimal.test(text)) return text;
  const number = Number(text);
  // An integer beyond the safe range may still print back the same (2^53 does) while standing
  // for several integers at once; it is an identifier more often than a quantity, so it stays text.
  if (Number.isInteger(number) && !Number.isSafeInteger(number)) return text;
  return String(number) === text ? number : text;
}

/**
 * Column names from a header row, one for every column of the table. A column whose header is
 * empty is `column_<n>` (its 1-based column number: `column_3` is a spreadsheet's column C); a
 * name already taken gets its column number appended (`amount`, `amount_4`), so every column keeps
 * its own key and the names do not depend on the data below.
 */
export function columnNames(
  header: readonly (string | undefined)[],
  width: number,
  firstColumn = 1,
): string[] {
  const taken = new Set<string>();
  const names: string[] = [];
  for (let i = 0; i < Math.max(width, header.length); i++) {
    const number = firstColumn + i;
    let name = header[i] || `column_${number}`;
    while (taken.has(name)) name = `${name}_${number}`;
    taken.add(name);
    names.push(name);
  }
  return names;
}

/** What a number format displays: a calendar date, a time of day, both or neither. */
function formatShows(format: string): { date: boolean; time: boolean } {
  // Only the first section formats positive numbers; quoted text, escaped characters, padding
  // and bracketed colours or locales (`[Red]`, `[$-409]`) are not date codes.
  const codes = (format.split(';')[0] ?? '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .toLowerCase();
  const time = /[hs]/.test(codes) || /am\/pm|a\/p/.test(codes);
  const date = /[yd]/.test(codes) || (/m/.test(codes) && !time);
  return { date, time };
}

const MS_PER_DAY = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The local date or time a spreadsheet shows for a date-formatted serial number, as ISO 8601 text
 * with no offset: `2024-03-01`, `2024-03-01T10:30:00`, or `10:30:00` for a time of day alone.
 * Serials are wall-clock days, so this is calendar arithmetic in UTC, never a timezone conversion.
 * A time is kept even when the format hides it, since dropping it would lose the value; a
 * duration (`[h]:mm`) stays its number of days.
 * Undefined when the format is not a date or time, or Excel shows no date for the serial.
 */
export function spreadsheetDateText(serial: number, format: string, date1904 = false): string | undefined {
  // Elapsed time (`[h]:mm`) is a duration, not a point in time: its number of days is the value.
  if (/\[(h+|m+|s+)\]/i.test(format)) return undefined;
  const shows = formatShows(format);
  if ((!shows.date && !shows.time) || !Number.isFinite(serial) || serial < 0) return undefined;
  const totalMs = Math.round(serial * MS_PER_DAY);
  const day = Math.floor(totalMs / MS_PER_DAY);
  const msOfDay = totalMs - day * MS_PER_DAY;
  const time =
    `${pad(Math.floor(msOfDay / 3_600_000))}:${pad(Math.floor(msOfDay / 60_000) % 60)}:` +
    `${pad(Math.floor(msOfDay / 1000) % 60)}` +
    (msOfDay % 1000 === 0 ? '' : `.${pad(msOfDay % 1000, 3)}`);
  if (!shows.date && day === 0) return time;
  let date: string;
  if (date1904) date = new Date(Date.UTC(1904, 0, 1) + day * MS_PER_DAY).toISOString().slice(0, 10);
  // The 1900 date system counts 1900-02-29, which never existed (Lotus 1-2-3 compatibility):
  // serials from 61 on are days since 1899-12-30, earlier ones days since 1899-12-31.
  else if (day === 60) date = '1900-02-29';
  else if (day === 0) return shows.time ? time : undefined;
  else date = new Date(Date.UTC(1899, 11, day < 60 ? 31 : 30) + day * MS_PER_DAY).toISOString().slice(0, 10);
  return msOfDay === 0 && !shows.time ? date : `${date}T${time}`;
}
