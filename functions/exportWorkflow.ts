import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { registerActivity } from '../shared/app/activities';
import { hashOwner } from '../shared/core/log';
import type { UserModifications } from '../shared/domain/exportRecords';
import {
  exportWorkflow,
  type WorkflowInput,
  type WorkflowStart,
} from '../shared/workflows/exportWorkflowDefinition';

/**
 * The recorded three-stage export (SPEC §1): stage 1 → wait for the user's edits (raced with the
 * 30-day review window) → stage 2 → stage 3. Names and retry policy: exportWorkflowDefinition.
 */

const workflowDimensions = (start: WorkflowStart) => ({
  export_workflow_id: start.export_workflow_id,
  owner: hashOwner(start.owner.email),
});
type WithStart = { start: WorkflowStart };
const { activities, retry } = exportWorkflow;

export const recordInitialSummary = registerActivity(
  activities.recordInitialSummary,
  workflowDimensions,
  (app, start: WorkflowStart) => app.exportStages.recordInitialSummary(start),
);
export const recordUserModifications = registerActivity(
  activities.recordUserModifications,
  (input: WithStart) => workflowDimensions(input.start),
  (app, input: WithStart & { modifications: UserModifications }) =>
    app.exportStages.recordUserModifications(input.start, input.modifications),
);
export const produceDeliverable = registerActivity(
  activities.produceDeliverable,
  workflowDimensions,
  (app, start: WorkflowStart) => app.exportStages.produceDeliverable(start),
);
export const markWorkflowExpired = registerActivity(
  activities.markExpired,
  workflowDimensions,
  (app, start: WorkflowStart) => app.exportStages.markExpired(start),
);
export const markWorkflowFailed = registerActivity(
  activities.markFailed,
  (input: WithStart) => workflowDimensions(input.start),
  (app, input: WithStart & { message: string }) => app.exportStages.markFailed(input.start, input.message),
);

export function* exportWorkflowOrchestrator(
  context: OrchestrationContext,
): Generator<df.Task, unknown, unknown> {
  const start: WorkflowStart = {
    ...context.df.getInput<WorkflowInput>(),
    started_at: context.df.currentUtcDateTime.toISOString(),
  };
  try {
    yield recordInitialSummary(start).withRetry(retry);
    context.df.setCustomStatus({ stage: 1, status: 'awaiting_user_review' });

    const deadline = new Date(context.df.currentUtcDateTime.getTime() + exportWorkflow.reviewWindowMs);
    const expiry = context.df.createTimer(deadline);
    const edits = context.df.waitForExternalEvent(exportWorkflow.events.userModifications);
    const winner = yield context.df.Task.any([edits, expiry]);
    if (winner === expiry) {
      yield markWorkflowExpired(start).withRetry(retry);
      context.df.setCustomStatus({ stage: 1, status: 'expired' });
      return { status: 'expired' };
    }
    expiry.cancel();

    context.df.setCustomStatus({ stage: 2, status: 'awaiting_final_processing' });
    yield recordUserModifications({ start, modifications: edits.result as UserModifications }).withRetry(
      retry,
    );
    const deliverable: unknown = yield produceDeliverable(start).withRetry(retry);
    context.df.setCustomStatus({ stage: 3, status: 'completed' });
    return { status: 'completed', deliverable };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    yield markWorkflowFailed({ start, message });
    context.df.setCustomStatus({ status: 'failed' });
    throw error;
  }
}

df.app.orchestration(exportWorkflow.name, exportWorkflowOrchestrator);
