import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { registerActivity } from '../shared/activities';
import { hashOwner } from '../shared/core/log';
import { bulkExportOrchestration, type BatchOutcome, type JobRef } from '../shared/services/exportJobs';

/**
 * A bulk export job (SPEC §4): plan → one activity per batch, progress recorded after each →
 * finalize commits one file atomically. Instance id = job_id. Where the work is lives in the
 * job record, so the orchestration only loops; `continueAsNew` keeps its history bounded.
 */
export const planJob = 'bulkExport_plan';
export const runBatch = 'bulkExport_runBatch';
export const finalizeJob = 'bulkExport_finalize';
export const markJobFailed = 'bulkExport_markFailed';

/** Batches run per orchestration generation before it continues as new. */
const batchesPerGeneration = 50;

const retry = new df.RetryOptions(2000, 3);
retry.backoffCoefficient = 2;

function* bulkExportOrchestrator(context: OrchestrationContext): Generator<df.Task, unknown, unknown> {
  const ref = context.df.getInput<JobRef>();
  try {
    let outcome = (yield context.df.callActivityWithRetry(planJob, retry, ref)) as BatchOutcome;
    for (let batches = 0; !outcome.done; batches++) {
      if (batches === batchesPerGeneration) {
        context.df.continueAsNew(ref);
        return undefined;
      }
      outcome = (yield context.df.callActivityWithRetry(runBatch, retry, ref)) as BatchOutcome;
      // Short on purpose: Durable caps custom status at 16 KB; details live in the job record.
      context.df.setCustomStatus({ batch: outcome.batch, of: outcome.of });
    }
    yield context.df.callActivityWithRetry(finalizeJob, retry, ref);
    return { status: 'completed' };
  } catch (error) {
    yield context.df.callActivityWithRetry(markJobFailed, retry, {
      ref,
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}

df.app.orchestration(bulkExportOrchestration, bulkExportOrchestrator);
const jobDimensions = (ref: JobRef) => ({ job_id: ref.job_id, owner: hashOwner(ref.owner_email) });

registerActivity(planJob, jobDimensions, (app, ref: JobRef) => app.jobs.plan(ref));
registerActivity(runBatch, jobDimensions, (app, ref: JobRef) => app.jobs.runBatch(ref));
registerActivity(finalizeJob, jobDimensions, async (app, ref: JobRef) => {
  const job = await app.jobs.finalize(ref);
  // The schedule's last status is bookkeeping: failing to write it must not fail a finished job.
  const recorded = job.schedule_id
    ? await app.schedules.recordRun(job.owner_email, job.schedule_id, 'completed').then(
        () => true,
        () => false,
      )
    : undefined;
  return { status: job.status, rows: job.file?.rows, schedule_recorded: recorded };
});
registerActivity(
  markJobFailed,
  (input: { ref: JobRef }) => jobDimensions(input.ref),
  async (app, input: { ref: JobRef; message: string }) => {
    const errorId = await app.jobs.markFailed(input.ref, input.message);
    const job = await app.jobs.get({ email: input.ref.owner_email }, input.ref.job_id);
    if (job.schedule_id) await app.schedules.recordRun(job.owner_email, job.schedule_id, 'failed');
    return { error_id: errorId, message: input.message };
  },
);
