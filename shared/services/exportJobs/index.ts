import type { Caller } from '../../core/identity';
import type { DataType, JobFile, JobRecord, JobRequest, JobTrigger, NewJob } from '../../domain/jobs';
import type { OrchestrationControl } from '../../ports/orchestration';
import type { Page, RecordStore } from '../../ports/records';
import type { BatchOutcome, JobRef } from '../../workflows/bulkExportDefinition';
import {
  JobActivities,
  type FailureOutcome,
  type FinalizeOutcome,
  type RecordSource,
  type ScheduleRuns,
} from './jobActivities';
import { JobFiles, type JobFileStore } from './jobFiles';
import { JobRequests } from './jobRequests';
import { JobStore, type StoredJob } from './jobStore';

export type { FailureOutcome, FinalizeOutcome, JobFileStore, RecordSource, ScheduleRuns };

/** What the jobs service is built from; the composition root wires the app's stores in. */
export interface ExportJobsDependencies {
  jobs: RecordStore<StoredJob>;
  /** Where each data type's records are read. */
  sources: Record<DataType, RecordSource>;
  files: JobFileStore;
  /** Days a job file is kept: API jobs are downloads, scheduled files an archive kept to the 30-day promise. */
  retentionDays: Record<JobTrigger, number>;
  /** Where a scheduled job's end is recorded (the schedules service, which itself starts jobs). */
  scheduleRuns: ScheduleRuns;
  /** Most bytes of records (as JSON) one batch reads, whatever the job's `batch_size` (`JOB_BATCH_MAX_BYTES`). */
  batchMaxBytes: number;
}

/**
 * Bulk export jobs (SPEC §4): planned once, then run batch after batch, each writing its own
 * staged block (a retried batch rewrites only its own block), then finalised by committing every
 * block in one step. The job record is the source of truth for where the work is, so a crashed or
 * failed job resumes from its last completed batch.
 *
 * The requests (jobRequests) and the orchestration's steps (jobActivities) live one level below;
 * the file assembly in jobFiles, the record store in jobStore, the rules in domain/jobs.
 */
export class ExportJobsService {
  private readonly requests: JobRequests;
  private readonly activities: JobActivities;

  constructor(dependencies: ExportJobsDependencies) {
    const jobs = new JobStore(dependencies.jobs);
    const files = new JobFiles(dependencies.files);
    this.requests = new JobRequests(jobs, files);
    this.activities = new JobActivities(
      jobs,
      files,
      dependencies.sources,
      dependencies.retentionDays,
      dependencies.scheduleRuns,
      dependencies.batchMaxBytes,
    );
  }

  // What the HTTP functions call.

  /** Records a new job; `id` is fixed for scheduled runs so a slot can only be recorded once. */
  create(caller: Caller, request: JobRequest, job: Omit<NewJob, 'id'> & { id?: string }): Promise<JobRecord> {
    return this.requests.create(caller, request, job);
  }

  /** Starts (or restarts, after resume) the job's orchestration; a job that cannot start is failed. */
  start(job: JobRecord, control: OrchestrationControl): Promise<void> {
    return this.requests.start(job, control);
  }

  get(caller: Caller, jobId: string): Promise<JobRecord> {
    return this.requests.get(caller, jobId);
  }

  list(caller: Caller, limit: number, continuation?: string): Promise<Page<JobRecord>> {
    return this.requests.list(caller, limit, continuation);
  }

  /** Cancels a pending, running or failed job; `stopWork` stops its orchestration. */
  cancel(caller: Caller, jobId: string, stopWork: () => Promise<void>): Promise<JobRecord> {
    return this.requests.cancel(caller, jobId, stopWork);
  }

  /** A failed job goes back to where it was; the caller then starts it again. */
  prepareResume(caller: Caller, jobId: string): Promise<JobRecord> {
    return this.requests.prepareResume(caller, jobId);
  }

  /** Continues a failed job from its checkpoint; 409 `job_busy` while its orchestration has not ended. */
  resume(caller: Caller, jobId: string, control: OrchestrationControl): Promise<JobRecord> {
    return this.requests.resume(caller, jobId, control);
  }

  /** The job with its file to download: 410 once expired, 409 before it is written. */
  downloadable(caller: Caller, jobId: string, now: Date): Promise<JobRecord & { file: JobFile }> {
    return this.requests.downloadable(caller, jobId, now);
  }

  // What the housekeeping timer calls.

  /** Deletes job files past their retention and marks their jobs expired; returns how many. */
  expireFiles(now: Date, max?: number): Promise<number> {
    return this.requests.expireFiles(now, max);
  }

  // What the bulkExport activities call.

  /** Counts the records; the job is then running. */
  plan(ref: JobRef): Promise<BatchOutcome> {
    return this.activities.plan(ref);
  }

  /** Writes the next batch and moves the checkpoint past it. */
  runBatch(ref: JobRef): Promise<BatchOutcome> {
    return this.activities.runBatch(ref);
  }

  /** Makes the file from the staged batches, marks the job completed and its schedule's run. */
  finalize(ref: JobRef): Promise<FinalizeOutcome> {
    return this.activities.finalize(ref);
  }

  /** Marks work in progress failed (with the fault's code), and its schedule's run; reports the error id its logs carry. */
  markFailed(ref: JobRef, failure: { message: string; code?: string }): Promise<FailureOutcome> {
    return this.activities.markFailed(ref, failure);
  }
}
