import type { WallClock } from '../columns/isoDate';

const MS_PER_DAY = 86_400_000;
const SECONDS_PER_DAY = 86_400;
/** Day 0 of Excel's 1900 date system is 1899-12-30 once the 1900 leap-year bug is accounted for. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** Days from Excel's day 0 to 1970-01-01. */
const UNIX_EPOCH_DAY = 25_569;
/** Before 1900-03-01 Excel's serials are off by its fictitious 1900-02-29; such dates stay text. */
const FIRST_EXACT_MS = Date.UTC(1900, 2, 1);
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const FIRST_EXACT_DAY = FIRST_EXACT_MS / MS_PER_DAY;
const LAST_DAY = Math.floor(LAST_MS / MS_PER_DAY);

/** Excel serial date (days since 1899-12-30, UTC) of an instant, or undefined outside what Excel can show. */
export function excelSerial(epochMs: number): number | undefined {
  if (!Number.isFinite(epochMs) || epochMs < FIRST_EXACT_MS || epochMs > LAST_MS) return undefined;
  return (epochMs - EXCEL_EPOCH_MS) / MS_PER_DAY;
}

/**
 * Excel serial of a wall-clock date or date-time, or undefined outside what Excel can show.
 * One division of exact integers gives the double nearest the true fraction of a day, so any
 * reader that rounds to the second (or millisecond) gets the wall-clock time back exactly.
 */
export function wallClockSerial(value: WallClock): number | undefined {
  if (value.days < FIRST_EXACT_DAY || value.days > LAST_DAY) return undefined;
  return ((value.days + UNIX_EPOCH_DAY) * SECONDS_PER_DAY + value.seconds) / SECONDS_PER_DAY;
}
