import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { UserModifications } from '../shared/domain/exportRecords';
import type { InvocationContext } from '@azure/functions';
import { hashOwner, logEvent } from '../shared/core/log';
import { readyServices, type Services } from '../shared/services';
import { exportWorkflowName, userModificationsEvent } from '../shared/services/exportRequests';
import type { WorkflowStart } from '../shared/services/exportWorkflow';

/**
 * The recorded three-stage export (SPEC §1): stage 1 → wait for the user's edits (raced with the
 * 30-day review window) → stage 2 → stage 3. Instance id = export_workflow_id.
 */

export const recordInitialSummary = 'exportWorkflow_recordInitialSummary';
export const recordUserModifications = 'exportWorkflow_recordUserModifications';
export const produceDeliverable = 'exportWorkflow_produceDeliverable';
export const markWorkflowExpired = 'exportWorkflow_markExpired';
export const markWorkflowFailed = 'exportWorkflow_markFailed';

/** The review window matches the records' 30-day TTL. */
const reviewWindowMs = 30 * 24 * 60 * 60 * 1000;

/** Three attempts, 2 s then 4 s apart: rides out a throttled dependency without hiding a real failure. */
const retry = new df.RetryOptions(2000, 3);
retry.backoffCoefficient = 2;

/** The start as the orchestration sees it; `started_at` comes from the orchestration clock. */
export type WorkflowInput = Omit<WorkflowStart, 'started_at'>;

function* exportWorkflowOrchestrator(context: OrchestrationContext): Generator<df.Task, unknown, unknown> {
  const start: WorkflowStart = {
    ...context.df.getInput<WorkflowInput>(),
    started_at: context.df.currentUtcDateTime.toISOString(),
  };
  try {
    yield context.df.callActivityWithRetry(recordInitialSummary, retry, start);
    context.df.setCustomStatus({ stage: 1, status: 'awaiting_user_review' });

    const deadline = new Date(context.df.currentUtcDateTime.getTime() + reviewWindowMs);
    const expiry = context.df.createTimer(deadline);
    const edits = context.df.waitForExternalEvent(userModificationsEvent);
    const winner = yield context.df.Task.any([edits, expiry]);
    if (winner === expiry) {
      yield context.df.callActivityWithRetry(markWorkflowExpired, retry, start);
      context.df.setCustomStatus({ stage: 1, status: 'expired' });
      return { status: 'expired' };
    }
    expiry.cancel();

    context.df.setCustomStatus({ stage: 2, status: 'awaiting_final_processing' });
    yield context.df.callActivityWithRetry(recordUserModifications, retry, {
      start,
      modifications: edits.result,
    });
    const deliverable: unknown = yield context.df.callActivityWithRetry(produceDeliverable, retry, start);
    context.df.setCustomStatus({ stage: 3, status: 'completed' });
    return { status: 'completed', deliverable };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    yield context.df.callActivity(markWorkflowFailed, { start, message });
    context.df.setCustomStatus({ status: 'failed' });
    throw error;
  }
}

df.app.orchestration(exportWorkflowName, exportWorkflowOrchestrator);

/** Registers a stage activity that logs its outcome with the workflow id and the hashed owner. */
function stageActivity<I>(
  name: string,
  startOf: (input: I) => WorkflowStart,
  run: (services: Services, input: I) => Promise<unknown>,
) {
  df.app.activity(name, {
    handler: async (input: I, context: InvocationContext) => {
      const start = startOf(input);
      const result = await run(await readyServices(), input);
      logEvent(context, 'info', name, {
        export_workflow_id: start.export_workflow_id,
        owner: hashOwner(start.owner.email),
      });
      return result;
    },
  });
}

type WithStart = { start: WorkflowStart };
stageActivity(
  recordInitialSummary,
  (s: WorkflowStart) => s,
  (app, s) => app.exportWorkflow.recordInitialSummary(s),
);
stageActivity(
  recordUserModifications,
  (i: WithStart & { modifications: UserModifications }) => i.start,
  (app, i) => app.exportWorkflow.recordUserModifications(i.start, i.modifications),
);
stageActivity(
  produceDeliverable,
  (s: WorkflowStart) => s,
  (app, s) => app.exportWorkflow.produceDeliverable(s),
);
stageActivity(
  markWorkflowExpired,
  (s: WorkflowStart) => s,
  (app, s) => app.exportWorkflow.markExpired(s),
);
stageActivity(
  markWorkflowFailed,
  (i: WithStart & { message: string }) => i.start,
  (app, i) => app.exportWorkflow.markFailed(i.start, i.message),
);
