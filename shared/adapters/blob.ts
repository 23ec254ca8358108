import { DefaultAzureCredential } from '@azure/identity';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type ContainerClient,
} from '@azure/storage-blob';
import { Readable } from 'node:stream';
import type { BlobConnection } from '../config';
import { ensureError, notFound, unavailable } from '../core/errors';
import { blobContainerNames, type BlobContainerName, type FileStore, type StoredFile } from '../ports/files';

/** Turns SDK errors into domain errors: 404 → NotFound, 429/503 and refused connections → 503 with Retry-After. */
function mapBlobError(thrown: unknown): Error {
  const error = ensureError(thrown) as Error & { statusCode?: number; code?: string };
  if (error.statusCode === 404) return notFound('The file');
  if (
    error.statusCode === 429 ||
    error.statusCode === 503 ||
    error.code === 'ECONNREFUSED' ||
    error.code === 'ECONNRESET'
  ) {
    return unavailable('Blob Storage');
  }
  return error;
}

/** Runs SDK calls, turning their errors into domain errors. */
async function sdk<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (thrown) {
    throw mapBlobError(thrown);
  }
}

/** Blob Storage, built once from config: shared key for emulators, managed identity in Azure. */
export class BlobStore implements FileStore {
  private readonly service: BlobServiceClient;

  constructor(connection: BlobConnection) {
    this.service =
      connection.kind === 'connectionString'
        ? BlobServiceClient.fromConnectionString(connection.connectionString, {
            retryOptions: { maxTries: 4 },
          })
        : new BlobServiceClient(
            connection.serviceUri,
            new DefaultAzureCredential({ managedIdentityClientId: connection.clientId }),
            {
              retryOptions: { maxTries: 4 },
            },
          );
  }

  private container(name: BlobContainerName): ContainerClient {
    return this.service.getContainerClient(name);
  }

  /** Creates the containers if missing (idempotent, private access). */
  async provision(): Promise<void> {
    return sdk(async () => {
      for (const name of blobContainerNames) await this.container(name).createIfNotExists();
    });
  }

  async ping(): Promise<void> {
    await this.container('exports').getProperties();
  }

  async put(
    container: BlobContainerName,
    path: string,
    body: Buffer | Uint8Array,
    contentType: string,
  ): Promise<void> {
    return sdk(async () => {
      await this.container(container)
        .getBlockBlobClient(path)
        .uploadData(body, { blobHTTPHeaders: { blobContentType: contentType } });
    });
  }

  async get(container: BlobContainerName, path: string): Promise<StoredFile> {
    return sdk(async () => {
      const download = await this.container(container).getBlobClient(path).download();
      if (!download.readableStreamBody) throw new Error(`Blob ${container}/${path} has no body.`);
      return {
        stream: download.readableStreamBody as Readable,
        contentType: download.contentType,
        contentLength: download.contentLength,
      };
    });
  }

  /** Uploads a stream as staged blocks committed once at the end: readers never see a partial file. */
  async putStream(
    container: BlobContainerName,
    path: string,
    chunks: AsyncIterable<Uint8Array>,
    contentType: string,
  ): Promise<void> {
    return sdk(async () => {
      await this.container(container)
        .getBlockBlobClient(path)
        .uploadStream(Readable.from(chunks), 8 * 1024 * 1024, 2, {
          blobHTTPHeaders: { blobContentType: contentType },
        });
    });
  }

  /**
   * Stages one block of a blob without making it visible. Writing the same block id again
   * replaces it, so a retried writer never duplicates its part.
   */
  async stageBlock(
    container: BlobContainerName,
    path: string,
    blockId: string,
    body: Uint8Array,
  ): Promise<void> {
    return sdk(async () => {
      await this.container(container).getBlockBlobClient(path).stageBlock(blockId, body, body.length);
    });
  }

  /** Makes the blob exactly these staged blocks, in order, in one atomic step. */
  async commitBlocks(
    container: BlobContainerName,
    path: string,
    blockIds: string[],
    contentType: string,
  ): Promise<void> {
    return sdk(async () => {
      await this.container(container)
        .getBlockBlobClient(path)
        .commitBlockList(blockIds, { blobHTTPHeaders: { blobContentType: contentType } });
    });
  }

  /** Throws away a blob and any blocks staged for it (committing an empty list discards them). */
  async discard(container: BlobContainerName, path: string): Promise<void> {
    return sdk(async () => {
      const blob = this.container(container).getBlockBlobClient(path);
      await blob.commitBlockList([]);
      await blob.deleteIfExists();
    });
  }

  /** The names of the blobs under a prefix. */
  async list(container: BlobContainerName, prefix: string): Promise<string[]> {
    return sdk(async () => {
      const names: string[] = [];
      for await (const blob of this.container(container).listBlobsFlat({ prefix })) names.push(blob.name);
      return names;
    });
  }

  async delete(container: BlobContainerName, path: string): Promise<void> {
    return sdk(async () => {
      await this.container(container).getBlobClient(path).deleteIfExists();
    });
  }

  /**
   * A read-only URL valid for `minutes` (at most 15): signed with the account key where we have
   * one (emulator), with a user delegation key under managed identity.
   */
  async readUrl(container: BlobContainerName, path: string, minutes: number): Promise<string> {
    const blob = this.container(container).getBlobClient(path);
    const startsOn = new Date(Date.now() - 60_000);
    const expiresOn = new Date(Date.now() + Math.min(minutes, 15) * 60_000);
    const permissions = BlobSASPermissions.parse('r');
    return sdk(async () => {
      if (blob.credential instanceof StorageSharedKeyCredential) {
        return blob.generateSasUrl({ permissions, startsOn, expiresOn });
      }
      const key = await this.service.getUserDelegationKey(startsOn, expiresOn);
      const sas = generateBlobSASQueryParameters(
        { containerName: container, blobName: path, permissions, startsOn, expiresOn },
        key,
        this.service.accountName,
      );
      return `${blob.url}?${sas.toString()}`;
    });
  }
}
