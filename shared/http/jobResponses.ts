import { reconciliationOf, type JobRecord } from '../domain/jobs';
import type { ScheduleRecord } from '../services/schedules';

export function jobLinks(jobId: string) {
  return {
    self: `/api/v1/export-jobs/${jobId}`,
    download: `/api/v1/export-jobs/${jobId}/download`,
    cancel: `/api/v1/export-jobs/${jobId}/cancel`,
    resume: `/api/v1/export-jobs/${jobId}/resume`,
  };
}

/** A job as the API shows it: progress and file, no internals (checkpoint, columns, blob path). */
export function jobView(job: JobRecord) {
  return {
    job_id: job.job_id,
    status: job.status,
    trigger: job.trigger,
    ...(job.schedule_id ? { schedule_id: job.schedule_id } : {}),
    data_types: job.request.data_types,
    format: job.request.format,
    filters: job.request.filters ?? {},
    start_date: job.request.start_date ?? null,
    end_date: job.request.end_date ?? null,
    progress: job.progress,
    current_batch: job.current_batch,
    total_batches: job.total_batches,
    processed_records: job.processed_records,
    ...(job.scanned_records !== undefined && job.status === 'running'
      ? { scanned_records: job.scanned_records }
      : {}),
    ...(job.finalized_records !== undefined && job.status === 'running'
      ? { finalized_records: job.finalized_records }
      : {}),
    total_records: job.total_records,
    created_at: job.created_at,
    started_at: job.started_at,
    updated_at: job.updated_at,
    completed_at: job.completed_at,
    error_message: job.error_message,
    error_code: job.error_code ?? null,
    error_id: job.error_id,
    warnings: job.warnings ?? [],
    reconciliation: reconciliationOf(job),
    file: job.file
      ? {
          file_name: job.file.file_name,
          file_size: job.file.file_size,
          sha256: job.file.sha256,
          rows: job.file.rows,
        }
      : null,
    expires_at: job.expires_at,
    links: jobLinks(job.job_id),
  };
}

export function scheduleView(schedule: ScheduleRecord) {
  const hidden = new Set(['id', 'owner_oid', 'type']);
  return Object.fromEntries(Object.entries(schedule).filter(([k]) => !hidden.has(k) && !k.startsWith('_')));
}
