import { randomUUID } from 'node:crypto';
import type { Caller } from '../../core/identity';
import { failedJob, type JobRecord } from '../../domain/jobs';
import type { OwnedRecord, Page, RecordStore } from '../../ports/records';
import type { JobRef } from '../../workflows/bulkExportDefinition';
import { callerPage, callerRecord } from '../callerRecords';

export type StoredJob = JobRecord & OwnedRecord;

/**
 * The job records in `export_jobs`: activities reach a job by its reference, requests by their
 * caller. Every write goes over exactly the state that was read, so of two concurrent changes
 * (a batch and a cancel) one wins and the other fails instead of undoing it.
 */
export class JobStore {
  constructor(private readonly records: RecordStore<StoredJob>) {}

  /** Fails with a Conflict when a job of that id exists (a scheduled slot recorded twice). */
  create(job: JobRecord): Promise<StoredJob> {
    return this.records.create(job);
  }

  /** The job an activity works on; it exists, as its orchestration starts only once it is recorded. */
  async load(ref: JobRef): Promise<StoredJob> {
    const job = await this.records.read(ref.owner_email, ref.job_id);
    if (!job) throw new Error(`Export job ${ref.job_id} has no record.`);
    return job;
  }

  /** One of the caller's jobs; a missing one and another holder's answer the same 404. */
  ofCaller(caller: Caller, jobId: string): Promise<StoredJob> {
    return callerRecord(
      this.records,
      caller,
      jobId,
      'Export job',
      (r): r is StoredJob => r.type === 'export_job',
    );
  }

  /** The caller's jobs, newest first. */
  pageOfCaller(caller: Caller, limit: number, continuation?: string): Promise<Page<StoredJob>> {
    return callerPage(this.records, caller, {
      where: "c.type = 'export_job'",
      orderBy: 'c.created_at DESC',
      limit,
      continuation,
    });
  }

  /** Completed jobs of every owner whose files are past their retention (housekeeping only). */
  withExpiredFiles(now: Date, max: number): Promise<StoredJob[]> {
    return this.records.acrossOwners({
      where: "c.type = 'export_job' AND c.status = 'completed' AND c.expires_at <= @now",
      parameters: [{ name: '@now', value: now.toISOString() }],
      max,
    });
  }

  /** Saves over exactly the state that was read: a concurrent change (a cancel) wins, this write fails. */
  save(job: StoredJob, now = new Date()): Promise<StoredJob> {
    return this.records.replaceIfUnchanged({ ...job, updated_at: now.toISOString() });
  }

  /**
   * Records why the job failed, under a new error id to find the logs by, and returns the job as
   * it now stands. A job that failed already keeps its error id (a retried markFailed must point
   * at the logs of the failure it repeats); a finished or cancelled job keeps its state.
   */
  async fail(job: StoredJob, failure: { message: string; code?: string }): Promise<StoredJob> {
    const failed = failedJob(job, failure, randomUUID());
    return failed ? this.save(failed) : job;
  }
}
