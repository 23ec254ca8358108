import type { ChunkBuffer } from '../output/chunkBuffer';
import type { ExportRecord } from '../records/recordSource';
import { safeJsonStringify } from '../records/safeJson';

/** Records are joined into strings of about this many characters before encoding: fewer, larger copies. */
const TEXT_BATCH = 16 * 1024;

/**
 * JSON keeps each record's own structure (nested objects and arrays stay nested), so the
 * column model does not apply; dates become ISO 8601 strings through `toJSON`.
 *
 * Array form: `[` + records separated by `,\n` + `]`. With metadata:
 * `{"metadata":{…},"records":[…],"record_count":n}` — the count comes last because it is only
 * known once the records are written, and that keeps the file streamable.
 */
export class JsonArrayWriter {
  private written: number;

  /**
   * @param recordsBefore records already written by earlier parts of the same file: the first
   *   record of the file is the only one without a leading comma.
   */
  constructor(
    private readonly metadata: Readonly<Record<string, unknown>> | undefined,
    recordsBefore = 0,
  ) {
    this.written = recordsBefore;
  }

  header(): string {
    return this.metadata === undefined ? '[' : `{"metadata":${safeJsonStringify(this.metadata)},"records":[`;
  }

  writeSlice(records: readonly ExportRecord[], out: ChunkBuffer): number {
    let text = '';
    for (const record of records) {
      text += (this.written === 0 ? '\n' : ',\n') + safeJsonStringify(record);
      this.written++;
      if (text.length >= TEXT_BATCH) {
        out.write(text);
        text = '';
      }
    }
    out.write(text);
    return records.length;
  }

  /** @param totalRecords records in the whole file (all parts). */
  footer(totalRecords: number): string {
    const close = totalRecords > 0 ? '\n]' : ']';
    return this.metadata === undefined ? `${close}\n` : `${close},"record_count":${totalRecords}}\n`;
  }
}

/** Newline-delimited JSON: one record per line, no header or footer, so parts concatenate as they are. */
export class NdjsonWriter {
  header(): string {
    return '';
  }

  writeSlice(records: readonly ExportRecord[], out: ChunkBuffer): number {
    let text = '';
    for (const record of records) {
      text += safeJsonStringify(record) + '\n';
      if (text.length >= TEXT_BATCH) {
        out.write(text);
        text = '';
      }
    }
    out.write(text);
    return records.length;
  }

  footer(): string {
    return '';
  }
}
