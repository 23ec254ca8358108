import { conflict } from '../../core/errors';
import {
  advanceCheckpoint,
  completedJob,
  currentDataType,
  exportRow,
  fileMetadata,
  hasColumns,
  isInProgress,
  jobRecordsFilter,
  plannedJob,
  recordsAfter,
  type BatchResult,
  type DataType,
  type JobRecord,
  type JobStatus,
  type JobTrigger,
} from '../../domain/jobs';
import { inferColumnModel } from '../../formats';
import type { OwnedRecord, RecordStore } from '../../ports/records';
import type { BatchOutcome, JobRef } from '../../workflows/bulkExportDefinition';
import type { JobFiles } from './jobFiles';
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

/** Sample read to fix the columns every part shares. */
const columnSampleSize = 200;

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
  ) {}

  /** Counts the records, fixes the shared columns, and marks the job running. Idempotent. */
  async plan(ref: JobRef): Promise<BatchOutcome> {
    const job = await this.jobs.load(ref);
    if (job.planned) return outcome(job, false);
    if (!isInProgress(job)) return outcome(job, true);
    const counts = await this.countRecords(job);
    // Tabular formats always get a model, an empty one when nothing matched (a header-only file).
    const columns = hasColumns(job.request.format) ? inferColumnModel(await this.sampleRows(job)) : undefined;
    const now = new Date();
    const planned = plannedJob(job, counts, columns, now);
    await this.jobs.save(planned, now);
    return outcome(planned, false);
  }

  /**
   * Runs the batch the checkpoint points at: reads the next records after the cursor, stages
   * them as this batch's block, then moves the checkpoint and the progress in one write.
   */
  async runBatch(ref: JobRef): Promise<BatchOutcome> {
    const job = await this.jobs.load(ref);
    const dataType = currentDataType(job);
    if (job.status !== 'running' || dataType === undefined) return outcome(job, true);
    const records = await this.sources[dataType].take(job.owner_email, {
      ...recordsAfter(job, dataType, job.checkpoint.cursor),
      max: job.request.batch_size,
    });
    const next = { ...job, ...advanceCheckpoint(job, await this.stage(job, dataType, records)) };
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
  async markFailed(ref: JobRef, message: string): Promise<FailureOutcome> {
    const job = await this.jobs.fail(await this.jobs.load(ref), message);
    return {
      status: job.status,
      error_id: job.error_id,
      message: job.error_message ?? message,
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

  /** The first rows of every data type, to infer the columns from. */
  private async sampleRows(job: JobRecord): Promise<Record<string, unknown>[]> {
    const sample: Record<string, unknown>[] = [];
    for (const dataType of job.request.data_types) {
      const records = await this.sources[dataType].take(job.owner_email, {
        ...recordsAfter(job, dataType, null),
        max: columnSampleSize,
      });
      sample.push(...records.map((r) => exportRow(dataType, r)));
    }
    return sample;
  }

  /** Stages the records as this batch's block; no records means the data type is exhausted. */
  private async stage(job: JobRecord, dataType: DataType, records: OwnedRecord[]): Promise<BatchResult> {
    const last = records.at(-1);
    if (!last) return { kind: 'exhausted' };
    const rows = await this.files.stageBatch(
      job,
      records.map((r) => exportRow(dataType, r)),
    );
    return { kind: 'written', records: records.length, rows, lastId: last.id };
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
    const written = await this.files.assemble(
      job,
      fileMetadata(job, new Date()),
      async (finalized_records) => {
        current = await this.jobs.save({ ...current, finalized_records });
      },
    );
    const latest = await this.jobs.load(ref);
    // A cancel that landed while the file was being written wins: the file is discarded.
    if (latest.status !== 'running') {
      await this.files.discard(latest);
      throw conflict(`Export job ${job.job_id} is ${latest.status}.`);
    }
    const now = new Date();
    const completed = await this.jobs.save(
      completedJob(latest, written, now, this.retentionDays[job.trigger]),
      now,
    );
    await this.files.removeStaging(completed);
    return completed;
  }
}
