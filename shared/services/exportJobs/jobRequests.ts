import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors';
import type { Caller } from '../../core/identity';
import {
  cancelledJob,
  downloadableJob,
  newJobRecord,
  resumedJob,
  type JobFile,
  type JobRecord,
  type JobRequest,
  type NewJob,
} from '../../domain/jobs';
import type { OrchestrationControl } from '../../ports/orchestration';
import type { Page } from '../../ports/records';
import { bulkExport } from '../../workflows/bulkExportDefinition';
import type { JobFiles } from './jobFiles';
import type { JobStore, StoredJob } from './jobStore';

/** Attempts at cancelling while batches keep saving progress in between. */
const cancelAttempts = 5;

/** Runtime states of an orchestration that has not ended: it cannot be started over yet. */
const unfinishedStates = new Set(['Pending', 'Running', 'ContinuedAsNew', 'Suspended']);

function jobBusy(jobId: string): AppError {
  return new AppError(
    'job_busy',
    `Export job ${jobId} is still winding down from its failure; resume it again in a few seconds.`,
  );
}

/** What the HTTP functions and the housekeeping timer ask of the jobs. */
export class JobRequests {
  constructor(
    private readonly jobs: JobStore,
    private readonly files: JobFiles,
  ) {}

  /** Records a new job; `id` is fixed for scheduled runs so a slot can only be recorded once. */
  create(caller: Caller, request: JobRequest, job: Omit<NewJob, 'id'> & { id?: string }): Promise<JobRecord> {
    return this.jobs.create(newJobRecord(caller, request, { ...job, id: job.id ?? randomUUID() }));
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
      const reason = error instanceof Error ? error.message : String(error);
      await this.jobs.fail(await this.jobs.load(ref), { message: `The job could not be started: ${reason}` });
      throw error;
    }
  }

  /**
   * Continues a failed job from its checkpoint. Its failure is recorded by its orchestration
   * before that orchestration ends, so for a moment the job says failed while its instance still
   * runs, and starting it again would be refused by the engine: that moment answers 409
   * `job_busy`, and the job stays failed as it was.
   */
  async resume(caller: Caller, jobId: string, control: OrchestrationControl): Promise<JobRecord> {
    const job = await this.jobs.ofCaller(caller, jobId);
    const resumed = resumedJob(job);
    if (await this.isRunning(control, jobId)) throw jobBusy(jobId);
    const saved = await this.jobs.save(resumed);
    const ref = { owner_email: saved.owner_email, job_id: saved.job_id };
    try {
      await control.start(bulkExport.name, saved.job_id, ref);
    } catch (error) {
      // The instance is running after all (it was between states, or another resume won): the
      // job goes back to its failure, untouched; any other fault is the start's own.
      const busy = await this.isRunning(control, jobId).catch(() => false);
      if (!busy) {
        await this.jobs.fail(await this.jobs.load(ref), { message: 'The job could not be started again.' });
        throw error;
      }
      const latest = await this.jobs.load(ref);
      await this.jobs.save({
        ...latest,
        status: job.status,
        error_message: job.error_message,
        error_code: job.error_code,
        error_id: job.error_id,
      });
      throw jobBusy(jobId);
    }
    return saved;
  }

  get(caller: Caller, jobId: string): Promise<JobRecord> {
    return this.jobs.ofCaller(caller, jobId);
  }

  list(caller: Caller, limit: number, continuation?: string): Promise<Page<JobRecord>> {
    return this.jobs.pageOfCaller(caller, limit, continuation);
  }

  /** Cancels a pending, running or failed job, stops its orchestration and throws its staged parts away. */
  async cancel(caller: Caller, jobId: string, stopWork: () => Promise<void>): Promise<JobRecord> {
    const cancelled = await this.recordCancel(caller, jobId);
    await stopWork();
    await this.files.discard(cancelled);
    return cancelled;
  }

  /** A failed job goes back to running from its checkpoint; the caller restarts the orchestration. */
  async prepareResume(caller: Caller, jobId: string): Promise<JobRecord> {
    return this.jobs.save(resumedJob(await this.jobs.ofCaller(caller, jobId)));
  }

  /** The job with its file to download; an expired one is gone (410). */
  async downloadable(caller: Caller, jobId: string, now: Date): Promise<JobRecord & { file: JobFile }> {
    return downloadableJob(await this.jobs.ofCaller(caller, jobId), now);
  }

  /** Housekeeping: deletes job files past their retention and marks the jobs expired. */
  async expireFiles(now: Date, max = 500): Promise<number> {
    const due = await this.jobs.withExpiredFiles(now, max);
    for (const job of due) {
      await this.files.delete(job);
      await this.jobs.save({ ...job, status: 'expired' }, now);
    }
    return due.length;
  }

  private async isRunning(control: OrchestrationControl, instanceId: string): Promise<boolean> {
    const instance = await control.status(instanceId);
    return instance !== undefined && unfinishedStates.has(instance.runtimeStatus);
  }

  /** Saves the job as cancelled; a batch that saved its progress in between makes it read again. */
  private async recordCancel(caller: Caller, jobId: string): Promise<StoredJob> {
    for (let attempt = 1; ; attempt++) {
      const cancelled = cancelledJob(await this.jobs.ofCaller(caller, jobId), new Date());
      try {
        return await this.jobs.save(cancelled);
      } catch (error) {
        const changedSinceRead = error instanceof AppError && error.code === 'conflict';
        if (!changedSinceRead || attempt === cancelAttempts) throw error;
      }
    }
  }
}
