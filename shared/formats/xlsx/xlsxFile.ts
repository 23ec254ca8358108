import type { ResolvedColumn } from '../columns/columnModel';
import { RowExtractor } from '../columns/rowExtractor';
import type { UnknownFieldWatch } from '../columns/unknownFields';
import { ExportFormatError } from '../exportFormatError';
import { ChunkBuffer } from '../output/chunkBuffer';
import type { WarningCollector } from '../output/warnings';
import type { ExportRecord } from '../records/recordSource';
import { flattenPairs } from '../records/flattenPairs';
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_DATA_ROWS } from './excelLimits';
import { SheetNamer } from './sheetNames';
import { SheetRowXml } from './sheetRowXml';
import {
  ROOT_RELS_XML,
  SHEET_END_XML,
  STYLES_XML,
  contentTypesXml,
  sheetPartName,
  sheetStartXml,
  workbookRelsXml,
  workbookXml,
} from './workbookParts';
import type { StreamedEntry } from './zipArchive';
import { ZipArchive } from './zipArchive';

export interface XlsxOptions {
  /** Name of the first data sheet (made valid); further sheets get " (2)", " (3)"... */
  sheetName?: string;
  /** Data rows per sheet before the next sheet starts; Excel's limit by default. */
  maxRowsPerSheet?: number;
  /** Written as a "Metadata" sheet of field/value rows after the data sheets. */
  metadata?: Readonly<Record<string, unknown>>;
}

/** What one synchronous pass over a slice produced: sheet bytes, and where a sheet ended. */
type SheetEvent = Buffer | 'end-of-sheet';

const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

function validRowLimit(limit: number | undefined): number {
  if (limit === undefined) return EXCEL_MAX_DATA_ROWS;
  if (!Number.isInteger(limit) || limit < 1 || limit > EXCEL_MAX_DATA_ROWS) {
    throw new ExportFormatError(
      'invalid_options',
      `maxRowsPerSheet must be an integer from 1 to ${EXCEL_MAX_DATA_ROWS}`,
    );
  }
  return limit;
}

/**
 * Streams an XLSX workbook: each sheet's XML is encoded into fixed-size chunks and deflated on
 * the thread pool as it is produced, so memory stays flat at any row count. Sheets continue on
 * a new sheet (header repeated) every `maxRowsPerSheet` data rows.
 */
export async function* xlsxFile(
  slices: AsyncIterable<readonly ExportRecord[]>,
  allColumns: readonly ResolvedColumn[],
  lineItemsPath: readonly string[] | undefined,
  widthsInChars: readonly number[],
  options: XlsxOptions,
  warnings: WarningCollector,
  unknownFields: UnknownFieldWatch | undefined,
): AsyncGenerator<Uint8Array, { rows: number; records: number }, undefined> {
  const maxRows = validRowLimit(options.maxRowsPerSheet);
  let columns = allColumns;
  if (columns.length > EXCEL_MAX_COLUMNS) {
    warnings.add(
      'columns_limited',
      () => `Only the first ${EXCEL_MAX_COLUMNS} of ${allColumns.length} columns fit in a sheet`,
      allColumns.length - EXCEL_MAX_COLUMNS,
    );
    columns = allColumns.slice(0, EXCEL_MAX_COLUMNS);
  }
  const widths = columns.map((_, i) =>
    Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, (widthsInChars[i] ?? 10) + 2)),
  );
  const sheetStart = sheetStartXml(widths);
  const rowXml = new SheetRowXml(columns, warnings);
  const extractor = new RowExtractor(columns, lineItemsPath);
  const namer = new SheetNamer();
  const baseName = options.sheetName ?? 'Export';
  const sheetNames: string[] = [];
  const zip = new ZipArchive();
  const out = new ChunkBuffer();
  const events: SheetEvent[] = [];
  let entry: StreamedEntry | undefined;
  let sheetsOpened = 0;
  let rowInSheet = 0;
  let rows = 0;
  let records = 0;

  const startSheet = (): void => {
    rowXml.sheetName = namer.next(baseName);
    sheetNames.push(rowXml.sheetName);
    out.write(sheetStart + rowXml.headerRow());
    rowInSheet = 0;
  };
  const endSheet = (): void => {
    out.write(SHEET_END_XML);
    out.flush();
    events.push(...out.take(), 'end-of-sheet');
  };
  const writeRow = (values: readonly unknown[]): void => {
    if (rowInSheet === maxRows) {
      endSheet();
      startSheet();
    }
    rowInSheet++;
    out.write(rowXml.row(values, rowInSheet + 1));
  };
  // Events are turned into zip entries in order; an entry is opened by the first bytes of its sheet.
  async function* drain(): AsyncGenerator<Buffer, void, undefined> {
    for (const event of events.splice(0, events.length)) {
      if (event === 'end-of-sheet') {
        if (entry) yield* await entry.finish();
        entry = undefined;
        continue;
      }
      entry ??= zip.openEntry(sheetPartName(sheetsOpened++));
      yield* await entry.write(event);
    }
  }

  try {
    // An xl/ part first lets tools that sniff the first entry recognise a spreadsheet.
    yield* zip.addFile('xl/styles.xml', STYLES_XML);
    startSheet();
    for await (const slice of slices) {
      for (const record of slice) {
        if (unknownFields) unknownFields.check(record);
        rows += extractor.forEachRow(record, writeRow);
      }
      records += slice.length;
      events.push(...out.take());
      yield* drain();
    }
    endSheet();
    if (options.metadata !== undefined) writeMetadataSheet(options.metadata, records);
    yield* drain();
    yield* zip.addFile('xl/workbook.xml', workbookXml(sheetNames));
    yield* zip.addFile('xl/_rels/workbook.xml.rels', workbookRelsXml(sheetNames.length));
    yield* zip.addFile('[Content_Types].xml', contentTypesXml(sheetNames.length));
    yield* zip.addFile('_rels/.rels', ROOT_RELS_XML);
    yield* zip.finish();
    return { rows, records };
  } finally {
    entry?.destroy();
  }

  function writeMetadataSheet(metadata: Readonly<Record<string, unknown>>, recordCount: number): void {
    const metaColumns: ResolvedColumn[] = [
      { key: 'field', path: ['field'], header: 'field', type: 'string', width: undefined },
      { key: 'value', path: ['value'], header: 'value', type: 'mixed', width: undefined },
    ];
    const metaXml = new SheetRowXml(metaColumns, warnings);
    metaXml.sheetName = namer.next('Metadata');
    sheetNames.push(metaXml.sheetName);
    out.write(sheetStartXml([30, 60]) + metaXml.headerRow());
    const pairs = [...flattenPairs(metadata), ['record_count', recordCount] as const];
    pairs.forEach(([field, value], i) => out.write(metaXml.row([field, value], i + 2)));
    endSheet();
  }
}
