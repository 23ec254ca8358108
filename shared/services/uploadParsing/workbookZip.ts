import { inflateRawSync } from 'node:zlib';
import { invalidRequest } from '../../core/errors';
import {
  beyondLimit,
  maxCompressionRatio,
  maxLinkedCells,
  maxZipEntries,
  ratioCheckedFromBytes,
} from './limits';

/**
 * Checks an XLSX's zip before SheetJS reads it. SheetJS inflates every entry into memory at once,
 * outside the heap the worker's memory limit bounds, and trusts the sizes entries declare; so the
 * directory is read first (declared sizes, ratios, entry count), then each entry is inflated once
 * with zlib, never past the size it declares, which makes the declared sizes true. The same pass
 * counts the cells hyperlinks cover, which SheetJS expands one by one.
 *
 * The zip is read the way SheetJS 0.18.5 reads it (`parse_zip`: the last end-of-directory
 * record, its entry count, each entry's local header), so what is checked is what it will read.
 */
export function checkWorkbookZip(bytes: Buffer, maxInflatedBytes: number): void {
  if (bytes.length < 30 || bytes.readUInt32LE(0) !== localHeaderSignature) {
    throw unreadable('it is not a zip archive, as every XLSX file is');
  }
  const entries = directoryEntries(bytes);
  // Declared sizes first: refusing a zip bomb costs nothing when its directory admits what it is.
  let declared = 0;
  for (const entry of entries) {
    declared += entry.inflatedSize;
    if (declared > maxInflatedBytes) {
      throw beyondLimit(
        'inflated_size',
        `The XLSX file inflates to more than ${maxInflatedBytes} bytes; a workbook may inflate to at most ${maxInflatedBytes}.`,
        `at most ${maxInflatedBytes} bytes inflated`,
      );
    }
    if (
      entry.inflatedSize > ratioCheckedFromBytes &&
      entry.inflatedSize > entry.compressedSize * maxCompressionRatio
    ) {
      throw beyondLimit(
        'compression_ratio',
        `The XLSX file's entry ${entry.name} inflates ${Math.round(entry.inflatedSize / Math.max(entry.compressedSize, 1))} ` +
          `times its size; an entry may inflate at most ${maxCompressionRatio} times.`,
        `at most ${maxCompressionRatio}:1 per entry`,
      );
    }
  }
  refuseOtherFormats(entries);
  let linkedCells = 0;
  for (const entry of entries) {
    linkedCells += hyperlinkedCells(partText(inflated(bytes, entry)));
    if (linkedCells > maxLinkedCells) {
      throw beyondLimit(
        'linked_cells',
        `The XLSX file's hyperlinks cover more than ${maxLinkedCells} cells; they may cover at most ${maxLinkedCells}.`,
        `at most ${maxLinkedCells} cells covered by hyperlinks`,
      );
    }
  }
}

const localHeaderSignature = 0x04034b50;
const endOfDirectorySignature = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const flagDataDescriptor = 0x0008;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  inflatedSize: number;
  /** Where the entry's bytes start, after its local header. */
  dataOffset: number;
}

function unreadable(why: string) {
  return invalidRequest(`The XLSX file could not be read: ${why}.`);
}

/** Every entry of the central directory, with its local header's name and data offset. */
function directoryEntries(bytes: Buffer): ZipEntry[] {
  const end = bytes.lastIndexOf(endOfDirectorySignature);
  if (end < 0 || end + 22 > bytes.length) throw unreadable('its zip directory is missing');
  const count = bytes.readUInt16LE(end + 8);
  if (count > maxZipEntries) {
    throw beyondLimit(
      'zip_entries',
      `The XLSX file has ${count} zip entries; a workbook may have at most ${maxZipEntries}.`,
      `at most ${maxZipEntries} zip entries`,
    );
  }
  const entries: ZipEntry[] = [];
  let at = bytes.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length) throw unreadable('its zip directory is cut short');
    const compressedSize = bytes.readUInt32LE(at + 20);
    const inflatedSize = bytes.readUInt32LE(at + 24);
    const local = bytes.readUInt32LE(at + 42);
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    entries.push(localEntry(bytes, local, compressedSize, inflatedSize));
  }
  return entries;
}

/**
 * The entry as its local header describes it. SheetJS inflates with the local header's sizes, so
 * they must be the directory's, or zero when a data descriptor follows (streamed zips).
 */
function localEntry(bytes: Buffer, at: number, compressedSize: number, inflatedSize: number): ZipEntry {
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== localHeaderSignature) {
    throw unreadable('a zip entry points outside the file');
  }
  const flags = bytes.readUInt16LE(at + 6);
  const method = bytes.readUInt16LE(at + 8);
  const localCompressed = bytes.readUInt32LE(at + 18);
  const localInflated = bytes.readUInt32LE(at + 22);
  const nameLength = bytes.readUInt16LE(at + 26);
  const name = bytes.toString('latin1', at + 30, Math.min(at + 30 + nameLength, bytes.length));
  const streamed = (flags & flagDataDescriptor) !== 0 && localCompressed === 0 && localInflated === 0;
  if (!streamed && (localCompressed !== compressedSize || localInflated !== inflatedSize)) {
    throw unreadable(`its zip entry ${name} declares two different sizes`);
  }
  if (method !== 0 && method !== 8)
    throw unreadable(`its zip entry ${name} uses compression method ${method}`);
  const dataOffset = at + 30 + nameLength + bytes.readUInt16LE(at + 28);
  if (dataOffset > bytes.length) throw unreadable(`its zip entry ${name} is cut short`);
  return { name, method, compressedSize, inflatedSize, dataOffset };
}

