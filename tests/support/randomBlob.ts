import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore } from '../../shared/adapters/blob';

const MB = 1024 * 1024;

/**
 * Replaces an `exports` blob with `mb` MB of random bytes, uploaded as a stream (never held
 * whole); returns their SHA-256. For large downloads in tests and the download bench.
 */
export async function fillBlobWithRandomBytes(
  blob: BlobStore,
  blobPath: string,
  mb: number,
): Promise<string> {
  const hash = createHash('sha256');
  function* chunks() {
    for (let i = 0; i < mb; i++) {
      const chunk = randomBytes(MB);
      hash.update(chunk);
      yield chunk;
    }
  }
  await blob.putStream('exports', blobPath, Readable.from(chunks()), 'application/json');
  return hash.digest('hex');
}
