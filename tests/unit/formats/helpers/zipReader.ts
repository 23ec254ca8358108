import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  content: Buffer;
  offset: number;
}

/**
 * A small reader of zip archives, written from the specification (APPNOTE 4.3), ZIP64
 * included: SheetJS's own zip reader does not understand ZIP64 records, so the ZIP64 path of
 * our writer is checked with this one. Every entry's CRC-32 and sizes are verified.
 */
export function readZip(archive: Buffer): ZipEntry[] {
  const eocd = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  let count = archive.readUInt16LE(eocd + 10);
  let directoryOffset = archive.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (archive.readUInt32LE(locator) !== 0x07064b50) throw new Error('no zip64 locator');
    const zip64End = Number(archive.readBigUInt64LE(locator + 8));
    if (archive.readUInt32LE(zip64End) !== 0x06064b50) throw new Error('no zip64 end record');
    count = Number(archive.readBigUInt64LE(zip64End + 32));
    directoryOffset = Number(archive.readBigUInt64LE(zip64End + 48));
  }
  const entries: ZipEntry[] = [];
  let p = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central header at ${p}`);
    const crc = archive.readUInt32LE(p + 16);
    let compressedSize = archive.readUInt32LE(p + 20);
    let size = archive.readUInt32LE(p + 24);
    const nameLength = archive.readUInt16LE(p + 28);
    const extraLength = archive.readUInt16LE(p + 30);
    const commentLength = archive.readUInt16LE(p + 32);
    let offset = archive.readUInt32LE(p + 42);
    const name = archive.toString('utf8', p + 46, p + 46 + nameLength);
    const extra = archive.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
    for (let e = 0; e + 4 <= extra.length;) {
      const id = extra.readUInt16LE(e);
      const length = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = Number(extra.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(extra.readBigUInt64LE(q));
          q += 8;
        }
        if (offset === 0xffffffff) offset = Number(extra.readBigUInt64LE(q));
      }
      e += 4 + length;
    }
    if (archive.readUInt32LE(offset) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const dataStart = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
    const content = inflateRawSync(archive.subarray(dataStart, dataStart + compressedSize));
    if (content.length !== size) throw new Error(`${name}: size ${content.length} != ${size}`);
    if (crc32(content) !== crc) throw new Error(`${name}: CRC mismatch`);
    entries.push({ name, content, offset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