/**
 * SheetJS reads OpenDocument and Numbers files from a zip too, with readers of their own that
 * this check does not cover; an upload sent as XLSX must be one.
 */
function refuseOtherFormats(entries: readonly ZipEntry[]): void {
  const markers = new Set(['meta-inf/manifest.xml', 'objectdata.xml', 'index/document.iwa']);
  for (const { name } of entries) {
    const path = name.toLowerCase().replace(/\\/g, '/').replace(/^\//, '');
    if (markers.has(path)) throw unreadable('it is an OpenDocument or Numbers file, not an XLSX workbook');
  }
}

/** The entry's content, inflated by zlib no further than the size it declares. */
function inflated(bytes: Buffer, entry: ZipEntry): Buffer {
  if (entry.method === 0) return bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  try {
    // SheetJS inflates from the entry's start to wherever the deflate stream ends; so does zlib.
    return inflateRawSync(bytes.subarray(entry.dataOffset), {
      maxOutputLength: Math.max(entry.inflatedSize, 1),
    });
  } catch (error) {
    // By its code: an error from Node's core is not `instanceof` another realm's Error (jest's).
    if (
      typeof error === 'object' &&
      error !== null &&
      'code' in error &&
      error.code === 'ERR_BUFFER_TOO_LARGE'
    ) {
      throw beyondLimit(
        'inflated_size',
        `The XLSX file's entry ${entry.name} inflates beyond the ${entry.inflatedSize} bytes it declares.`,
        'no entry may inflate beyond its declared size',
      );
    }
    throw unreadable(`its zip entry ${entry.name} is damaged`);
  }
}

/** A part's text as SheetJS decodes it: UTF-16 after a byte-order mark, else byte by byte. */
function partText(content: Buffer): string {
  if (content[0] === 0xff && content[1] === 0xfe) return content.toString('utf16le', 2);
  const bigEndianFrom =
    content[0] === 0xfe && content[1] === 0xff ? 2 : content[1] === 0xfe && content[2] === 0xff ? 3 : -1;
  if (bigEndianFrom < 0) return content.toString('latin1');
  const swapped = Buffer.from(
    content.subarray(bigEndianFrom, bigEndianFrom + ((content.length - bigEndianFrom) & ~1)),
  );
  return swapped.swap16().toString('utf16le');
}

/**
 * Cells the part's hyperlinks cover: for each `<hyperlink …>` tag (the tags SheetJS matches),
 * the largest range any of its attributes gives, as SheetJS decodes a range. Scanned in linear
 * time: a tag's end is found once, never by backtracking.
 */
export function hyperlinkedCells(text: string): number {
  const start = /<(?:\w+:)?hyperlink\s/gi;
  let cells = 0;
  for (let match = start.exec(text); match; match = start.exec(text)) {
    const end = text.indexOf('>', match.index);
    if (end < 0) break;
    cells += largestRange(text, match.index, end);
    start.lastIndex = end + 1;
  }
  return cells;
}

/** The most cells any attribute value between `from` and `to` would cover as a range. */
function largestRange(text: string, from: number, to: number): number {
  let largest = 0;
  for (let eq = text.indexOf('=', from); eq >= 0 && eq < to; eq = text.indexOf('=', eq + 1)) {
    let at = eq + 1;
    while (at < to && /\s/.test(text.charAt(at))) at++;
    if (text.charAt(at) === '"' || text.charAt(at) === "'") at++;
    largest = Math.max(largest, rangeCells(text, at, to));
  }
  return largest;
}

/**
 * The cells of the range starting at `at`, decoded as SheetJS's `safe_decode_range` does
 * (upper-case column letters, row digits, an optional `:` and a second corner); it covers every
 * cell between the corners, none when they are reversed.
 */
export function rangeCells(text: string, at = 0, to = text.length): number {
  let i = at;
  const read = (base: number, low: number, high: number) => {
    let value = 0;
    for (; i < to; i++) {
      const code = text.charCodeAt(i);
      if (code < low || code > high) break;
      value = base * value + (code - low + (base === 26 ? 1 : 0));
    }
    return value - 1;
  };
  const startColumn = read(26, 65, 90);
  const startRow = read(10, 48, 57);
  if (i >= to || text.charAt(i) !== ':') return 1;
  i++;
  const endColumn = read(26, 65, 90);
  const endRow = read(10, 48, 57);
  return Math.max(0, endRow - startRow + 1) * Math.max(0, endColumn - startColumn + 1);
}
