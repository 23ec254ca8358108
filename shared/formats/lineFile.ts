import type { BodySummary } from './exportOptions';
import { ChunkBuffer } from './output/chunkBuffer';
import type { ExportRecord } from './records/recordSource';

/** CSV, JSON and NDJSON share this shape, which is what lets them be written in parts. */
export interface LineFormatWriter {
  /** Text before the first record of the file. */
  header(): string;
  /** Appends the rows of some records; returns the number of rows. */
  writeSlice(records: readonly ExportRecord[], out: ChunkBuffer): number;
  /** Text after the last record; `totalRecords` counts the whole file, all parts. */
  footer(totalRecords: number): string;
}

/** Which pieces of the file to produce: all of them for a whole file, some for a part. */
export interface LineFileParts {
  header: boolean;
  footer: boolean;
  recordsBefore: number;
}

const WHOLE_FILE: LineFileParts = { header: true, footer: true, recordsBefore: 0 };

export async function* lineFile(
  slices: AsyncIterable<readonly ExportRecord[]> | Iterable<readonly ExportRecord[]>,
  writer: LineFormatWriter,
  parts: LineFileParts = WHOLE_FILE,
): AsyncGenerator<Uint8Array, BodySummary, undefined> {
  const out = new ChunkBuffer();
  let rows = 0;
  let records = 0;
  if (parts.header) out.write(writer.header());
  for await (const slice of slices) {
    rows += writer.writeSlice(slice, out);
    records += slice.length;
    yield* out.take();
  }
  if (parts.footer) out.write(writer.footer(parts.recordsBefore + records));
  out.flush();
  yield* out.take();
  return { rows, records };
}
