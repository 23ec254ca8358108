import { createHash } from 'node:crypto';
import { AppError } from '../../core/errors';
import {
  bodyBlockIds,
  blockId,
  fileBlockIds,
  isPartedFormat,
  stagedRecords,
  type DataType,
  type IncomingWarning,
  type JobRecord,
} from '../../domain/jobs';
import {
  ColumnUnion,
  collect,
  mimeTypeFor,
  writeExport,
  writeExportBody,
  writeExportFooter,
  writeExportHeader,
  type ColumnModel,
  type ExportFileResult,
} from '../../formats';
import type { FileStore } from '../../ports/files';

/** The Blob operations a job's file needs. */
export type JobFileStore = Pick<
  FileStore,
  'stageBlock' | 'commitBlocks' | 'putStream' | 'get' | 'discard' | 'delete'
>;

/** One batch as read: its export rows, and each row's staged NDJSON line (measured against the byte budget). */
export interface ReadBatch {
  rows: Record<string, unknown>[];
  lines: string[];
}

/** What a staged batch put in the file: its rows (none until the final pass, for CSV, XLSX, PDF). */
export interface StagedBatch {
  rows: number;
  warnings: IncomingWarning[];
}

/** What the finished file holds, as the job records it, with what its writer counted per data type. */
export interface WrittenFile {
  size: number;
  sha256: string;
  rows: number;
  records_by_type: number[];
  rows_by_type: number[];
  warnings: IncomingWarning[];
}

/** How often a long single pass (finalizing XLSX or PDF) reports how far it is. */
const progressIntervalMs = 2000;

/** Where XLSX and PDF batches stage their records, as NDJSON, until the file is written in one pass. */
function stagingPath(job: JobRecord): string {
  return `${job.owner_email}/jobs/${job.job_id}/staging.ndjson`;
}

function partedOptions(job: JobRecord, format: 'json' | 'ndjson', metadata?: Record<string, unknown>) {
  return { format, compression: job.request.compression, includeMetadata: metadata };
}

/** The columns of every staged record (a field may first appear in the last one), read in one streaming pass. */
async function columnsOf(
  staged: AsyncIterable<Record<string, unknown>[]>,
): Promise<{ union: ColumnUnion; model: ColumnModel; warnings: IncomingWarning[] }> {
  const union = new ColumnUnion();
  let recordNumber = 0;
  for await (const batch of staged) for (const row of batch) union.add(row, ++recordNumber);
  const { model, renamed } = union.model();
  const first = renamed[0];
  const warnings: IncomingWarning[] = first
    ? [
        {
          code: 'column_renamed',
          message: `Column "${first.header}" was renamed: another field has the same dotted name`,
          count: renamed.length,
          first_record: first.firstRecord ?? null,
        },
      ]
    : [];
  return { union, model, warnings };
}

