import { AppError } from '../../core/errors';
import type { UploadParsingSettings } from '../../config';
import { maxWorkflowDataBytes } from '../../domain/exportRecords';

/**
 * What bounds the parse of one upload (README, "Upload limits"): the settings in config
 * (deadline, memory, inflated size, workers), and below the limits fixed because they follow
 * from what a document can hold.
 */
export type UploadLimits = UploadParsingSettings;

/** The names a refusal gives its limit, in `details[0].field`; the README lists each. */
export type UploadLimitName =
  | 'parse_deadline'
  | 'parse_memory'
  | 'inflated_size'
  | 'compression_ratio'
  | 'zip_entries'
  | 'linked_cells'
  | 'nesting'
  | 'columns'
  | 'cells';

/**
 * The most cells a table can have and still fit a document: each serialises to at least six bytes
 * (`"a":1,`). Checked before rows are built, so a ragged CSV or a sparse sheet (one cell in A1,
 * one in XFD1048576) is refused at once instead of filling memory with empty cells.
 */
export const maxTableCells = Math.floor(maxWorkflowDataBytes / 6);

/**
 * The widest table we read. Every row holds every column, so one stray cell in column XFD would
 * make 16,384 keys of each row; tables people export are far narrower.
 */
export const maxColumns = 1024;

/**
 * How much larger than its compressed bytes a zip entry may inflate. Spreadsheet XML compresses
 * 5 to 20 times, highly repetitive sheets rarely 50; a zip bomb's entries, about 1,000 times.
 */
export const maxCompressionRatio = 200;

/** Entries smaller than this inflate harmlessly whatever their ratio (1 KiB of zeros is 100:1). */
export const ratioCheckedFromBytes = 1024 * 1024;

/** Zip entries a workbook may have: a workbook of a hundred sheets has a few hundred. */
export const maxZipEntries = 10_000;

/**
 * Cells an XLSX's hyperlinks may cover, all together. The reader makes a cell for each one a
 * link's range covers, so `<hyperlink ref="A1:XFD1048576">` alone would be 17 billion of them;
 * 100,000 take it about half a second.
 */
export const maxLinkedCells = 100_000;

/**
 * How deep a JSON upload may nest: what a JSON request body may (shared/http/body.ts), since
 * the data comes back as one, and deeper values would overflow the stack of code that walks them.
 */
export const maxNestingDepth = 64;

/** The 422 for an upload past one of its limits: the message says which, `details` names it. */
export function beyondLimit(limit: UploadLimitName, message: string, bound: string): AppError {
  return new AppError('unprocessable_document', message, [{ field: limit, message: bound }]);
}
