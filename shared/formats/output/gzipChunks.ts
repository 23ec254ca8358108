import { createGzip } from 'node:zlib';
import { closeQuietly } from './generators';
import { ZlibPump } from './zlibPump';

/**
 * Gzips a chunk stream, passing the source's result through. Each call makes one gzip member;
 * members concatenated are still one valid `.gz` file (RFC 1952 §2.2), which is what lets the
 * parts of a bulk export be compressed separately.
 */
export async function* gzipChunks<T>(
  source: AsyncGenerator<Uint8Array, T, undefined>,
): AsyncGenerator<Uint8Array, T, undefined> {
  const pump = new ZlibPump(createGzip({ chunkSize: 64 * 1024 }));
  let finished = false;
  try {
    let next = await source.next();
    while (next.done !== true) {
      await pump.write(next.value);
      yield* pump.take();
      next = await source.next();
    }
    await pump.end();
    yield* pump.take();
    finished = true;
    return next.value;
  } finally {
    if (!finished) {
      pump.destroy();
      await closeQuietly(source);
    }
  }
}
