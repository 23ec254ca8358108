import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { UserModifications } from '../shared/domain/exportRecords';
import { registerActivity } from '../shared/activities';
import { hashOwner } from '../shared/core/log';
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

const workflowDimensions = (start: WorkflowStart) => ({
  export_workflow_id: start.export_workflow_id,
  owner: hashOwner(start.owner.email),
});
type WithStart = { start: WorkflowStart };

registerActivity(recordInitialSummary, workflowDimensions, (app, start: WorkflowStart) =>
  app.exportWorkflow.recordInitialSummary(start),
);
registerActivity(
  recordUserModifications,
  (input: WithStart) => workflowDimensions(input.start),
  (app, input: WithStart & { modifications: UserModifications }) =>
    app.exportWorkflow.recordUserModifications(input.start, input.modifications),
);
registerActivity(produceDeliverable, workflowDimensions, (app, start: WorkflowStart) =>
  app.exportWorkflow.produceDeliverable(start),
);
registerActivity(markWorkflowExpired, workflowDimensions, (app, start: WorkflowStart) =>
  app.exportWorkflow.markExpired(start),
);
registerActivity(
  markWorkflowFailed,
  (input: WithStart) => workflowDimensions(input.start),
  (app, input: WithStart & { message: string }) => app.exportWorkflow.markFailed(input.start, input.message),
);
