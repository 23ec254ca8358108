import { createHash } from 'node:crypto';
import {
  bodyBlockIds,
  blockId,
  fileBlockIds,
  isPartedFormat,
  stagedLines,
  stagedRecords,
  type JobRecord,
} from '../../domain/jobs';
import {
  collect,
  mimeTypeFor,
  writeExport,
  writeExportBody,
  writeExportFooter,
  writeExportHeader,
  type ExportFileResult,
  type PartedFormat,
} from '../../formats';
import type { FileStore } from '../../ports/files';

/** The Blob operations a job's file needs. */
export type JobFileStore = Pick<
  FileStore,
  'stageBlock' | 'commitBlocks' | 'putStream' | 'get' | 'discard' | 'delete'
>;

/** What the finished file holds, as the job records it. */
export interface WrittenFile {
  size: number;
  sha256: string;
  rows: number;
}

/** How often a long single pass (finalizing XLSX or PDF) reports how far it is. */
const progressIntervalMs = 2000;

/** Where XLSX and PDF batches stage their records, as NDJSON, until the file is written in one pass. */
function stagingPath(job: JobRecord): string {
  return `${job.owner_email}/jobs/${job.job_id}/staging.ndjson`;
}

function partedOptions(job: JobRecord, format: PartedFormat, metadata?: Record<string, unknown>) {
  return {
    format,
    columns: job.columns,
    compression: job.request.compression,
    includeMetadata: metadata,
  };
}

async function sha256Of(chunks: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Calls `report` with the count of records passed so far, at most once per interval. */
async function* reportingProgress(
  batches: AsyncIterable<Record<string, unknown>[]>,
  report: (recordsWritten: number) => Promise<void>,
): AsyncGenerator<Record<string, unknown>[]> {
  let written = 0;
  let reportedAt = performance.now();
  for await (const batch of batches) {
    written += batch.length;
    if (performance.now() - reportedAt >= progressIntervalMs) {
      reportedAt = performance.now();
      await report(written);
    }
    yield batch;
  }
}

/** The file writer's chunks for an upload, and its summary once the upload has read them all. */
function untilResult(writer: AsyncGenerator<Uint8Array, ExportFileResult, undefined>) {
  let result: ExportFileResult | undefined;
  async function* chunks() {
    result = yield* writer;
  }
  return {
    chunks: chunks(),
    result(): ExportFileResult {
      if (!result) throw new Error('The file writer ended without a result.');
      return result;
    },
  };
}

/**
 * A job's file, assembled from what its batches staged. CSV, JSON and NDJSON batches stage their
 * own bytes of the file, so finishing it is a header, a footer and one commit; XLSX and PDF
 * batches stage NDJSON, and finishing writes the whole file from it in one pass. Either way the
 * file appears in one step: no reader ever sees part of it.
 */
export class JobFiles {
  constructor(private readonly store: JobFileStore) {}

  /**
   * Stages one batch as the block the checkpoint names (a retried batch rewrites only its own)
   * and returns the file rows it makes.
   */
  async stageBatch(job: JobRecord, rows: Record<string, unknown>[]): Promise<number> {
    const { checkpoint, request, target } = job;
    const id = blockId({ typeIndex: checkpoint.type_index, batchIndex: checkpoint.batch_index });
    if (!isPartedFormat(request.format)) {
      await this.store.stageBlock('exports', stagingPath(job), id, stagedLines(rows));
      return rows.length;
    }
    const part = await collect(
      writeExportBody(rows, partedOptions(job, request.format), { recordsBefore: checkpoint.records_before }),
    );
    await this.store.stageBlock(target.container, target.path, id, part.bytes);
    return part.result.rows;
  }

  /**
   * Makes the job's file from its staged blocks. A single pass can take a while:
   * `reportProgress` hears how many records it has written every few seconds.
   */
  assemble(
    job: JobRecord,
    metadata: Record<string, unknown> | undefined,
    reportProgress: (recordsWritten: number) => Promise<void>,
  ): Promise<WrittenFile> {
    const { format } = job.request;
    return isPartedFormat(format)
      ? this.commitParts(job, format, metadata)
      : this.writeInOnePass(job, metadata, reportProgress);
  }

  /** Removes what only assembling needed; only once the job says completed, so a retry still finds it. */
  async removeStaging(job: JobRecord): Promise<void> {
    if (!isPartedFormat(job.request.format)) await this.store.delete('exports', stagingPath(job));
  }

  /** Throws away the file and everything staged for it. */
  async discard(job: JobRecord): Promise<void> {
    await this.store.discard(job.target.container, job.target.path);
    await this.store.discard('exports', stagingPath(job));
  }

  /** Deletes a completed job's file. */
  async delete(job: JobRecord): Promise<void> {
    if (job.file) await this.store.delete(job.target.container, job.file.blob_path);
  }

  private async commitParts(
    job: JobRecord,
    format: PartedFormat,
    metadata: Record<string, unknown> | undefined,
  ): Promise<WrittenFile> {
    const { target } = job;
    const options = partedOptions(job, format, metadata);
    const header = (await collect(writeExportHeader(options))).bytes;
    const footer = (await collect(writeExportFooter(options, { records: job.processed_records }))).bytes;
    if (header.length > 0)
      await this.store.stageBlock(target.container, target.path, blockId('header'), header);
    if (footer.length > 0)
      await this.store.stageBlock(target.container, target.path, blockId('footer'), footer);
    const blocks = fileBlockIds(job.checkpoint, { header: header.length > 0, footer: footer.length > 0 });
    await this.store.commitBlocks(
      target.container,
      target.path,
      blocks,
      mimeTypeFor(format, job.request.compression),
    );
    // The parts were hashed one by one; the file's hash is over their concatenation, read back.
    const written = await sha256Of((await this.store.get(target.container, target.path)).stream);
    return { ...written, rows: job.checkpoint.rows_before };
  }

  private async writeInOnePass(
    job: JobRecord,
    metadata: Record<string, unknown> | undefined,
    reportProgress: (recordsWritten: number) => Promise<void>,
  ): Promise<WrittenFile> {
    const { request, target } = job;
    const staging = stagingPath(job);
    await this.store.commitBlocks('exports', staging, bodyBlockIds(job.checkpoint), 'application/x-ndjson');
    const staged = stagedRecords((await this.store.get('exports', staging)).stream);
    const writer = untilResult(
      writeExport(reportingProgress(staged, reportProgress), {
        format: request.format,
        columns: job.columns,
        compression: request.compression,
        includeMetadata: metadata,
        ...(request.format === 'pdf'
          ? { report: { title: `Export ${job.job_id}`, metadata: metadata ?? {}, tableTitle: 'Records' } }
          : {}),
      }),
    );
    await this.store.putStream(
      target.container,
      target.path,
      writer.chunks,
      mimeTypeFor(request.format, request.compression),
    );
    const result = writer.result();
    return { size: result.bytes, sha256: result.sha256, rows: result.rows };
  }
}
