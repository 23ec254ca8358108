import type { Readable } from 'node:stream';

export const blobContainerNames = ['documents', 'exports', 'scheduled-exports'] as const;
export type BlobContainerName = (typeof blobContainerNames)[number];

export interface StoredFile {
  stream: Readable;
  contentType?: string;
  contentLength?: number;
}

/** Files in Blob Storage, as the services use them. A missing file is a NotFound. */
export interface FileStore {
  put(
    container: BlobContainerName,
    path: string,
    body: Buffer | Uint8Array,
    contentType: string,
  ): Promise<void>;
  get(container: BlobContainerName, path: string): Promise<StoredFile>;
  /** Uploads a stream committed once at the end: readers never see a partial file. */
  putStream(
    container: BlobContainerName,
    path: string,
    chunks: AsyncIterable<Uint8Array>,
    contentType: string,
  ): Promise<void>;
  /** Stages one block without making it visible; the same id again replaces it. */
  stageBlock(container: BlobContainerName, path: string, blockId: string, body: Uint8Array): Promise<void>;
  /** Makes the file exactly these staged blocks, in order, in one atomic step. */
  commitBlocks(
    container: BlobContainerName,
    path: string,
    blockIds: string[],
    contentType: string,
  ): Promise<void>;
  /** Throws away a file and any blocks staged for it. */
  discard(container: BlobContainerName, path: string): Promise<void>;
  list(container: BlobContainerName, prefix: string): Promise<string[]>;
  delete(container: BlobContainerName, path: string): Promise<void>;
  /** A short-lived read-only URL (at most 15 minutes). */
  readUrl(container: BlobContainerName, path: string, minutes: number): Promise<string>;
}
