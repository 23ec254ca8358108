import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import PDFDocument from 'pdfkit';
import * as XLSX from 'xlsx';
import type { ExportRecord } from '../../shared/formats/records/recordSource';
import { benchRecords } from './benchRecords';
import type { FileSink } from './fileSink';

const LINES_PER_WRITE = 1000;

function fieldsOf(pool: readonly ExportRecord[]): string[] {
  return Object.keys(pool[0] ?? {});
}

function cellText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    default:
      return value === null || value === undefined ? '' : JSON.stringify(value);
  }
}

/** The practical limit: quote when needed, join, write in blocks. No injection guard, no typing. */
export function handRolledCsv(pool: readonly ExportRecord[], rows: number, sink: FileSink): void {
  const fields = fieldsOf(pool);
  const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  let block = fields.map(quote).join(',') + '\r\n';
  let lines = 0;
  for (const record of benchRecords(pool, rows)) {
    let line = quote(cellText(record[fields[0] ?? '']));
    for (let i = 1; i < fields.length; i++) line += ',' + quote(cellText(record[fields[i] ?? '']));
    block += line + '\r\n';
    if (++lines === LINES_PER_WRITE) {
      sink.write(block);
      block = '';
      lines = 0;
    }
  }
  sink.write(block);
}

/** papaparse's writer needs the whole array and returns one string. */
export function papaparseUnparse(pool: readonly ExportRecord[], rows: number, sink: FileSink): void {
  const data = [...benchRecords(pool, rows)];
  sink.write(Papa.unparse(data, { newline: '\r\n' }));
}

/** The simplest JSON writer: `JSON.stringify` per record, one per line, written in blocks. */
export function stringifyPerRow(pool: readonly ExportRecord[], rows: number, sink: FileSink): void {
  let block = '';
  let lines = 0;
  for (const record of benchRecords(pool, rows)) {
    block += JSON.stringify(record) + '\n';
    if (++lines === LINES_PER_WRITE) {
      sink.write(block);
      block = '';
      lines = 0;
    }
  }
  sink.write(block);
}

/** exceljs's streaming writer on its fastest settings (no shared strings, no styles). */
export async function exceljsStream(
  pool: readonly ExportRecord[],
  rows: number,
  sink: FileSink,
): Promise<void> {
  const fields = fieldsOf(pool);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: sink.path,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('Export');
  sheet.addRow(fields).commit();
  for (const record of benchRecords(pool, rows)) sheet.addRow(fields.map((f) => record[f])).commit();
  sheet.commit();
  await workbook.commit();
}

/** SheetJS builds the whole workbook in memory, then writes it (default options: its fastest). */
export function sheetjsWrite(pool: readonly ExportRecord[], rows: number, sink: FileSink): void {
  const sheet = XLSX.utils.json_to_sheet([...benchRecords(pool, rows)]);
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheet, 'Export');
  const bytes: unknown = XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' });
  if (!(bytes instanceof Uint8Array)) throw new Error('SheetJS did not return a buffer');
  sink.write(bytes);
}

/**
 * pdfkit on its fast path: the standard Helvetica font (no embedding, WinAnsi only — it cannot
 * show the CJK or Arabic in these rows), A4 landscape, fixed-height rows of up to 3 wrapped
 * lines, header repeated on each page. Less work than ours, which sizes rows to their content.
 */
export async function pdfkitTable(
  pool: readonly ExportRecord[],
  rows: number,
  sink: FileSink,
): Promise<void> {
  const fields = fieldsOf(pool);
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 28, autoFirstPage: false });
  doc.on('data', (chunk: Buffer) => sink.write(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  const fontSize = 7;
  const rowHeight = fontSize * 1.2 * 3 + 4;
  const left = 28;
  const width = 842 - 56;
  const columnWidth = width / fields.length;
  const bottom = 595 - 40;
  let y = bottom;
  doc.font('Helvetica').fontSize(fontSize);
  const header = (): void => {
    doc.addPage();
    y = 28;
    fields.forEach((f, i) =>
      doc.text(f, left + i * columnWidth + 2, y, { width: columnWidth - 4, lineBreak: false }),
    );
    y += fontSize * 1.2 + 6;
  };
  let page = 0;
  for (const record of benchRecords(pool, rows)) {
    if (y + rowHeight > bottom) {
      if (page > 0) doc.text(`Page ${page}`, left, 595 - 30, { lineBreak: false });
      header();
      page++;
    }
    for (let i = 0; i < fields.length; i++) {
      doc.text(cellText(record[fields[i] ?? '']), left + i * columnWidth + 2, y, {
        width: columnWidth - 4,
        height: rowHeight - 4,
        ellipsis: true,
      });
    }
    y += rowHeight;
  }
  doc.text(`Page ${page}`, left, 595 - 30, { lineBreak: false });
  doc.end();
  await done;
}
