import { conflict } from '../../core/errors';
import {
  advanceCheckpoint,
  assertReconciled,
  completedJob,
  currentDataType,
  exportRow,
  fileMetadata,
  isInProgress,
  jobRecordsFilter,
  plannedJob,
  recordsAfter,
  stagedLine,
  withWarnings,
  type DataType,
  type JobRecord,
  type JobStatus,
  type JobTrigger,
} from '../../domain/jobs';
import type { OwnedRecord, RecordStore } from '../../ports/records';
import type { BatchOutcome, JobRef } from '../../workflows/bulkExportDefinition';
import type { JobFiles, ReadBatch } from './jobFiles';
import type { JobStore, StoredJob } from './jobStore';

/** Where a data type's records are read from: the owner's Cosmos container in the app. */
export type RecordSource = Pick<RecordStore<OwnedRecord>, 'count' | 'take'>;

/** Where a scheduled job's end is recorded: the schedules service. */
export interface ScheduleRuns {
  recordRun(
    ownerEmail: string,
    scheduleId: string,
    jobId: string,
    status: 'completed' | 'failed',
  ): Promise<void>;
}

/** What finalize reports to the orchestration. */
export interface FinalizeOutcome {
  status: JobStatus;
  rows: number | undefined;
  /** Records exported, and how long the job ran from its start to its completion (the log's throughput). */
  records: number;
  duration_ms: number | undefined;
  /** Whether the schedule recorded the run; `undefined` for a job of no schedule. */
  schedule_recorded: boolean | undefined;
}

/** What markFailed reports to the orchestration: the job as it now stands, and its error's log id. */
export interface FailureOutcome {
  /** `failed`, or what the job already was when the failure came too late (cancelled, completed). */
  status: JobStatus;
  /** The id the job's error is logged under, as stored; `null` when the job did not fail. */
  error_id: string | null;
  message: string;
  /** Whether the schedule recorded the run; `undefined` for no schedule or a run it has no status for. */
  schedule_recorded: boolean | undefined;
}

/**
 * The largest record a store holds (a Cosmos DB item): the first read of a batch takes only as
 * many records as the byte budget holds of these, so no read brings in much more than the budget.
 */
const largestRecordBytes = 2 * 1024 * 1024;

/** The orchestration's view of the job: the batch it reached, of how many. */
function outcome(job: JobRecord, done: boolean): BatchOutcome {
  return { done, batch: job.current_batch, of: job.total_batches };
}

/**
 * What the bulkExport activities do. Each step reads where the work is from the job record and
 * writes it back, so any step can be retried, and a failed job resumes from its last batch.
 */
export class JobActivities {
  constructor(
    private readonly jobs: JobStore,
    private readonly files: JobFiles,
    private readonly sources: Record<DataType, RecordSource>,
    private readonly retentionDays: Record<JobTrigger, number>,
    private readonly scheduleRuns: ScheduleRuns,
    /** Most bytes of records (their staged JSON) one batch holds, whatever its `batch_size`. */
    private readonly batchMaxBytes: number,
  ) {}

  /** Counts the records and marks the job running. Idempotent. */
  async plan(ref: JobRef): Promise<BatchOutcome> {
    const job = await this.jobs.load(ref);
    if (job.planned) return outcome(job, false);
    if (!isInProgress(job)) return outcome(job, true);
    const counts = await this.countRecords(job);
    const now = new Date();
    const planned = plannedJob(job, counts, now);
    await this.jobs.save(planned, now);
    return outcome(planned, false);
  }

  /**
   * Runs the batch the checkpoint points at: reads the next records after the cursor (up to
   * `batch_size` and the byte budget), stages them as this batch's block, then moves the
   * checkpoint, the progress and the warnings in one write. No records means the data type is
   * exhausted: the checkpoint moves to the next one.
   */
  async runBatch(ref: JobRef): Promise<BatchOutcome> {
    const job = await this.jobs.load(ref);
    const dataType = currentDataType(job);
    if (job.status !== 'running' || dataType === undefined) return outcome(job, true);
    const batch = await this.readBatch(job, dataType);
    let next: StoredJob;
    if (batch.lastId === undefined) next = { ...job, ...advanceCheckpoint(job, { kind: 'exhausted' }) };
    else {
      const staged = await this.files.stageBatch(job, batch);
      const written = {
        kind: 'written',
        records: batch.rows.length,
        rows: staged.rows,
        lastId: batch.lastId,
      } as const;
      next = {
        ...job,
        ...advanceCheckpoint(job, written),
        warnings: withWarnings(job.warnings, staged.warnings),
      };
    }
    await this.jobs.save(next);
    return outcome(next, currentDataType(next) === undefined);
  }

