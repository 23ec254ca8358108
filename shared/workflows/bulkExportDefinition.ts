import { activityRetry } from './retry';

/**
 * A bulk export job (README: Bulk export jobs and schedules): plan → one activity per batch → finalize. Its orchestration and
 * activity names and retry policy, in one place. Instance id = job_id.
 */
export const bulkExport = {
  name: 'bulkExport',
  activities: {
    plan: 'bulkExport_plan',
    runBatch: 'bulkExport_runBatch',
    finalize: 'bulkExport_finalize',
    markFailed: 'bulkExport_markFailed',
  },
  /** Batches run per orchestration generation before it continues as new (bounded history). */
  batchesPerGeneration: 50,
  retry: activityRetry(),
} as const;

/** The orchestration's input: where the work is lives in the job record, not in the history. */
export interface JobRef {
  owner_email: string;
  job_id: string;
}

/** What the plan and each batch report back to the orchestration. */
export interface BatchOutcome {
  done: boolean;
  batch: number;
  of: number;
}
