import type { ExportRecord } from '../../shared/formats/records/recordSource';
import {
  exceljsStream,
  handRolledCsv,
  papaparseUnparse,
  pdfkitTable,
  sheetjsWrite,
  stringifyPerRow,
} from './baselineWriters';
import type { FileSink } from './fileSink';
import { writeWithExportrail } from './ourWriters';

/** Which row count a case runs at: the main size, the size slow baselines can handle, or the PDF size. */
export type RowScale = 'large' | 'small' | 'pdf';

export interface BenchCase {
  id: string;
  format: string;
  writer: string;
  scale: RowScale;
  /** Ours: the baselines this run is compared with (same format and row count), and the goal ratio. */
  compareWith?: readonly { caseId: string; goal: number }[];
  run(pool: readonly ExportRecord[], rows: number, sink: FileSink): Promise<void> | void;
}

const OURS = 'exportrail';

export const BENCH_CASES: readonly BenchCase[] = [
  { id: 'csv-handrolled', format: 'csv', writer: 'hand-rolled CSV', scale: 'large', run: handRolledCsv },
  {
    id: 'csv-ours',
    format: 'csv',
    writer: OURS,
    scale: 'large',
    compareWith: [{ caseId: 'csv-handrolled', goal: 0.8 }],
    run: (pool, rows, sink) => writeWithExportrail('csv', pool, rows, sink),
  },
  { id: 'csv-papaparse', format: 'csv', writer: 'papaparse.unparse', scale: 'small', run: papaparseUnparse },
  {
    id: 'csv-ours-small',
    format: 'csv',
    writer: OURS,
    scale: 'small',
    compareWith: [{ caseId: 'csv-papaparse', goal: 1.5 }],
    run: (pool, rows, sink) => writeWithExportrail('csv', pool, rows, sink),
  },
  {
    id: 'json-stringify',
    format: 'json',
    writer: 'JSON.stringify per row',
    scale: 'large',
    run: stringifyPerRow,
  },
  {
    id: 'json-ours',
    format: 'json',
    writer: OURS,
    scale: 'large',
    compareWith: [{ caseId: 'json-stringify', goal: 0.8 }],
    run: (pool, rows, sink) => writeWithExportrail('json', pool, rows, sink),
  },
  {
    id: 'ndjson-ours',
    format: 'ndjson',
    writer: OURS,
    scale: 'large',
    compareWith: [{ caseId: 'json-stringify', goal: 0.8 }],
    run: (pool, rows, sink) => writeWithExportrail('ndjson', pool, rows, sink),
  },
  {
    id: 'xlsx-exceljs',
    format: 'xlsx',
    writer: 'exceljs WorkbookWriter',
    scale: 'large',
    run: exceljsStream,
  },
  {
    id: 'xlsx-ours',
    format: 'xlsx',
    writer: OURS,
    scale: 'large',
    compareWith: [{ caseId: 'xlsx-exceljs', goal: 2 }],
    run: (pool, rows, sink) => writeWithExportrail('xlsx', pool, rows, sink),
  },
  {
    id: 'xlsx-sheetjs',
    format: 'xlsx',
    writer: 'SheetJS json_to_sheet+write',
    scale: 'small',
    run: sheetjsWrite,
  },
  {
    id: 'xlsx-ours-small',
    format: 'xlsx',
    writer: OURS,
    scale: 'small',
    compareWith: [{ caseId: 'xlsx-sheetjs', goal: 5 }],
    run: (pool, rows, sink) => writeWithExportrail('xlsx', pool, rows, sink),
  },
  { id: 'pdf-pdfkit', format: 'pdf', writer: 'pdfkit (Helvetica)', scale: 'pdf', run: pdfkitTable },
  {
    id: 'pdf-ours',
    format: 'pdf',
    writer: OURS,
    scale: 'pdf',
    compareWith: [{ caseId: 'pdf-pdfkit', goal: 1 }],
    run: (pool, rows, sink) => writeWithExportrail('pdf', pool, rows, sink),
  },
];

export function benchCase(id: string): BenchCase {
  const found = BENCH_CASES.find((c) => c.id === id);
  if (found === undefined) throw new Error(`Unknown bench case "${id}"`);
  return found;
}