  /** Writes the file, then records the run on the job's schedule, if it has one. */
  async finalize(ref: JobRef): Promise<FinalizeOutcome> {
    const job = await this.completeFile(ref);
    return {
      status: job.status,
      rows: job.file?.rows,
      records: job.processed_records,
      duration_ms:
        job.started_at && job.completed_at
          ? Date.parse(job.completed_at) - Date.parse(job.started_at)
          : undefined,
      schedule_recorded: await this.recordOnSchedule(job),
    };
  }

  /** Records the failure on the job (if still in progress), then the run on its schedule as the job ended. */
  async markFailed(ref: JobRef, failure: { message: string; code?: string }): Promise<FailureOutcome> {
    const job = await this.jobs.fail(await this.jobs.load(ref), failure);
    return {
      status: job.status,
      error_id: job.error_id,
      message: job.error_message ?? failure.message,
      schedule_recorded: await this.recordOnSchedule(job),
    };
  }

  /**
   * Tells the job's schedule how its run ended, as the job record says: a cancel that landed
   * while the file was written is not a failed run. The schedule has no status for a cancelled
   * run, so it is left as it is. This is bookkeeping: failing to write it must never replace the
   * job's own outcome (completed, or the original error), so it is reported, not thrown.
   */
  private async recordOnSchedule(job: JobRecord): Promise<boolean | undefined> {
    const ended = job.status === 'completed' || job.status === 'failed' ? job.status : undefined;
    if (!job.schedule_id || !ended) return undefined;
    return this.scheduleRuns.recordRun(job.owner_email, job.schedule_id, job.job_id, ended).then(
      () => true,
      () => false,
    );
  }

  private async countRecords(job: JobRecord): Promise<Partial<Record<DataType, number>>> {
    const counts: Partial<Record<DataType, number>> = {};
    for (const dataType of job.request.data_types)
      counts[dataType] = await this.sources[dataType].count(job.owner_email, jobRecordsFilter(job, dataType));
    return counts;
  }

  /**
   * The next records of the data type after the cursor: at most `batch_size`, and no more than
   * the byte budget holds (always at least one, however large). Read in pages sized from the
   * records seen so far, so memory stays near the budget even when records are large; records
   * read past the budget are left for the next batch, which starts after the last one kept.
   */
  private async readBatch(job: JobRecord, dataType: DataType): Promise<ReadBatch & { lastId?: string }> {
    const batch: ReadBatch & { lastId?: string } = { rows: [], lines: [] };
    let bytes = 0;
    let cursor = job.checkpoint.cursor;
    let page = Math.max(10, Math.floor(this.batchMaxBytes / largestRecordBytes));
    for (;;) {
      const wanted = Math.min(page, job.request.batch_size - batch.rows.length);
      const records = await this.sources[dataType].take(job.owner_email, {
        ...recordsAfter(job, dataType, cursor),
        max: wanted,
      });
      for (const record of records) {
        const row = exportRow(dataType, record);
        const line = stagedLine(row);
        const size = Buffer.byteLength(line);
        if (batch.rows.length > 0 && bytes + size > this.batchMaxBytes) return batch;
        batch.rows.push(row);
        batch.lines.push(line);
        batch.lastId = record.id;
        bytes += size;
      }
      const last = records.at(-1);
      if (!last || records.length < wanted || batch.rows.length >= job.request.batch_size) return batch;
      cursor = last.id;
      // As many more as the budget left holds of records the size of those seen so far.
      page = Math.max(1, Math.ceil((this.batchMaxBytes - bytes) / (bytes / batch.rows.length)));
    }
  }

  /**
   * Assembles the file and marks the job completed; a job completed already (a retried
   * finalize) is left as it is.
   */
  private async completeFile(ref: JobRef): Promise<StoredJob> {
    const job = await this.jobs.load(ref);
    if (job.status === 'completed' && job.file) return job;
    if (job.status !== 'running') throw conflict(`Export job ${job.job_id} is ${job.status}.`);
    // A single pass (XLSX, PDF) saves how far it is now and then, each save over the one before.
    let current = job;
    const written = await this.files.assemble(job, fileMetadata(job, new Date()), async (step, records) => {
      current = await this.jobs.save({ ...current, [step]: records });
    });
    const latest = await this.jobs.load(ref);
    // A cancel that landed while the file was being written wins: the file is discarded.
    if (latest.status !== 'running') {
      await this.files.discard(latest);
      throw conflict(`Export job ${job.job_id} is ${latest.status}.`);
    }
    // Never completed unless the file holds every record read, each as at least one row.
    try {
      assertReconciled(latest, written);
    } catch (error) {
      await this.files.withdraw(latest);
      throw error;
    }
    const now = new Date();
    const counted = {
      ...latest,
      checkpoint: { ...latest.checkpoint, rows_by_type: written.rows_by_type },
      warnings: withWarnings(latest.warnings, written.warnings),
    };
    const completed = await this.jobs.save(
      completedJob(counted, written, now, this.retentionDays[job.trigger]),
      now,
    );
    await this.files.removeStaging(completed);
    return completed;
  }
}
