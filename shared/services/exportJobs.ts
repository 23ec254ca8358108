import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { OwnedQuery, OwnedRecord, Page, RecordStore } from '../ports/records';
import type { OrchestrationControl } from '../ports/orchestration';
import { conflict, AppError } from '../core/errors';
import type { Caller } from '../core/identity';
import {
  blockId,
  bodyBlockIds,
  exportRow,
  jobFilter,
  percent,
  type DataType,
  type JobRecord,
  type JobRequest,
  type SqlFilter,
} from '../domain/jobs';
import { inferColumnModel, type ColumnModel } from '../formats';
import {
  writeExportBody,
  writeExportFooter,
  writeExportHeader,
  type PartedFormat,
} from '../formats/parts/partedExport';
import { writeExport } from '../formats/writeExport';
import { collect } from '../formats/output/generators';
import { extensionFor, mimeTypeFor } from '../formats/formatNames';
import { bulkExport, type BatchOutcome, type JobRef } from '../workflows/bulkExportDefinition';
import { callerPage, callerRecord } from './callerRecords';

type StoredJob = JobRecord & OwnedRecord;
type Stored = OwnedRecord & Record<string, unknown>;

/** Blob operations the jobs need (the Blob adapter provides them). */
export interface JobFileStore {
  stageBlock(
    container: JobRecord['target']['container'],
    path: string,
    blockId: string,
    body: Uint8Array,
  ): Promise<void>;
  commitBlocks(
    container: JobRecord['target']['container'],
    path: string,
    blockIds: string[],
    contentType: string,
  ): Promise<void>;
  putStream(
    container: JobRecord['target']['container'],
    path: string,
    chunks: AsyncIterable<Uint8Array>,
    contentType: string,
  ): Promise<void>;
  get(
    container: JobRecord['target']['container'],
    path: string,
  ): Promise<{ stream: Readable; contentLength?: number }>;
  discard(container: JobRecord['target']['container'], path: string): Promise<void>;
  delete(container: JobRecord['target']['container'], path: string): Promise<void>;
}

/** Where a data type's records are read from: the owner's Cosmos container in the app. */
export interface RecordSource {
  count(ownerEmail: string, query: OwnedQuery): Promise<number>;
  take(ownerEmail: string, query: OwnedQuery & { max: number }): Promise<Stored[]>;
}

const partedFormats = new Set<string>(['csv', 'json', 'ndjson']);
const isParted = (format: string): format is PartedFormat => partedFormats.has(format);

/** Azure commits at most 50,000 blocks into one blob; header and footer take two. */
const maxBlocksPerBlob = 49_000;
/** Sample read to fix the columns every part shares. */
const columnSampleSize = 200;

/** XLSX and PDF cannot be concatenated: batches stage plain NDJSON, finalize writes the file in one pass. */
function stagingPath(job: JobRecord): string {
  return `${job.owner_email}/jobs/${job.job_id}/staging.ndjson`;
}

async function* ndjsonRecords(stream: Readable): AsyncGenerator<Record<string, unknown>[]> {
  let rest = '';
  // A multi-byte character can straddle two chunks: decode as a stream, not chunk by chunk.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop() ?? '';
    const batch = lines.filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
    if (batch.length > 0) yield batch;
  }
  if (rest.length > 0) yield [JSON.parse(rest) as Record<string, unknown>];
}

/**
 * Emails can be reassigned: when the job's owner has an object id, records stamped with another
 * id are not theirs (SPEC §2), whatever their email.
 */
function ownedFilter(filter: SqlFilter, ownerOid: string | undefined): SqlFilter {
  if (!ownerOid) return filter;
  return {
    where: `(${filter.where}) AND (NOT IS_DEFINED(c.owner_oid) OR c.owner_oid = @owner_oid)`,
    parameters: [...filter.parameters, { name: '@owner_oid', value: ownerOid }],
  };
}

/** How often a long single pass (finalizing XLSX or PDF) writes its progress. */
const progressIntervalMs = 2000;

async function* withEach<T>(source: AsyncIterable<T>, visit: (item: T) => Promise<void>): AsyncGenerator<T> {
  for await (const item of source) {
    await visit(item);
    yield item;
  }
}

