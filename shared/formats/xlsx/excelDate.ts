const MS_PER_DAY = 86_400_000;
/** Day 0 of Excel's 1900 date system is 1899-12-30 once the 1900 leap-year bug is accounted for. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** Before 1900-03-01 Excel's serials are off by its fictitious 1900-02-29; such dates stay text. */
const FIRST_EXACT_MS = Date.UTC(1900, 2, 1);
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Excel serial date (days since 1899-12-30, UTC), or undefined outside what Excel can show. */
export function excelSerial(epochMs: number): number | undefined {
  if (!Number.isFinite(epochMs) || epochMs < FIRST_EXACT_MS || epochMs > LAST_MS) return undefined;
  return (epochMs - EXCEL_EPOCH_MS) / MS_PER_DAY;
}
