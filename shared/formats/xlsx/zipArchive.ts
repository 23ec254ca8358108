import type { TransformOptions } from 'node:stream';
import type { ZlibOptions } from 'node:zlib';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { ZlibPump } from '../output/zlibPump';

const UINT32_MAX = 0xffffffff;
const UINT16_MAX = 0xffff;
/** Fixed timestamp (1980-01-01 00:00, the DOS epoch) so the same rows always give the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8_NAMES = 0x0800;
const METHOD_DEFLATE = 8;

interface CentralEntry {
  name: Buffer;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  offset: number;
}

/** Options for the zip writer; the threshold exists so tests can exercise ZIP64 without 4 GiB files. */
export interface ZipOptions {
  /** zlib level for streamed entries: 1 is ~40% faster than 6 for ~15% larger sheets. */
  level?: number;
  zip64Threshold?: number;
}

/**
 * A minimal streaming zip writer: small entries are deflated at once, large ones are streamed
 * through zlib with a data descriptor after them, so nothing but the central directory (one
 * small record per entry) is kept in memory. ZIP64 records are added only when a size or
 * offset passes 4 GiB, which keeps ordinary files readable by every tool.
 */
export class ZipArchive {
  private offset = 0;
  private readonly entries: CentralEntry[] = [];
  private readonly level: number;
  private readonly zip64Threshold: number;

  constructor(options: ZipOptions = {}) {
    this.level = options.level ?? 1;
    this.zip64Threshold = options.zip64Threshold ?? UINT32_MAX;
  }

  /** A complete small entry (workbook, styles...): returns the bytes to write. */
  addFile(name: string, content: string | Uint8Array): Buffer[] {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const compressed = deflateRawSync(data, { level: 6 });
    const entry: CentralEntry = {
      name: Buffer.from(name, 'utf8'),
      flags: FLAG_UTF8_NAMES,
      crc: crc32(data),
      compressedSize: compressed.length,
      uncompressedSize: data.length,
      offset: this.offset,
    };
    this.entries.push(entry);
    return this.count([this.localHeader(entry, true), compressed]);
  }

  /** Starts a streamed entry; write its content through the returned object, then `finish()` it. */
  openEntry(name: string): StreamedEntry {
    const entry: CentralEntry = {
      name: Buffer.from(name, 'utf8'),
      flags: FLAG_UTF8_NAMES | FLAG_DATA_DESCRIPTOR,
      crc: 0,
      compressedSize: 0,
      uncompressedSize: 0,
      offset: this.offset,
    };
    this.entries.push(entry);
    // Counted with the first compressed bytes, by the entry itself.
    const header = [this.localHeader(entry, false)];
    return new StreamedEntry(entry, header, this.level, this.zip64Threshold, (bytes) => this.count(bytes));
  }

