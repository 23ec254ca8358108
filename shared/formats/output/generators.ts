/** Lets an outer generator that is stopped early stop the one it reads from (closing zlib streams, files). */
export async function closeQuietly(generator: AsyncGenerator<unknown, unknown, undefined>): Promise<void> {
  try {
    await generator.return(undefined);
  } catch {
    // Already failing or finished: nothing else to release.
  }
}

/** Collects a whole export in memory — for small files (deliverables) and tests. */
export async function collect<T>(
  generator: AsyncGenerator<Uint8Array, T, undefined>,
): Promise<{ bytes: Buffer; result: T }> {
  const chunks: Uint8Array[] = [];
  let next = await generator.next();
  while (next.done !== true) {
    chunks.push(next.value);
    next = await generator.next();
  }
  return { bytes: Buffer.concat(chunks), result: next.value };
}

/**
 * Feeds every chunk to `sink` (awaiting it, so a slow upload slows the writer instead of
 * buffering) and returns the generator's result.
 */
export async function pipeExport<T>(
  generator: AsyncGenerator<Uint8Array, T, undefined>,
  sink: (chunk: Uint8Array) => void | Promise<void>,
): Promise<T> {
  let next = await generator.next();
  while (next.done !== true) {
    await sink(next.value);
    next = await generator.next();
  }
  return next.value;
}
