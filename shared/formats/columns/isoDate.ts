/** A parsed ISO 8601 date or date-time. */
export interface IsoInstant {
  /** Milliseconds since the Unix epoch, UTC. A value without an offset is read as UTC wall time. */
  epochMs: number;
  /** False for a calendar date (`2024-05-01`): spreadsheets then show no time of day. */
  hasTime: boolean;
}

const MS_PER_DAY = 86_400_000;
const ZERO = 48;

/** Value of the `count` ASCII digits at `at`, or -1 if any is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2
    ? isLeapYear(year)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Parses the ISO 8601 forms exports contain (`YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]` and
 * `Z`/`±HH[:MM]`). Unlike `Date.parse`, a date-time without an offset does not depend on the
 * server's time zone, and impossible dates (`2023-02-30`) are rejected instead of rolled
 * over. Hand-written because XLSX export parses two or three of these per row.
 */
export function parseIsoDate(text: string): IsoInstant | undefined {
  const n = text.length;
  if (n < 10 || n > 40 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const days = daysFromCivil(year, month, day);
  if (n === 10) return { epochMs: days * MS_PER_DAY, hasTime: false };
  const separator = text.charCodeAt(10);
  if ((separator !== 84 && separator !== 32) || n < 16 || text.charCodeAt(13) !== 58) return undefined;
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  let i = 16;
  let second = 0;
  let millis = 0;
  if (text.charCodeAt(i) === 58) {
    second = digits(text, i + 1, 2);
    if (second < 0 || second > 59) return undefined;
    i += 3;
    const mark = text.charCodeAt(i);
    if (mark === 46 || mark === 44) {
      let scale = 100;
      let count = 0;
      for (i++; i < n; i++, count++) {
        const d = text.charCodeAt(i) - ZERO;
        if (d < 0 || d > 9) break;
        millis += d * scale;
        scale /= 10;
      }
      if (count === 0 || count > 9) return undefined;
      millis = Math.floor(millis);
    }
  }
  let offsetMinutes = 0;
  if (i < n) {
    const zone = text.charCodeAt(i);
    if (zone === 90) {
      if (i + 1 !== n) return undefined;
    } else if (zone === 43 || zone === 45) {
      const rest = n - i - 1;
      const hours = digits(text, i + 1, 2);
      let minutes = 0;
      if (rest === 4) minutes = digits(text, i + 3, 2);
      else if (rest === 5 && text.charCodeAt(i + 3) === 58) minutes = digits(text, i + 4, 2);
      else if (rest !== 2) return undefined;
      if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
      offsetMinutes = (zone === 45 ? -1 : 1) * (hours * 60 + minutes);
    } else {
      return undefined;
    }
  }
  const epochMs = days * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
  return { epochMs, hasTime: true };
}

/** Used while sampling to decide whether a column holds dates. */
export function looksLikeIsoDate(text: string): boolean {
  return parseIsoDate(text) !== undefined;
}
