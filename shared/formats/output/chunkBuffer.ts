/** Size of the chunks writers produce: large enough for zlib and blob uploads to work efficiently. */
export const CHUNK_SIZE = 256 * 1024;

/**
 * Encodes text straight into a fixed-size buffer and hands out full chunks. Encoding row by row
 * into one buffer is far cheaper than joining a large string and converting it, and keeps
 * memory flat whatever the row count.
 */
export class ChunkBuffer {
  private buffer: Buffer;
  private position = 0;
  private readonly ready: Buffer[] = [];

  constructor(private readonly size = CHUNK_SIZE) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  /** Appends `text` as UTF-8 (lone surrogates become U+FFFD, as with any UTF-8 encoder). */
  write(text: string): void {
    // A UTF-16 code unit never needs more than 3 UTF-8 bytes, so this bound is always safe.
    const worstCase = text.length * 3;
    if (this.position + worstCase > this.size) {
      this.flush();
      if (worstCase > this.size) {
        this.ready.push(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.position += this.buffer.write(text, this.position, 'utf8');
  }

  /** Bytes written since the last flush. */
  get pending(): number {
    return this.position;
  }

  /** Moves whatever is buffered to the ready list. */
  flush(): void {
    if (this.position === 0) return;
    this.ready.push(this.buffer.subarray(0, this.position));
    this.buffer = Buffer.allocUnsafe(this.size);
    this.position = 0;
  }

  /** Full chunks produced so far (the caller owns them). */
  take(): Buffer[] {
    return this.ready.splice(0, this.ready.length);
  }
}
