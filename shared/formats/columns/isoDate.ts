/** A wall-clock ISO 8601 date or date-time: what a spreadsheet date cell can hold exactly. */
export interface WallClock {
  /** Days since 1970-01-01 of the calendar date. */
  days: number;
  /** Seconds since midnight; 0 for a calendar date. */
  seconds: number;
  /** False for a calendar date (`2024-05-01`): spreadsheets then show no time of day. */
  hasTime: boolean;
}

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
 * Parses the wall-clock forms a spreadsheet date cell holds without loss: `YYYY-MM-DD` and
 * `YYYY-MM-DD[T ]HH:MM[:SS]`. Anything more is undefined and stays text: an offset or `Z`
 * names an instant that a cell (which has no time zone) could only show converted, and
 * fractions of a second would not survive the cell's binary fraction of a day exactly.
 * Impossible dates (`2023-02-30`) are rejected instead of rolled over, unlike `Date.parse`.
 * Hand-written because XLSX export parses two or three of these per row.
 */
export function parseWallClock(text: string): WallClock | undefined {
  const n = text.length;
  if ((n !== 10 && n !== 16 && n !== 19) || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45)
    return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const days = daysFromCivil(year, month, day);
  if (n === 10) return { days, seconds: 0, hasTime: false };
  const separator = text.charCodeAt(10);
  if ((separator !== 84 && separator !== 32) || text.charCodeAt(13) !== 58) return undefined;
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  let second = 0;
  if (n === 19) {
    if (text.charCodeAt(16) !== 58) return undefined;
    second = digits(text, 17, 2);
    if (second < 0 || second > 59) return undefined;
  }
  return { days, seconds: (hour * 60 + minute) * 60 + second, hasTime: true };
}

/** Used while sampling to decide whether a column holds dates a spreadsheet can show as dates. */
export function looksLikeWallClock(text: string): boolean {
  return parseWallClock(text) !== undefined;
}
