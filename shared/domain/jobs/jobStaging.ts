import { StringDecoder } from 'node:string_decoder';
import type { JobCheckpoint } from './jobProgress';

/**
 * What batches stage and how it is put back together: every batch is one block of the file (or
 * of the staged NDJSON, for formats written in one pass), named for its place in the file.
 */

/** Blocks of one blob must have ids of one length: ten characters, base64-encoded. */
export function blockId(kind: 'header' | 'footer' | { typeIndex: number; batchIndex: number }): string {
  const raw =
    kind === 'header'
      ? 'hd-0000000'
      : kind === 'footer'
        ? 'ft-0000000'
        : `t${kind.typeIndex}-b${String(kind.batchIndex).padStart(6, '0')}`;
  return Buffer.from(raw).toString('base64');
}

/** The staged body blocks of a job, in file order. */
export function bodyBlockIds(checkpoint: JobCheckpoint): string[] {
  return checkpoint.batches_done.flatMap((count, typeIndex) =>
    Array.from({ length: count }, (_, batchIndex) => blockId({ typeIndex, batchIndex })),
  );
}

/** Every block of the file in order; a format with an empty header or footer stages none. */
export function fileBlockIds(
  checkpoint: JobCheckpoint,
  framing: { header: boolean; footer: boolean },
): string[] {
  return [
    ...(framing.header ? [blockId('header')] : []),
    ...bodyBlockIds(checkpoint),
    ...(framing.footer ? [blockId('footer')] : []),
  ];
}

/** One record as staged NDJSON: its line, newline included. */
export function stagedLine(record: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(record)}\n`;
}

/** One batch of records as staged NDJSON: a line per record. */
export function stagedLines(records: readonly Record<string, unknown>[]): Buffer {
  return Buffer.from(records.map(stagedLine).join(''));
}

/** Staged NDJSON read back as it streams in: the records of each chunk's complete lines. */
export async function* stagedRecords(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<Record<string, unknown>[]> {
  let rest = '';
  // A multi-byte character can straddle two chunks: decode as a stream, not chunk by chunk.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop() ?? '';
    const batch = lines.filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
    if (batch.length > 0) yield batch;
  }
  if (rest.length > 0) yield [JSON.parse(rest) as Record<string, unknown>];
}
