import type { ResolvedColumn } from '../columns/columnModel';
import { sampleWidths } from '../columns/displayWidth';
import { RowExtractor } from '../columns/rowExtractor';
import type { BodySummary } from '../exportOptions';
import { ExportFormatError } from '../exportFormatError';
import { ChunkBuffer } from '../output/chunkBuffer';
import type { WarningCollector } from '../output/warnings';
import { flattenPairs } from '../records/flattenPairs';
import type { TableSetup } from '../tableSetup';
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
  /** Name of a data sheet whose table has none (made valid); further sheets get " (2)", " (3)"... */
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

/** How the sheets of one table are written: its name, columns (within Excel's limit) and widths. */
interface SheetLayout {
  baseName: string;
  start: string;
  rowXml: SheetRowXml;
  extractor: RowExtractor;
}

function sheetLayout(table: TableSetup, baseName: string, warnings: WarningCollector): SheetLayout {
  let columns = table.columns;
  if (columns.length > EXCEL_MAX_COLUMNS) {
    const all = columns.length;
    warnings.add(
      'columns_limited',
      () => `Sheet "${baseName}": only the first ${EXCEL_MAX_COLUMNS} of ${all} columns fit in a sheet`,
      all - EXCEL_MAX_COLUMNS,
    );
    columns = columns.slice(0, EXCEL_MAX_COLUMNS);
  }
  const widths = sampleWidths(columns, table.lineItemsPath, table.sample).map((w) =>
    Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2)),
  );
  return {
    baseName,
    start: sheetStartXml(widths),
    rowXml: new SheetRowXml(columns, warnings),
    extractor: new RowExtractor(columns, table.lineItemsPath),
  };
}

/**
 * Streams an XLSX workbook with one sheet per table (at least one table): each sheet's XML is
 * encoded into fixed-size chunks and deflated on the thread pool as it is produced, so memory
 * stays flat at any row count. A table continues on a new sheet (header repeated) every
 * `maxRowsPerSheet` data rows. Tables are set up one after the other (`open`), so only the
 * current table's sample is held.
 */
export async function* xlsxFile(
  tables: readonly (() => Promise<TableSetup>)[],
  options: XlsxOptions,
  warnings: WarningCollector,
): AsyncGenerator<Uint8Array, BodySummary, undefined> {
  const maxRows = validRowLimit(options.maxRowsPerSheet);
  const namer = new SheetNamer();
  const sheetNames: string[] = [];
  const zip = new ZipArchive();
  const out = new ChunkBuffer();
  const events: SheetEvent[] = [];
  let entry: StreamedEntry | undefined;
  let sheetsOpened = 0;
  let rowInSheet = 0;
  let rows = 0;
  let records = 0;

  const startSheet = (layout: SheetLayout): void => {
    layout.rowXml.sheetName = namer.next(layout.baseName);
    sheetNames.push(layout.rowXml.sheetName);
    out.write(layout.start + layout.rowXml.headerRow());
    rowInSheet = 0;
  };
  const endSheet = (): void => {
    out.write(SHEET_END_XML);
    out.flush();
    events.push(...out.take(), 'end-of-sheet');
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
    for (const open of tables) {
      const table = await open();
      const baseName = table.name ?? options.sheetName ?? 'Export';
      const layout = sheetLayout(table, baseName, warnings);
      const writeRow = (values: readonly unknown[]): void => {
        if (rowInSheet === maxRows) {
          endSheet();
          startSheet(layout);
          const continued = layout.rowXml.sheetName;
          warnings.add(
            'sheet_split',
            () =>
              `Sheet "${baseName}" holds at most ${maxRows} data rows; the table continues on "${continued}" (header repeated)`,
          );
        }
        rowInSheet++;
        out.write(layout.rowXml.row(values, rowInSheet + 1));
      };
      startSheet(layout);
      const given = layout.rowXml.sheetName;
      if (given !== baseName) {
        warnings.add(
          'sheet_renamed',
          () =>
            `Sheet "${baseName}" is named "${given}": Excel allows 31 characters, none of : \\ / ? * [ ], and no name twice`,
        );
      }
      let position = 0;
      for await (const slice of table.slices) {
        for (const record of slice) {
          // Warnings met while this record is written name it (1-based, within its table).
          warnings.record = ++position;
          if (table.unknownFields) table.unknownFields.check(record);
          rows += layout.extractor.forEachRow(record, writeRow);
        }
        records += slice.length;
        events.push(...out.take());
        yield* drain();
      }
      warnings.record = undefined;
      endSheet();
      yield* drain();
    }
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
