/**
 * Export file generation: records in, bytes out, streaming. Pure — no SDK types, no
 * environment — so the workflow, bulk jobs and schedules all call the same code.
 */
export { writeExport, writeExportToBuffer, writeTables } from './writeExport';
export { writeExportBody, writeExportFooter, writeExportHeader } from './parts/partedExport';
export type { ExportPartResult, PartedExportOptions, PartedFormat } from './parts/partedExport';
export type { ExportFileResult, ExportOptions, ExportTable } from './exportOptions';
export {
  ACCEPTED_FORMAT_NAMES,
  EXPORT_FORMATS,
  contentTypeFor,
  extensionFor,
  mimeTypeFor,
  normaliseExportFormat,
  parseExportFormat,
} from './formatNames';
export type { ExportFormat } from './formatNames';
export { contentDisposition } from './contentDisposition';
export type { ContentDispositionOptions } from './contentDisposition';
export type { ColumnModel, ColumnType, ExportColumn } from './columns/columnModel';
export { columnPath } from './columns/columnModel';
export { MAX_FLATTEN_DEPTH, inferColumnModel } from './columns/inferColumns';
export type { InferOptions } from './columns/inferColumns';
export { ColumnUnion } from './columns/columnUnion';
export type { RenamedColumn } from './columns/columnUnion';
export type { ExportRecord, RecordInput } from './records/recordSource';
export type { ExportWarning, ExportWarningCode } from './output/warnings';
export type { ReportContent, ReportSection, ReportTable } from './pdf/reportContent';
export { flattenPairs } from './records/flattenPairs';
export { ExportFormatError } from './exportFormatError';
export type { ExportFormatErrorCode } from './exportFormatError';
export { collect, pipeExport } from './output/generators';
export { EXCEL_MAX_DATA_ROWS } from './xlsx/excelLimits';
export { neutraliseFormula, isFormulaLike } from './csv/formulaGuard';