async function sha256Of(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Bulk export jobs: planned once, then run batch after batch, each writing its own staged block
 * (a retried batch rewrites only its own block), then finalised by committing every block in one
 * step. The job record is the source of truth for where the work is, so a crashed or failed job
 * resumes from its last completed batch.
 */
export class ExportJobsService {
  constructor(
    private readonly jobs: RecordStore<StoredJob>,
    private readonly sources: Record<DataType, RecordSource>,
    private readonly files: JobFileStore,
    /** Days a job file is kept: API jobs are downloads, scheduled files an archive kept to the 30-day promise. */
    private readonly retentionDays: { api: number; schedule: number },
  ) {}

  /** Records a new job; `id` is fixed for scheduled runs so a slot can only be recorded once. */
  async create(
    caller: Caller,
    request: JobRequest,
    options: {
      id?: string;
      trigger?: 'api' | 'schedule';
      schedule_id?: string;
      target?: JobRecord['target'];
      now: Date;
    },
  ): Promise<JobRecord> {
    const jobId = options.id ?? randomUUID();
    const now = options.now.toISOString();
    const extension = extensionFor(request.format, request.compression);
    const fileName = `export-${now.slice(0, 10)}-${jobId.slice(0, 8)}.${extension}`;
    const job: StoredJob = {
      id: jobId,
      job_id: jobId,
      type: 'export_job',
      owner_email: caller.email,
      ...(caller.oid ? { owner_oid: caller.oid } : {}),
      trigger: options.trigger ?? 'api',
      ...(options.schedule_id ? { schedule_id: options.schedule_id } : {}),
      request,
      status: 'pending',
      target: options.target ?? {
        container: 'exports',
        path: `${caller.email}/jobs/${jobId}/${fileName}`,
        file_name: fileName,
      },
      planned: false,
      counts: {},
      checkpoint: {
        type_index: 0,
        batch_index: 0,
        cursor: null,
        records_before: 0,
        rows_before: 0,
        batches_done: request.data_types.map(() => 0),
      },
      progress: Object.fromEntries(request.data_types.map((t) => [t, 0])),
      current_batch: 0,
      total_batches: 0,
      processed_records: 0,
      total_records: 0,
      created_at: now,
      started_at: null,
      updated_at: now,
      completed_at: null,
      error_message: null,
      error_id: null,
      file: null,
      expires_at: null,
    };
    return this.jobs.create(job);
  }

  /**
   * Starts (or restarts, for resume) the job's orchestration. If that fails the job says so, so it
   * is never left pending or running with nothing driving it.
   */
  async start(job: JobRecord, control: OrchestrationControl): Promise<void> {
    const ref = { owner_email: job.owner_email, job_id: job.job_id };
    try {
      await control.start(bulkExport.name, job.job_id, ref);
    } catch (error) {
      await this.markFailed(
        ref,
        `The job could not be started: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  }

  async get(caller: Caller, jobId: string): Promise<JobRecord> {
    return callerRecord(
      this.jobs,
      caller,
      jobId,
      'Export job',
      (r): r is StoredJob => r.type === 'export_job',
    );
  }

  async list(caller: Caller, limit: number, continuation?: string): Promise<Page<JobRecord>> {
    return callerPage(this.jobs, caller, {
      where: "c.type = 'export_job'",
      orderBy: 'c.created_at DESC',
      limit,
      continuation,
    });
  }

  private async load(ref: JobRef): Promise<StoredJob> {
    const job = await this.jobs.read(ref.owner_email, ref.job_id);
    if (!job) throw new Error(`Export job ${ref.job_id} has no record.`);
    return job;
  }

  /** Saves over exactly the state that was read: a concurrent change (a cancel) wins, this write fails. */
  private save(job: StoredJob, now = new Date()): Promise<StoredJob> {
    return this.jobs.replaceIfUnchanged({ ...job, updated_at: now.toISOString() });
  }

  /** Counts the records, fixes the shared columns, and marks the job running. Idempotent. */
  async plan(ref: JobRef): Promise<BatchOutcome> {
    const job = await this.load(ref);
    if (job.planned) return { done: false, batch: job.current_batch, of: job.total_batches };
    const { request } = job;
    if (job.status !== 'pending' && job.status !== 'running')
      return { done: true, batch: job.current_batch, of: job.total_batches };
    const counts: Partial<Record<DataType, number>> = {};
    const sample: Record<string, unknown>[] = [];
    for (const dataType of request.data_types) {
      const filter = ownedFilter(jobFilter(request, dataType), job.owner_oid);
      counts[dataType] = await this.sources[dataType].count(job.owner_email, filter);
      if (request.format !== 'json' && request.format !== 'ndjson') {
        const rows = await this.sources[dataType].take(job.owner_email, {
          ...filter,
          orderBy: 'c.id ASC',
          max: columnSampleSize,
        });
        sample.push(...rows.map((r) => exportRow(dataType, r)));
      }
    }
    const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
    const totalBatches = request.data_types.reduce(
      (sum, t) => sum + Math.ceil((counts[t] ?? 0) / request.batch_size),
      0,
    );
    if (totalBatches > maxBlocksPerBlob) {
      throw new AppError(
        'invalid_request',
        `The job needs ${totalBatches} batches; a file holds at most ${maxBlocksPerBlob}. Raise batch_size.`,
      );
    }
    const now = new Date();
    await this.save(
      {
        ...job,
        status: 'running',
        planned: true,
        counts,
        // Tabular formats always get a model, an empty one when nothing matched (a header-only file).
        ...(request.format !== 'json' && request.format !== 'ndjson'
          ? { columns: inferColumnModel(sample) }
          : {}),
        total_records: total,
        total_batches: totalBatches,
        started_at: job.started_at ?? now.toISOString(),
      },
      now,
    );
    return { done: false, batch: 0, of: totalBatches };
  }

  /**
   * Runs the batch the checkpoint points at: reads the next records after the cursor, writes
   * them as this batch's block, then moves the checkpoint and the progress in one write.
   */
  async runBatch(ref: JobRef): Promise<BatchOutcome> {
    const job = await this.load(ref);
    const { request, checkpoint } = job;
    const dataType = request.data_types[checkpoint.type_index];
    if (job.status !== 'running' || dataType === undefined)
      return { done: true, batch: job.current_batch, of: job.total_batches };

    const filter = ownedFilter(jobFilter(request, dataType), job.owner_oid);
    const where = checkpoint.cursor === null ? filter.where : `(${filter.where}) AND c.id > @cursor`;
    const parameters =
      checkpoint.cursor === null
        ? filter.parameters
        : [...filter.parameters, { name: '@cursor', value: checkpoint.cursor }];
    const stored = await this.sources[dataType].take(job.owner_email, {
      where,
      parameters,
      orderBy: 'c.id ASC',
      max: request.batch_size,
    });

    const now = new Date();
    if (stored.length === 0) {
      // This data type is done: the next batch starts the next type.
      const next = { ...checkpoint, type_index: checkpoint.type_index + 1, batch_index: 0, cursor: null };
      await this.save({ ...job, checkpoint: next, progress: { ...job.progress, [dataType]: 100 } }, now);
      return {
        done: next.type_index >= request.data_types.length,
        batch: job.current_batch,
        of: job.total_batches,
      };
    }

    const rows = stored.map((r) => exportRow(dataType, r));
    const id = blockId({ typeIndex: checkpoint.type_index, batchIndex: checkpoint.batch_index });
    const part = isParted(request.format)
      ? await collect(
          writeExportBody(
            rows,
            {
              format: request.format,
              columns: job.columns as ColumnModel | undefined,
              compression: request.compression,
            },
            { recordsBefore: checkpoint.records_before },
          ),
        )
      : {
          bytes: Buffer.from(rows.map((r) => `${JSON.stringify(r)}\n`).join('')),
          result: { rows: rows.length },
        };
    const bytes = part.bytes;
    if (isParted(request.format))
      await this.files.stageBlock(job.target.container, job.target.path, id, bytes);
    else await this.files.stageBlock('exports', stagingPath(job), id, bytes);

    const batchesDone = [...checkpoint.batches_done];
    batchesDone[checkpoint.type_index] = checkpoint.batch_index + 1;
    const doneOfType = stored.length + checkpoint.batch_index * request.batch_size;
    const processed = job.processed_records + stored.length;
    const lastRecord = stored.at(-1);
    await this.save(
      {
        ...job,
        checkpoint: {
          ...checkpoint,
          batch_index: checkpoint.batch_index + 1,
          cursor: lastRecord ? lastRecord.id : checkpoint.cursor,
          records_before: checkpoint.records_before + stored.length,
          rows_before: checkpoint.rows_before + part.result.rows,
          batches_done: batchesDone,
        },
        current_batch: job.current_batch + 1,
        total_batches: Math.max(job.total_batches, job.current_batch + 1),
        processed_records: processed,
        progress: { ...job.progress, [dataType]: percent(doneOfType, job.counts[dataType] ?? doneOfType) },
      },
      now,
    );
    return {
      done: false,
      batch: job.current_batch + 1,
      of: Math.max(job.total_batches, job.current_batch + 1),
    };
  }

  /** Commits the file in one step (no reader ever sees part of it) and records its size and hash. */
  async finalize(ref: JobRef): Promise<JobRecord> {
    const job = await this.load(ref);
    if (job.status === 'completed' && job.file) return job;
    if (job.status !== 'running') throw conflict(`Export job ${job.job_id} is ${job.status}.`);
    const { request, target } = job;
    const metadata = request.include_metadata
      ? {
          job_id: job.job_id,
          data_types: request.data_types,
          filters: request.filters ?? {},
          start_date: request.start_date ?? null,
          end_date: request.end_date ?? null,
          generated_at: new Date().toISOString(),
          records: job.processed_records,
        }
      : undefined;
    const mimeType = mimeTypeFor(request.format, request.compression);
    let file: { sha256: string; size: number; rows: number };
    let stagingToDelete: string | undefined;

    if (isParted(request.format)) {
      const options = {
        format: request.format,
        columns: job.columns as ColumnModel | undefined,
        compression: request.compression,
        includeMetadata: metadata,
      };
      const header = await collect(writeExportHeader(options));
      const footer = await collect(writeExportFooter(options, { records: job.processed_records }));
      const ids = bodyBlockIds(job.checkpoint);
      if (header.bytes.length > 0)
        await this.files.stageBlock(target.container, target.path, blockId('header'), header.bytes);
      if (footer.bytes.length > 0)
        await this.files.stageBlock(target.container, target.path, blockId('footer'), footer.bytes);
      await this.files.commitBlocks(
        target.container,
        target.path,
        [
          ...(header.bytes.length > 0 ? [blockId('header')] : []),
          ...ids,
          ...(footer.bytes.length > 0 ? [blockId('footer')] : []),
        ],
        mimeType,
      );
      const written = await sha256Of((await this.files.get(target.container, target.path)).stream);
      file = { ...written, rows: job.checkpoint.rows_before };
    } else {
      const staging = stagingPath(job);
      await this.files.commitBlocks('exports', staging, bodyBlockIds(job.checkpoint), 'application/x-ndjson');
      // This pass writes the whole file; it reports how far it is, so progress never goes quiet.
      let current = job;
      let written = 0;
      let reportedAt = performance.now();
      const report = async (batch: Record<string, unknown>[]) => {
        written += batch.length;
        if (performance.now() - reportedAt < progressIntervalMs) return;
        reportedAt = performance.now();
        current = await this.save({ ...current, finalized_records: written });
      };
      const records = withEach(ndjsonRecords((await this.files.get('exports', staging)).stream), report);
      const writer = writeExport(records, {
        format: request.format,
        columns: job.columns as ColumnModel | undefined,
        compression: request.compression,
        includeMetadata: metadata,
        ...(request.format === 'pdf'
          ? { report: { title: `Export ${job.job_id}`, metadata: metadata ?? {}, tableTitle: 'Records' } }
          : {}),
      });
      let result: { bytes: number; sha256: string; rows: number } | undefined;
      async function* chunks() {
        for (;;) {
          const next = await writer.next();
          if (next.done) {
            result = next.value;
            return;
          }
          yield next.value;
        }
      }
      await this.files.putStream(target.container, target.path, chunks(), mimeType);
      stagingToDelete = staging;
      if (!result) throw new Error('The file writer ended without a result.');
      file = { sha256: result.sha256, size: result.bytes, rows: result.rows };
    }

    const now = new Date();
    const latest = await this.load(ref);
    // A cancel that landed while the file was being written wins: the file is discarded.
    if (latest.status !== 'running') {
      await this.discardParts(latest);
      throw conflict(`Export job ${job.job_id} is ${latest.status}.`);
    }
    const completed = await this.save(
      {
        ...latest,
        status: 'completed',
        completed_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.retentionDays[job.trigger] * 86_400_000).toISOString(),
        progress: Object.fromEntries(request.data_types.map((t) => [t, 100])),
        file: {
          file_name: target.file_name,
          file_size: file.size,
          sha256: file.sha256,
          rows: file.rows,
          mime_type: mimeType,
          blob_path: target.path,
        },
      },
      now,
    );
    // Only once the job says completed: a retried finalize still finds its staged records.
    if (stagingToDelete) await this.files.delete('exports', stagingToDelete);
    return completed;
  }

  /** A failed job keeps its checkpoint (to resume) and says why, with an id to find the logs. */
  async markFailed(ref: JobRef, message: string): Promise<string> {
    const job = await this.load(ref);
    const errorId = randomUUID();
    // A finished or cancelled job keeps its state: only work in progress can fail.
    if (job.status !== 'pending' && job.status !== 'running') return errorId;
    await this.save({ ...job, status: 'failed', error_message: message.slice(0, 2000), error_id: errorId });
    return errorId;
  }

  /** Cancels a pending or running job and throws its staged parts away. */
  async cancel(caller: Caller, jobId: string, stopWork: () => Promise<void>): Promise<JobRecord> {
    for (let attempt = 1; ; attempt++) {
      const job = (await this.get(caller, jobId)) as StoredJob;
      if (job.status !== 'pending' && job.status !== 'running' && job.status !== 'failed') {
        throw conflict(
          `Export job ${jobId} is ${job.status}; only pending, running or failed jobs can be cancelled.`,
        );
      }
      try {
        const cancelled = await this.save({
          ...job,
          status: 'cancelled',
          completed_at: new Date().toISOString(),
        });
        await stopWork();
        await this.discardParts(job);
        return cancelled;
      } catch (error) {
        // A batch saved its progress in between: read again and cancel that state.
        if ((error as { status?: number }).status !== 409 || attempt === 5) throw error;
      }
    }
  }

  async discardParts(job: JobRecord): Promise<void> {
    await this.files.discard(job.target.container, job.target.path);
    await this.files.discard('exports', stagingPath(job));
  }

  /** A failed job goes back to running from its checkpoint; the caller restarts the orchestration. */
  async prepareResume(caller: Caller, jobId: string): Promise<JobRecord> {
    const job = (await this.get(caller, jobId)) as StoredJob;
    if (job.status !== 'failed')
      throw conflict(`Export job ${jobId} is ${job.status}; only a failed job can be resumed.`);
    return this.save({
      ...job,
      status: job.planned ? 'running' : 'pending',
      error_message: null,
      error_id: null,
    });
  }

  /** The file to download; an expired one is gone (410). */
  async downloadable(
    caller: Caller,
    jobId: string,
    now: Date,
  ): Promise<JobRecord & { file: NonNullable<JobRecord['file']> }> {
    const job = await this.get(caller, jobId);
    if (job.status === 'expired' || (job.expires_at && Date.parse(job.expires_at) <= now.getTime())) {
      throw new AppError('gone', `The file of export job ${jobId} expired and was deleted.`);
    }
    if (job.status !== 'completed' || !job.file)
      throw conflict(`Export job ${jobId} is ${job.status}: it has no file yet.`);
    return { ...job, file: job.file };
  }

  /** Housekeeping: deletes job files past their retention and marks the jobs expired. */
  async expireFiles(now: Date, max = 500): Promise<number> {
    const due = await this.jobs.acrossOwners({
      where: "c.type = 'export_job' AND c.status = 'completed' AND c.expires_at <= @now",
      parameters: [{ name: '@now', value: now.toISOString() }],
      max,
    });
    for (const job of due) {
      if (job.file) await this.files.delete(job.target.container, job.file.blob_path);
      await this.save({ ...job, status: 'expired' }, now);
    }
    return due.length;
  }
}
