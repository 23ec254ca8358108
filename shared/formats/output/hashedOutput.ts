import { createHash } from 'node:crypto';
import type { BodySummary } from '../exportOptions';
import { closeQuietly } from './generators';
import { gzipChunks } from './gzipChunks';

/** A body's summary plus the size and SHA-256 of the bytes that actually left. */
export interface HashedSummary extends BodySummary {
  bytes: number;
  sha256: string;
}

/**
 * The last stage of every export: optional gzip, then byte count and SHA-256 of exactly what
 * the caller receives (the hash recorded in stage records and job files).
 */
export async function* hashedOutput(
  body: AsyncGenerator<Uint8Array, BodySummary, undefined>,
  compression: boolean,
): AsyncGenerator<Uint8Array, HashedSummary, undefined> {
  const output = compression ? gzipChunks(body) : body;
  const hash = createHash('sha256');
  let bytes = 0;
  let finished = false;
  try {
    let next = await output.next();
    while (next.done !== true) {
      hash.update(next.value);
      bytes += next.value.byteLength;
      yield next.value;
      next = await output.next();
    }
    finished = true;
    return { ...next.value, bytes, sha256: hash.digest('hex') };
  } finally {
    if (!finished) await closeQuietly(output);
  }
}
