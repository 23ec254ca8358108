import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { registerActivity } from '../shared/app/activities';
import { hashOwner } from '../shared/core/log';
import { stageId } from '../shared/domain/exportRecords';
import { failureReason, outcomeOf, PermanentActivityError } from '../shared/workflows/activityOutcome';
import {
  exportWorkflow,
  type EditsSubmitted,
  type ReviewTiming,
  type WorkflowInput,
  type WorkflowStart,
} from '../shared/workflows/exportWorkflowDefinition';

/**
 * The recorded three-stage export (README: The export workflow): stage 1 → wait for the user's
 * edits (raced with the review window, 30 days by default) → stage 2 → stage 3. Names and retry
 * policy: exportWorkflowDefinition. Inputs, events and outputs carry ids only; the user's data is
 * read from Cosmos by the activities.
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
  (app, input: WithStart & EditsSubmitted) =>
    app.exportStages.recordUserModifications(input.start, input.edits_id),
);
export const produceDeliverable = registerActivity(
  activities.produceDeliverable,
  workflowDimensions,
  async (app, start: WorkflowStart) => {
    const { ai } = await app.exportStages.produceDeliverable(start);
    // `ai` (model, time, tokens) is for the activity's log line; the orchestration reads the id.
    return { stage_3_id: stageId(start.export_workflow_id, 3), ...(ai ? { ai } : {}) };
  },
);
export const markWorkflowExpired = registerActivity(
  activities.markExpired,
  workflowDimensions,
  (app, start: WorkflowStart) => app.exportStages.markExpired(start),
);
export const markWorkflowFailed = registerActivity(
  activities.markFailed,
  (input: WithStart & { code?: string }) => ({ ...workflowDimensions(input.start), error_code: input.code }),
  (app, input: WithStart & { message: string; code?: string }) =>
    app.exportStages.markFailed(input.start, input.message, input.code),
);

/**
 * Waits for the edits until the review window ends (undefined: it ended first), with one durable
 * timer at a time, none longer than the engine's maximum. A longer timer would be split into
 * segments by the engine, and cancelling it once its first segment has fired breaks the replay on
 * the Durable extension: its out-of-process shim recreates only the first segment, so the next
 * task's id lands on a recorded timer. Each timer here is a plain one, and only the one pending
 * is cancelled. The same event task is raced each time, so an edit is never lost between timers.
 *
 * The window has ended once the timer set for the deadline fired, whatever the orchestration
 * clock then says: the Azure Storage provider delivers a timer up to a second early (a queue
 * message's visibility delay is whole seconds), so comparing the clock with the deadline would
 * add one short timer after another until the clock catches up.
 */
function* awaitEdits(
  context: OrchestrationContext,
  review: ReviewTiming,
): Generator<df.Task, EditsSubmitted | undefined, unknown> {
  const deadline = context.df.currentUtcDateTime.getTime() + review.window_ms;
  const edits = context.df.waitForExternalEvent(exportWorkflow.events.userModifications);
  for (let fireAt = context.df.currentUtcDateTime.getTime(); fireAt < deadline;) {
    fireAt = Math.min(deadline, context.df.currentUtcDateTime.getTime() + review.max_timer_ms);
    const timer = context.df.createTimer(new Date(fireAt));
    const winner = yield context.df.Task.any([edits, timer]);
    if (winner === edits) {
      timer.cancel();
      return edits.result as EditsSubmitted;
    }
  }
  return undefined;
}

export function* exportWorkflowOrchestrator(
  context: OrchestrationContext,
): Generator<df.Task, unknown, unknown> {
  const start: WorkflowStart = {
    ...context.df.getInput<WorkflowInput>(),
    started_at: context.df.currentUtcDateTime.toISOString(),
  };
  try {
    yield* outcomeOf(recordInitialSummary(start).withRetry(retry));
    context.df.setCustomStatus({ stage: 1, status: 'awaiting_user_review' });

    const submitted = yield* awaitEdits(context, start.review ?? exportWorkflow.defaultReview);
    if (!submitted) {
      yield* outcomeOf(markWorkflowExpired(start).withRetry(retry));
      context.df.setCustomStatus({ stage: 1, status: 'expired' });
      return { status: 'expired' };
    }

    context.df.setCustomStatus({ stage: 2, status: 'awaiting_final_processing' });
    const { edits_id } = submitted;
    yield* outcomeOf(recordUserModifications({ start, edits_id }).withRetry(retry));
    const { stage_3_id } = yield* outcomeOf<{ stage_3_id: string }>(
      produceDeliverable(start).withRetry(retry),
    );
    context.df.setCustomStatus({ stage: 3, status: 'completed' });
    return { status: 'completed', stage_3_id };
  } catch (error) {
    const message = failureReason(error);
    const code = error instanceof PermanentActivityError ? error.code : undefined;
    yield markWorkflowFailed({ start, message, ...(code ? { code } : {}) });
    context.df.setCustomStatus({ status: 'failed' });
    throw error;
  }
}

df.app.orchestration(exportWorkflow.name, exportWorkflowOrchestrator);
