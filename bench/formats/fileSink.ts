import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where every writer's output goes: a real file, written synchronously, so each writer pays
 * the same price for its bytes and none can skip producing them.
 */
export class FileSink {
  readonly path: string;
  private readonly fd: number;
  private written = 0;

  constructor(name: string) {
    this.path = join(tmpdir(), `exportrail-bench-${process.pid}-${name}`);
    this.fd = openSync(this.path, 'w');
  }

  write(chunk: Uint8Array | string): void {
    this.written += typeof chunk === 'string' ? writeSync(this.fd, chunk) : writeSync(this.fd, chunk);
  }

  /** Bytes in the file: counted, or read from disk for writers that open the file themselves. */
  close(): number {
    closeSync(this.fd);
    const size = Math.max(this.written, statSync(this.path).size);
    rmSync(this.path, { force: true });
    return size;
  }
}
