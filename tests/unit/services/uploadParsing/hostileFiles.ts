import { crc32, deflateRawSync } from 'node:zlib';
import {
  ROOT_RELS_XML,
  STYLES_XML,
  contentTypesXml,
  workbookRelsXml,
  workbookXml,
} from '../../../../shared/formats/xlsx/workbookParts';

/**
 * Builders for the uploads the parsing limits are about: zips whose directory tells the truth or
 * lies, and one-sheet workbooks around any sheet XML. Shared by the unit, integration and e2e
 * tests of upload parsing.
 */
export interface ZipEntrySpec {
  name: string;
  content: Buffer | string;
  /** Stored instead of deflated. */
  store?: boolean;
  /** The inflated size the headers declare, when it should not be the true one. */
  declaredSize?: number;
  /** Sizes left out of the local header (zero) with a data descriptor flag, as streaming zips do. */
  streamed?: boolean;
  /** A local header whose inflated size differs from the directory's. */
  localDeclaredSize?: number;
}

export function buildZip(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const raw = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content;
    const data = entry.store ? raw : deflateRawSync(raw);
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.streamed ? 0x0008 : 0, 6);
    local.writeUInt16LE(entry.store ? 0 : 8, 8);
    local.writeUInt32LE(entry.streamed ? 0 : crc32(raw), 14);
    local.writeUInt32LE(entry.streamed ? 0 : data.length, 18);
    local.writeUInt32LE(entry.streamed ? 0 : (entry.localDeclaredSize ?? size), 22);
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(entry.streamed ? 16 : 0);
    if (entry.streamed) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc32(raw), 4);
      descriptor.writeUInt32LE(data.length, 8);
      descriptor.writeUInt32LE(size, 12);
    }
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(entry.streamed ? 0x0008 : 0, 8);
    record.writeUInt16LE(entry.store ? 0 : 8, 10);
    record.writeUInt32LE(crc32(raw), 16);
    record.writeUInt32LE(data.length, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    locals.push(local, name, data, descriptor);
    central.push(record, name);
    offset += local.length + name.length + data.length + descriptor.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A worksheet part: its declared dimension, its rows, and what follows the sheet data. */
export function sheetXml(dimension: string, rows: string, after = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `<dimension ref="${dimension}"/><sheetData>${rows}</sheetData>${after}</worksheet>`
  );
}

/** A row of inline-string or number cells: `row(1, { A: 'name', B: 2 })`. */
export function row(number: number, cells: Record<string, string | number>): string {
  const xml = Object.entries(cells)
    .map(([column, value]) =>
      typeof value === 'number'
        ? `<c r="${column}${number}"><v>${value}</v></c>`
        : `<c r="${column}${number}" t="inlineStr"><is><t>${value}</t></is></c>`,
    )
    .join('');
  return `<row r="${number}">${xml}</row>`;
}

/** A one-sheet workbook ("Sheet1") around `sheet`, with any further entries after its parts. */
export function workbook(sheet: string, extra: readonly ZipEntrySpec[] = []): Buffer {
  return buildZip([
    { name: '[Content_Types].xml', content: contentTypesXml(1) },
    { name: '_rels/.rels', content: ROOT_RELS_XML },
    { name: 'xl/workbook.xml', content: workbookXml(['Sheet1']) },
    { name: 'xl/_rels/workbook.xml.rels', content: workbookRelsXml(1) },
    { name: 'xl/styles.xml', content: STYLES_XML },
    { name: 'xl/worksheets/sheet1.xml', content: sheet },
    ...extra,
  ]);
}

/** A small, ordinary workbook: a header and one record. */
export const ordinaryWorkbook = () =>
  workbook(sheetXml('A1:B2', row(1, { A: 'sku', B: 'qty' }) + row(2, { A: '02134', B: 3 })));

export const ordinaryWorkbookData = {
  sheets: [{ name: 'Sheet1', columns: ['sku', 'qty'], rows: [{ sku: '02134', qty: 3 }] }],
};

/** A sheet whose one hyperlink claims every cell of the grid: SheetJS alone loops over all 17 billion. */
export const gridLinkWorkbook = () =>
  workbook(
    sheetXml(
      'A1:XFD1048576',
      row(1, { A: 'a' }),
      '<hyperlinks><hyperlink ref="A1:XFD1048576" location="Sheet1!A1" display="all"/></hyperlinks>',
    ),
  );

/** A zip bomb: one entry of `megabytes` MB of zeros, declared honestly (about 1,000:1). */
export const zeroBombWorkbook = (megabytes: number) =>
  workbook(sheetXml('A1', row(1, { A: 'a' })), [
    { name: 'xl/media/zeros.bin', content: Buffer.alloc(megabytes * 1024 * 1024) },
  ]);

/**
 * A sheet that keeps a parser busy for seconds within every size limit: the whole grid declared
 * and `megabytes` MB of styled empty cells, which SheetJS reads one by one (≈ 8 s for 60 MB).
 */
export function styledEmptyWorkbook(megabytes: number): Buffer {
  const rows: string[] = [];
  let length = 0;
  for (let r = 1; length < megabytes * 1_000_000; r++) {
    let xml = `<row r="${r}">`;
    for (const column of 'ABCDEFGHIJ') xml += `<c r="${column}${r}" s="1"/>`;
    xml += '</row>';
    rows.push(xml);
    length += xml.length;
  }
  return workbook(sheetXml('A1:XFD1048576', rows.join('')));
}
