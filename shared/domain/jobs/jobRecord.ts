import type { Caller } from '../../core/identity';
import { extensionFor } from '../../formats';
import { startingProgress, type JobProgress } from './jobProgress';
import type { JobWarning } from './jobReconciliation';
import type { DataType, JobRequest } from './jobRequestSchema';

export type JobStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'expired';

export type JobTrigger = 'api' | 'schedule';

export interface JobFile {
  file_name: string;
  file_size: number;
  sha256: string;
  rows: number;
  mime_type: string;
  blob_path: string;
}

/** A bulk export job as stored in `export_jobs` (id = job_id). */
export interface JobRecord extends JobProgress {
  id: string;
  job_id: string;
  type: 'export_job';
  owner_email: string;
  owner_oid?: string;
  trigger: JobTrigger;
  schedule_id?: string;
  request: JobRequest;
  status: JobStatus;
  target: { container: 'exports' | 'scheduled-exports'; path: string; file_name: string };
  planned: boolean;
  counts: Partial<Record<DataType, number>>;
  total_records: number;
  created_at: string;
  started_at: string | null;
  updated_at: string;
  completed_at: string | null;
  error_message: string | null;
  /** Why the job failed, as a stable code (`records_mismatch`, `invalid_request`…; `job_failed` otherwise). */
  error_code: string | null;
  error_id: string | null;
  /** What the file could not hold exactly as given, one entry per code. */
  warnings: JobWarning[];
  file: JobFile | null;
  expires_at: string | null;
  /** Records written into the final file so far, while a two-pass format (XLSX, PDF) is finalized. */
  finalized_records?: number;
  /** Records read so far to find every column, before that final pass of CSV, XLSX or PDF writes. */
  scanned_records?: number;
  [field: string]: unknown;
}

/** How a job came to be; the id is the caller's to choose only for scheduled runs (one per slot). */
export interface NewJob {
  id: string;
  trigger?: JobTrigger;
  schedule_id?: string;
  /** Where the file goes; an API job's file sits under the owner's jobs. */
  target?: JobRecord['target'];
  now: Date;
}

/** A job as it is first recorded: pending, unplanned, with nothing written. */
export function newJobRecord(caller: Caller, request: JobRequest, job: NewJob): JobRecord {
  const now = job.now.toISOString();
  const extension = extensionFor(request.format, request.compression);
  const fileName = `export-${now.slice(0, 10)}-${job.id.slice(0, 8)}.${extension}`;
  return {
    id: job.id,
    job_id: job.id,
    type: 'export_job',
    owner_email: caller.email,
    ...(caller.oid ? { owner_oid: caller.oid } : {}),
    trigger: job.trigger ?? 'api',
    ...(job.schedule_id ? { schedule_id: job.schedule_id } : {}),
    request,
    status: 'pending',
    target: job.target ?? {
      container: 'exports',
      path: `${caller.email}/jobs/${job.id}/${fileName}`,
      file_name: fileName,
    },
    planned: false,
    counts: {},
    ...startingProgress(request.data_types),
    total_records: 0,
    created_at: now,
    started_at: null,
    updated_at: now,
    completed_at: null,
    error_message: null,
    error_code: null,
    error_id: null,
    warnings: [],
    file: null,
    expires_at: null,
  };
}

/** The metadata block of the job's file (JSON wraps it, XLSX gives it a sheet, PDF shows it), when asked for. */
export function fileMetadata(
  job: Pick<JobRecord, 'job_id' | 'request' | 'processed_records'>,
  generatedAt: Date,
): Record<string, unknown> | undefined {
  const { request } = job;
  if (!request.include_metadata) return undefined;
  return {
    job_id: job.job_id,
    data_types: request.data_types,
    filters: request.filters ?? {},
    start_date: request.start_date ?? null,
    end_date: request.end_date ?? null,
    generated_at: generatedAt.toISOString(),
    records: job.processed_records,
  };
}