  /** The central directory and end records: the last bytes of the archive. */
  finish(): Buffer[] {
    const threshold = this.zip64Threshold;
    const directoryOffset = this.offset;
    const records: Buffer[] = [];
    for (const entry of this.entries) {
      const big = [entry.uncompressedSize, entry.compressedSize, entry.offset].map((v) => v >= threshold);
      const extraValues = [entry.uncompressedSize, entry.compressedSize, entry.offset].filter(
        (_, i) => big[i],
      );
      const extra = Buffer.alloc(extraValues.length > 0 ? 4 + 8 * extraValues.length : 0);
      if (extraValues.length > 0) {
        extra.writeUInt16LE(0x0001, 0);
        extra.writeUInt16LE(8 * extraValues.length, 2);
        extraValues.forEach((v, i) => extra.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
      }
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(extraValues.length > 0 ? 45 : 20, 4);
      header.writeUInt16LE(extraValues.length > 0 ? 45 : 20, 6);
      header.writeUInt16LE(entry.flags, 8);
      header.writeUInt16LE(METHOD_DEFLATE, 10);
      header.writeUInt16LE(DOS_TIME, 12);
      header.writeUInt16LE(DOS_DATE, 14);
      header.writeUInt32LE(entry.crc >>> 0, 16);
      header.writeUInt32LE(big[1] === true ? UINT32_MAX : entry.compressedSize, 20);
      header.writeUInt32LE(big[0] === true ? UINT32_MAX : entry.uncompressedSize, 24);
      header.writeUInt16LE(entry.name.length, 28);
      header.writeUInt16LE(extra.length, 30);
      header.writeUInt32LE(big[2] === true ? UINT32_MAX : entry.offset, 42);
      records.push(header, entry.name, extra);
    }
    const directorySize = records.reduce((sum, b) => sum + b.length, 0);
    const count = this.entries.length;
    const needs64 = count >= UINT16_MAX || directoryOffset >= threshold || directorySize >= threshold;
    if (needs64) {
      const zip64End = Buffer.alloc(56);
      zip64End.writeUInt32LE(0x06064b50, 0);
      zip64End.writeBigUInt64LE(44n, 4);
      zip64End.writeUInt16LE(45, 12);
      zip64End.writeUInt16LE(45, 14);
      zip64End.writeBigUInt64LE(BigInt(count), 24);
      zip64End.writeBigUInt64LE(BigInt(count), 32);
      zip64End.writeBigUInt64LE(BigInt(directorySize), 40);
      zip64End.writeBigUInt64LE(BigInt(directoryOffset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
      locator.writeUInt32LE(1, 16);
      records.push(zip64End, locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(needs64 ? UINT16_MAX : count, 8);
    end.writeUInt16LE(needs64 ? UINT16_MAX : count, 10);
    end.writeUInt32LE(needs64 ? UINT32_MAX : directorySize, 12);
    end.writeUInt32LE(needs64 ? UINT32_MAX : directoryOffset, 16);
    records.push(end);
    return this.count(records);
  }

  private localHeader(entry: CentralEntry, withSizes: boolean): Buffer {
    const header = Buffer.alloc(30 + entry.name.length);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(entry.flags, 6);
    header.writeUInt16LE(METHOD_DEFLATE, 8);
    header.writeUInt16LE(DOS_TIME, 10);
    header.writeUInt16LE(DOS_DATE, 12);
    if (withSizes) {
      header.writeUInt32LE(entry.crc >>> 0, 14);
      header.writeUInt32LE(entry.compressedSize, 18);
      header.writeUInt32LE(entry.uncompressedSize, 22);
    }
    header.writeUInt16LE(entry.name.length, 26);
    entry.name.copy(header, 30);
    return header;
  }

  private count(buffers: Buffer[]): Buffer[] {
    for (const b of buffers) this.offset += b.length;
    return buffers;
  }
}

/** The content of one streamed zip entry, deflated on the thread pool as it is written. */
export class StreamedEntry {
  private readonly pump: ZlibPump;
  private pendingHeader: Buffer[];

  constructor(
    private readonly entry: CentralEntry,
    header: Buffer[],
    level: number,
    private readonly zip64Threshold: number,
    private readonly count: (bytes: Buffer[]) => Buffer[],
  ) {
    this.pendingHeader = header;
    // Room for the chunks ZlibPump keeps in flight, so write() never reports back-pressure early.
    const zlibOptions: ZlibOptions & TransformOptions = {
      level,
      chunkSize: 128 * 1024,
      writableHighWaterMark: 2 * 1024 * 1024,
    };
    this.pump = new ZlibPump(createDeflateRaw(zlibOptions));
  }

  /** Queues uncompressed bytes; returns compressed bytes ready to be written. */
  async write(chunk: Uint8Array): Promise<Buffer[]> {
    this.entry.crc = crc32(chunk, this.entry.crc);
    this.entry.uncompressedSize += chunk.length;
    await this.pump.write(chunk);
    return this.drain();
  }

  /** Flushes the compressor and appends the data descriptor. */
  async finish(): Promise<Buffer[]> {
    await this.pump.end();
    const out = this.drain();
    const large =
      this.entry.compressedSize >= this.zip64Threshold || this.entry.uncompressedSize >= this.zip64Threshold;
    const descriptor = Buffer.alloc(large ? 24 : 16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(this.entry.crc >>> 0, 4);
    if (large) {
      descriptor.writeBigUInt64LE(BigInt(this.entry.compressedSize), 8);
      descriptor.writeBigUInt64LE(BigInt(this.entry.uncompressedSize), 16);
    } else {
      descriptor.writeUInt32LE(this.entry.compressedSize, 8);
      descriptor.writeUInt32LE(this.entry.uncompressedSize, 12);
    }
    return [...out, ...this.count([descriptor])];
  }

  destroy(): void {
    this.pump.destroy();
  }

  private drain(): Buffer[] {
    const compressed = this.pump.take();
    for (const b of compressed) this.entry.compressedSize += b.length;
    const out = this.count([...this.pendingHeader, ...compressed]);
    this.pendingHeader = [];
    return out;
  }
}
