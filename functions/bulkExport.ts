import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { registerActivity } from '../shared/app/activities';
import { appConfig } from '../shared/config';
import { hashOwner } from '../shared/core/log';
import { PermanentActivityError, failureReason, outcomeOf } from '../shared/workflows/activityOutcome';
import { bulkExport, type BatchOutcome, type JobRef } from '../shared/workflows/bulkExportDefinition';

/**
 * A bulk export job (README: Bulk export jobs and schedules): plan → one activity per batch, progress recorded after each →
 * finalize commits one file atomically. Where the work is lives in the job record, so the
 * orchestration only loops; `continueAsNew` keeps its history bounded. Names and retry policy:
 * bulkExportDefinition.
 */

const jobDimensions = (ref: JobRef) => ({ job_id: ref.job_id, owner: hashOwner(ref.owner_email) });
const { activities, retry } = bulkExport;

export const planJob = registerActivity(activities.plan, jobDimensions, (app, ref: JobRef) =>
  app.exportJobs.plan(ref),
);
export const runBatch = registerActivity(activities.runBatch, jobDimensions, (app, ref: JobRef) =>
  app.exportJobs.runBatch(ref),
);
export const finalizeJob = registerActivity(activities.finalize, jobDimensions, (app, ref: JobRef) =>
  app.exportJobs.finalize(ref),
);
export const markJobFailed = registerActivity(
  activities.markFailed,
  (input: { ref: JobRef }) => jobDimensions(input.ref),
  (app, input: { ref: JobRef; message: string; code?: string }) =>
    app.exportJobs.markFailed(input.ref, { message: input.message, code: input.code }),
);

export function* bulkExportOrchestrator(context: OrchestrationContext): Generator<df.Task, unknown, unknown> {
  const ref = context.df.getInput<JobRef>();
  // BULK_BATCHES_PER_GENERATION (50; tests make it small): a setting read once per process, so
  // every replay sees the same value. Change it only while no job runs.
  const batchesPerGeneration = appConfig().limits.batchesPerGeneration;
  try {
    // A permanent fault (a job too large to plan, say) comes back as an outcome: it fails the job at once.
    let outcome = yield* outcomeOf<BatchOutcome>(planJob(ref).withRetry(retry));
    for (let batches = 0; !outcome.done; batches++) {
      if (batches === batchesPerGeneration) {
        context.df.continueAsNew(ref);
        return undefined;
      }
      outcome = yield* outcomeOf<BatchOutcome>(runBatch(ref).withRetry(retry));
      // Short on purpose: Durable caps custom status at 16 KB; details live in the job record.
      context.df.setCustomStatus({ batch: outcome.batch, of: outcome.of });
    }
    yield* outcomeOf(finalizeJob(ref).withRetry(retry));
    return { status: 'completed' };
  } catch (error) {
    const message = failureReason(error);
    // A permanent fault keeps its code (`records_mismatch`, `invalid_request`); others are `job_failed`.
    const code = error instanceof PermanentActivityError ? { code: error.code } : {};
    yield markJobFailed({ ref, message, ...code }).withRetry(retry);
    throw error;
  }
}

df.app.orchestration(bulkExport.name, bulkExportOrchestrator);
