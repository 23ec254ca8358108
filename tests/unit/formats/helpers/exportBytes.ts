import type { ExportFileResult, ExportOptions } from '../../../../shared/formats/index';
import { writeExportToBuffer } from '../../../../shared/formats/index';
import type { RecordInput } from '../../../../shared/formats/records/recordSource';

/** Writes a whole export in memory. */
export async function exportBytes(
  records: RecordInput,
  options: ExportOptions,
): Promise<{ bytes: Buffer; result: ExportFileResult }> {
  return writeExportToBuffer(records, options);
}

/** Decodes as UTF-8, throwing on any invalid byte sequence. */
export function strictUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** What any UTF-8 output makes of a string: lone surrogates become U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