/** Counts, per data type, the records passed on and the file rows they make. */
async function* countingRows(
  batches: AsyncIterable<Record<string, unknown>[]>,
  dataTypes: readonly DataType[],
  union: ColumnUnion,
  counts: { records_by_type: number[]; rows_by_type: number[] },
): AsyncGenerator<Record<string, unknown>[]> {
  for await (const batch of batches) {
    for (const row of batch) {
      const index = dataTypes.indexOf(row.data_type as DataType);
      if (index < 0) continue;
      counts.records_by_type[index] = (counts.records_by_type[index] ?? 0) + 1;
      counts.rows_by_type[index] = (counts.rows_by_type[index] ?? 0) + union.rowsOf(row);
    }
    yield batch;
  }
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

/** How far finalizing is: records read to find the columns, then records written into the file. */
export type FinalizeProgress = (
  step: 'scanned_records' | 'finalized_records',
  records: number,
) => Promise<void>;

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
 * A job's file, assembled from what its batches staged. JSON and NDJSON batches stage their own
 * bytes of the file, so finishing it is a header, a footer and one commit. CSV, XLSX and PDF
 * batches stage NDJSON; finishing reads it once for the columns of every record, then writes
 * the whole file from it in a second pass. Either way the file appears in one step: no reader
 * ever sees part of it.
 */
export class JobFiles {
  constructor(private readonly store: JobFileStore) {}

  /**
   * Stages one batch as the block the checkpoint names (a retried batch rewrites only its own)
   * and returns the file rows it wrote, with its writer's warnings.
   */
  async stageBatch(job: JobRecord, batch: ReadBatch): Promise<StagedBatch> {
    const { checkpoint, request, target } = job;
    const id = blockId({ typeIndex: checkpoint.type_index, batchIndex: checkpoint.batch_index });
    if (!isPartedFormat(request.format)) {
      await this.store.stageBlock('exports', stagingPath(job), id, Buffer.from(batch.lines.join('')));
      return { rows: 0, warnings: [] };
    }
    const part = await collect(
      writeExportBody(batch.rows, partedOptions(job, request.format), {
        recordsBefore: checkpoint.records_before,
      }),
    );
    if (part.result.records !== batch.rows.length) {
      throw new AppError(
        'records_mismatch',
        `Export job ${job.job_id} was not completed: a batch of ${batch.rows.length} records wrote ${part.result.records}.`,
      );
    }
    await this.store.stageBlock(target.container, target.path, id, part.bytes);
    return { rows: part.result.rows, warnings: part.result.warnings };
  }

  /**
   * Makes the job's file from its staged blocks. The passes over staged records can take a
   * while: `reportProgress` hears how far each is every few seconds.
   */
  assemble(
    job: JobRecord,
    metadata: Record<string, unknown> | undefined,
    reportProgress: FinalizeProgress,
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

  /** Deletes a file written for a job that is not to be completed (its counts disagree); its staging stays. */
  async withdraw(job: JobRecord): Promise<void> {
    await this.store.delete(job.target.container, job.target.path);
  }

  /** Deletes a completed job's file. */
  async delete(job: JobRecord): Promise<void> {
    if (job.file) await this.store.delete(job.target.container, job.file.blob_path);
  }

  private async commitParts(
    job: JobRecord,
    format: 'json' | 'ndjson',
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
    // Each part was checked against its batch when it was staged.
    const { records_by_type, rows_by_type, rows_before } = job.checkpoint;
    return { ...written, rows: rows_before, records_by_type, rows_by_type, warnings: [] };
  }

  private async writeInOnePass(
    job: JobRecord,
    metadata: Record<string, unknown> | undefined,
    reportProgress: FinalizeProgress,
  ): Promise<WrittenFile> {
    const { request, target } = job;
    const staging = stagingPath(job);
    await this.store.commitBlocks('exports', staging, bodyBlockIds(job.checkpoint), 'application/x-ndjson');
    const staged = async () => stagedRecords((await this.store.get('exports', staging)).stream);
    const columns = await columnsOf(
      reportingProgress(await staged(), (n) => reportProgress('scanned_records', n)),
    );
    const counts = {
      records_by_type: request.data_types.map(() => 0),
      rows_by_type: request.data_types.map(() => 0),
    };
    const records = countingRows(await staged(), request.data_types, columns.union, counts);
    const writer = untilResult(
      writeExport(
        reportingProgress(records, (n) => reportProgress('finalized_records', n)),
        {
          format: request.format,
          columns: columns.model,
          compression: request.compression,
          includeMetadata: metadata,
          ...(request.format === 'pdf'
            ? { report: { title: `Export ${job.job_id}`, metadata: metadata ?? {}, tableTitle: 'Records' } }
            : {}),
        },
      ),
    );
    await this.store.putStream(
      target.container,
      target.path,
      writer.chunks,
      mimeTypeFor(request.format, request.compression),
    );
    const result = writer.result();
    const counted = counts.rows_by_type.reduce((a, b) => a + b, 0);
    if (result.rows !== counted || result.records !== counts.records_by_type.reduce((a, b) => a + b, 0)) {
      await this.withdraw(job);
      throw new AppError(
        'records_mismatch',
        `Export job ${job.job_id} was not completed: the file writer wrote ${result.records} records as ${result.rows} rows; ${counted} rows were expected.`,
      );
    }
    return {
      size: result.bytes,
      sha256: result.sha256,
      rows: result.rows,
      ...counts,
      warnings: [...columns.warnings, ...result.warnings],
    };
  }
}
