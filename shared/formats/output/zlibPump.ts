import { once } from 'node:events';
import type { Transform } from 'node:stream';

/** Chunks handed to zlib but not yet compressed: enough to keep its thread busy, and a memory bound. */
const DEFAULT_IN_FLIGHT = 4;

/**
 * Drives a zlib stream from an async generator. zlib works on the libuv thread pool, so while
 * it compresses one chunk the main thread formats the next: on two cores that hides most of
 * the compression time. Waiting on each write's callback (rather than for 'drain', which
 * only fires once zlib's queue is empty) keeps the queue from ever running dry.
 */
export class ZlibPump {
  private readonly output: Buffer[] = [];
  private readonly inFlight: Promise<void>[] = [];
  private failure: Error | undefined;

  constructor(
    private readonly stream: Transform,
    private readonly maxInFlight = DEFAULT_IN_FLIGHT,
  ) {
    stream.on('data', (chunk: Buffer) => this.output.push(chunk));
    stream.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.throwIfFailed();
    const written = new Promise<void>((resolve, reject) => {
      this.stream.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
    // Observed here so a failure is never "unhandled"; the await below still sees it.
    written.catch(() => undefined);
    this.inFlight.push(written);
    while (this.inFlight.length > this.maxInFlight) await this.inFlight.shift();
  }

  async end(): Promise<void> {
    await Promise.all(this.inFlight.splice(0, this.inFlight.length));
    this.throwIfFailed();
    const ended = once(this.stream, 'end');
    this.stream.end();
    await ended;
  }

  take(): Buffer[] {
    return this.output.splice(0, this.output.length);
  }

  destroy(): void {
    this.stream.destroy();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
