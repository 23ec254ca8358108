/** Excel's hard limits (https://support.microsoft.com/office/excel-specifications-and-limits). */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Data rows per sheet: every sheet also has a header row. */
export const EXCEL_MAX_DATA_ROWS = EXCEL_MAX_ROWS - 1;
export const EXCEL_MAX_COLUMNS = 16_384;
export const EXCEL_MAX_CELL_CHARS = 32_767;
export const EXCEL_MAX_SHEET_NAME = 31;
