import type { ChunkBuffer } from '../output/chunkBuffer';
import type { WarningCollector } from '../output/warnings';
import type { ExportRecord } from '../records/recordSource';
import { safeJsonStringify } from '../records/safeJson';

/** Records are joined into strings of about this many characters before encoding: fewer, larger copies. */
const TEXT_BATCH = 16 * 1024;

/** Says that record `position` (1-based) held lone surrogates, which valid UTF-8 cannot carry. */
function unicodeReplaced(warnings: WarningCollector | undefined, position: number): void {
  if (warnings === undefined) return;
  warnings.record = position;
  warnings.add(
    'invalid_unicode_replaced',
    () => `Record ${position} held unpaired UTF-16 surrogates, written as U+FFFD`,
  );
  warnings.record = undefined;
}

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
    private readonly warnings?: WarningCollector,
  ) {
    this.written = recordsBefore;
  }

  header(): string {
    if (this.metadata === undefined) return '[';
    const metadata = safeJsonStringify(this.metadata, () =>
      this.warnings?.add(
        'invalid_unicode_replaced',
        () => 'The metadata held unpaired UTF-16 surrogates, written as U+FFFD',
      ),
    );
    return `{"metadata":${metadata},"records":[`;
  }

  writeSlice(records: readonly ExportRecord[], out: ChunkBuffer): number {
    let text = '';
    const replaced = (): void => unicodeReplaced(this.warnings, this.written + 1);
    for (const record of records) {
      text += (this.written === 0 ? '\n' : ',\n') + safeJsonStringify(record, replaced);
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
  private written: number;

  constructor(
    recordsBefore = 0,
    private readonly warnings?: WarningCollector,
  ) {
    this.written = recordsBefore;
  }

  header(): string {
    return '';
  }

  writeSlice(records: readonly ExportRecord[], out: ChunkBuffer): number {
    let text = '';
    const replaced = (): void => unicodeReplaced(this.warnings, this.written + 1);
    for (const record of records) {
      text += safeJsonStringify(record, replaced) + '\n';
      this.written++;
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
