import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { BlobContainerName, FileStore } from '../ports/files';
import { contentDisposition } from '../formats/contentDisposition';
import { readQuery } from './endpoint';
import { downloadQuery } from './schemas';

/** A stored file as a download serves it. */
export interface StoredFile {
  container: BlobContainerName;
  blob_path: string;
  file_name: string;
  content_type: string;
  sha256: string;
}

/**
 * The file streamed from Blob Storage with the download headers (`extraHeaders` add e.g. the
 * workflow id): the instance holds a chunk at a time, whatever the file's size.
 */
export async function fileResponse(
  blob: FileStore,
  file: StoredFile,
  extraHeaders: Record<string, string> = {},
): Promise<HttpResponseInit> {
  const stored = await blob.get(file.container, file.blob_path);
  return {
    status: 200,
    body: stored.stream,
    headers: {
      ...(stored.contentLength !== undefined ? { 'content-length': String(stored.contentLength) } : {}),
      'content-type': file.content_type,
      'content-disposition': contentDisposition(file.file_name),
      'x-content-sha256': file.sha256,
      'cache-control': 'private, no-store',
      ...extraHeaders,
    },
  };
}

/**
 * Every download endpoint: the bytes, or with `?redirect=true` a 302 to a read-only SAS URL
 * valid 15 minutes (the way to fetch large files).
 */
export async function downloadResponse(
  http: HttpRequest,
  blob: FileStore,
  file: StoredFile,
  extraHeaders: Record<string, string> = {},
): Promise<HttpResponseInit> {
  const { redirect } = readQuery(http, downloadQuery);
  if (redirect === 'true') {
    return { status: 302, headers: { location: await blob.readUrl(file.container, file.blob_path, 15) } };
  }
  return fileResponse(blob, file, extraHeaders);
}
