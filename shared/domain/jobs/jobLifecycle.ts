import { AppError, conflict } from '../../core/errors';
import { mimeTypeFor } from '../../formats';
import { planTotals, progressOfAll } from './jobProgress';
import type { DataType } from './jobRequestSchema';
import type { JobFile, JobRecord } from './jobRecord';

/**
 * How a job moves from status to status, and which moves are allowed. Each returns the record
 * to save: the job's other fields (the store's version tag among them) are carried over.
 */

/** Pending or running: work that can still fail. */
export function isInProgress(job: Pick<JobRecord, 'status'>): boolean {
  return job.status === 'pending' || job.status === 'running';
}

/** A counted job, ready for its first batch. */
export function plannedJob<T extends JobRecord>(
  job: T,
  counts: Partial<Record<DataType, number>>,
  now: Date,
): T {
  return {
    ...job,
    status: 'running',
    planned: true,
    counts,
    ...planTotals(job.request, counts),
    started_at: job.started_at ?? now.toISOString(),
  };
}

/** A job whose file is written; the file is kept `retentionDays` from now. */
export function completedJob<T extends JobRecord>(
  job: T,
  written: { size: number; sha256: string; rows: number },
  now: Date,
  retentionDays: number,
): T {
  const file: JobFile = {
    file_name: job.target.file_name,
    file_size: written.size,
    sha256: written.sha256,
    rows: written.rows,
    mime_type: mimeTypeFor(job.request.format, job.request.compression),
    blob_path: job.target.path,
  };
  return {
    ...job,
    status: 'completed',
    completed_at: now.toISOString(),
    expires_at: new Date(now.getTime() + retentionDays * 86_400_000).toISOString(),
    progress: progressOfAll(job.request.data_types, 100),
    file,
  };
}

/** The code of a failure that has none of its own (an error retried to the end). */
export const jobFailedCode = 'job_failed';

/**
 * A failed job keeps its checkpoint (to resume) and says why, with a code and an id to find the
 * logs. `undefined` when the job is not in progress: a finished or cancelled job keeps its state.
 */
export function failedJob<T extends JobRecord>(
  job: T,
  failure: { message: string; code?: string },
  errorId: string,
): T | undefined {
  if (!isInProgress(job)) return undefined;
  return {
    ...job,
    status: 'failed',
    error_message: failure.message.slice(0, 2000),
    error_code: failure.code ?? jobFailedCode,
    error_id: errorId,
  };
}

/** A pending, running or failed job can be cancelled; a finished one cannot. */
export function cancelledJob<T extends JobRecord>(job: T, now: Date): T {
  if (!isInProgress(job) && job.status !== 'failed') {
    throw conflict(
      `Export job ${job.job_id} is ${job.status}; only pending, running or failed jobs can be cancelled.`,
    );
  }
  return { ...job, status: 'cancelled', completed_at: now.toISOString() };
}

/** A failed job goes back to where it was (planned or not) and continues from its checkpoint. */
export function resumedJob<T extends JobRecord>(job: T): T {
  if (job.status !== 'failed')
    throw conflict(`Export job ${job.job_id} is ${job.status}; only a failed job can be resumed.`);
  return {
    ...job,
    status: job.planned ? 'running' : 'pending',
    error_message: null,
    error_code: null,
    error_id: null,
  };
}

/** A job whose file can be downloaded now; an expired file is gone (410), a missing one not ready (409). */
export function downloadableJob<T extends JobRecord>(job: T, now: Date): T & { file: JobFile } {
  if (job.status === 'expired' || (job.expires_at && Date.parse(job.expires_at) <= now.getTime())) {
    throw new AppError('gone', `The file of export job ${job.job_id} expired and was deleted.`);
  }
  if (job.status !== 'completed' || !job.file)
    throw conflict(`Export job ${job.job_id} is ${job.status}: it has no file yet.`);
  return { ...job, file: job.file };
}
