import { exportWorkflow } from '../../../shared/workflows/exportWorkflowDefinition';
import '../../../functions/exportWorkflow';
import { actionType, History, replay, type Action } from '../../support/orchestratorReplay';

const { activities, events } = exportWorkflow;
const startedAt = new Date('2026-03-01T09:00:00.000Z');
const day = 86_400_000;
/** The defaults: a 30-day window, timers of at most 6 days (Azure Storage's maximum). */
const review = { window_ms: 30 * day, max_timer_ms: 6 * day };
const input = {
  export_workflow_id: 'wf-1',
  owner: { email: 'ana@example.com' },
  document_id: 'doc-1',
  review,
};
const start = { ...input, started_at: startedAt.toISOString() };
/** The event names the edits item; the data itself never enters the history. */
const edits = { edits_id: 'wf-1:edits:e1' };

const named = (actions: Action[], name: string) => actions.filter((a) => a.functionName === name);
const last = (actions: Action[]) => actions.at(-1);
const timersOf = (actions: Action[]) => actions.filter((a) => a.actionType === actionType.CreateTimer);
/** When each timer fires (the library hands `fireAt` over as a Date). */
const fireTimes = (actions: Action[]) =>
  timersOf(actions).map((t) => new Date(t.fireAt ?? Number.NaN).toISOString());

/** Stage 1 recorded; the orchestration now waits for the edits or the end of the review window. */
function awaitingReview(workflowInput: object = input): History {
  return new History(exportWorkflow.name, startedAt, workflowInput)
    .scheduled(0, activities.recordInitialSummary)
    .nextEpisode()
    .completed(0, { stage_1_id: 'wf-1:1', completed_at: startedAt.toISOString() });
}

/** Lets the review timers fire one after another, each created when the previous one fired. */
function reviewTimersFire(history: History, firstId: number, count: number): number {
  let id = firstId;
  for (let fired = 0; fired < count; fired++) {
    const fireAt = new Date(Math.min(reviewEnds, history.now().getTime() + review.max_timer_ms));
    history
      .timerCreated(id, fireAt)
      .nextEpisode(fireAt.getTime() - history.now().getTime())
      .timerFired(id, fireAt);
    id++;
  }
  return id;
}

/** Stage 1 completes one second after the start (see `nextEpisode`); the window counts from there. */
const reviewEnds = startedAt.getTime() + 1000 + review.window_ms;

/** An activity that failed on each of its three attempts (the extension retries; the library counts ids). */
function failedThreeTimes(history: History, firstId: number, name: string): History {
  let id = firstId;
  for (let attempt = 1; attempt <= 3; attempt++) {
    history.scheduled(id, name).nextEpisode().failed(id, `attempt ${attempt} failed`);
    id++;
    // The library counts a retry timer after every failed attempt, the last one included.
    {
      const fireAt = new Date(history.now().getTime() + 2000);
      history.timerCreated(id, fireAt).nextEpisode(2000).timerFired(id, fireAt);
      id++;
    }
  }
  return history;
}

describe('exportWorkflow orchestrator', () => {
  it('when it starts, then it records stage 1 with retries and the orchestration clock as start time', async () => {
    const run = await replay(new History(exportWorkflow.name, startedAt, input));
    expect(run.isDone).toBe(false);
    expect(run.actions).toEqual([
      expect.objectContaining({
        actionType: actionType.CallActivityWithRetry,
        functionName: activities.recordInitialSummary,
        input: start,
        retryOptions: expect.objectContaining({
          maxNumberOfAttempts: 3,
          firstRetryIntervalInMilliseconds: 2000,
        }),
      }),
    ]);
  });

  it('when stage 1 is recorded, then it awaits the edits raced with one timer no longer than the maximum interval', async () => {
    const history = awaitingReview();
    const run = await replay(history);
    expect(run.isDone).toBe(false);
    expect(run.customStatus).toEqual({ stage: 1, status: 'awaiting_user_review' });
    const race = run.actions.find((a) => a.actionType === actionType.WhenAny);
    expect(race?.compoundActions?.map((a) => a.actionType)).toEqual([
      actionType.WaitForExternalEvent,
      actionType.CreateTimer,
    ]);
    expect(run.actions.find((a) => a.actionType === actionType.WaitForExternalEvent)?.externalEventName).toBe(
      events.userModifications,
    );
    // Not the whole window: a timer beyond the maximum would be split by the engine.
    expect(fireTimes(run.actions)).toEqual([
      new Date(history.now().getTime() + review.max_timer_ms).toISOString(),
    ]);
  });

  it('when the input carries no review timing (started before it did), then the 30-day window and 6-day timers apply', async () => {
    const older: Partial<typeof input> = { ...input };
    delete older.review;
    const history = awaitingReview(older);
    const run = await replay(history);
    expect(fireTimes(run.actions)).toEqual([
      new Date(history.now().getTime() + exportWorkflow.defaultReview.max_timer_ms).toISOString(),
    ]);
    expect(exportWorkflow.defaultReview).toEqual(review);
  });

  it('when the edits arrive before the first timer fires, then it cancels that timer and records stages 2 and 3', async () => {
    const history = awaitingReview().nextEpisode().eventRaised(events.userModifications, edits);
    const stage2 = await replay(history);
    expect(stage2.customStatus).toEqual({ stage: 2, status: 'awaiting_final_processing' });
    expect(last(stage2.actions)).toEqual(
      expect.objectContaining({
        functionName: activities.recordUserModifications,
        input: { start, edits_id: edits.edits_id },
      }),
    );
    expect(timersOf(stage2.actions).map((t) => t.isCanceled)).toEqual([true]);

    // Ids: 0 for stage 1, 1 for the timer, then stage 2 and stage 3.
    const stage2Id = 2;
    history
      .scheduled(stage2Id, activities.recordUserModifications)
      .nextEpisode()
      .completed(stage2Id, { stage_2_id: 'wf-1:2' });
    const stage3 = await replay(history);
    expect(last(stage3.actions)).toEqual(
      expect.objectContaining({ functionName: activities.produceDeliverable, input: start }),
    );

    history
      .scheduled(stage2Id + 1, activities.produceDeliverable)
      .nextEpisode()
      .completed(stage2Id + 1, { stage_3_id: 'wf-1:3' });
    const done = await replay(history);
    expect(done.isDone).toBe(true);
    expect(done.output).toEqual({ status: 'completed', stage_3_id: 'wf-1:3' });
    expect(done.customStatus).toEqual({ stage: 3, status: 'completed' });
    expect(named(done.actions, activities.markExpired)).toHaveLength(0);
  });

  it('when the window ends without edits, then its timers fire one after another until the deadline and it expires', async () => {
    const history = awaitingReview();
    // 30 days in timers of at most 6: five, the last at the deadline.
    const expiredId = reviewTimersFire(history, 1, 5);
    expect(history.now().getTime()).toBe(reviewEnds);
    const run = await replay(history);
    expect(timersOf(run.actions)).toHaveLength(5);
    expect(timersOf(run.actions).every((t) => !t.isCanceled)).toBe(true);
    expect(last(run.actions)).toEqual(
      expect.objectContaining({ functionName: activities.markExpired, input: start }),
    );
    expect(named(run.actions, activities.recordUserModifications)).toHaveLength(0);

    history.scheduled(expiredId, activities.markExpired).nextEpisode().completed(expiredId, null);
    const done = await replay(history);
    expect(done.isDone).toBe(true);
    expect(done.output).toEqual({ status: 'expired' });
    expect(done.customStatus).toEqual({ stage: 1, status: 'expired' });
  });

  it('when the window is not a multiple of the maximum, then the last timer fires at the deadline, not past it', async () => {
    const odd = { ...input, review: { window_ms: 10 * day, max_timer_ms: 6 * day } };
    const history = awaitingReview(odd);
    const first = new Date(history.now().getTime() + 6 * day);
    history
      .timerCreated(1, first)
      .nextEpisode(6 * day)
      .timerFired(1, first);
    const run = await replay(history);
    expect(fireTimes(run.actions)).toEqual([
      first.toISOString(),
      new Date(startedAt.getTime() + 1000 + 10 * day).toISOString(),
    ]);
  });

  it('when the timers fire a little early (Azure Storage), then the timer set for the deadline still ends the window', async () => {
    const odd = { ...input, review: { window_ms: 10 * day, max_timer_ms: 6 * day } };
    const history = awaitingReview(odd);
    // Each delivered 700 ms before its time: the orchestration clock is short of it when it fires.
    const first = new Date(history.now().getTime() + 6 * day);
    history
      .timerCreated(1, first)
      .nextEpisode(6 * day - 700)
      .timerFired(1, first);
    const deadline = new Date(startedAt.getTime() + 1000 + 10 * day);
    history
      .timerCreated(2, deadline)
      .nextEpisode(deadline.getTime() - history.now().getTime() - 700)
      .timerFired(2, deadline);
    const run = await replay(history);
    expect(fireTimes(run.actions)).toEqual([first.toISOString(), deadline.toISOString()]);
    expect(last(run.actions)).toEqual(
      expect.objectContaining({
        functionName: activities.markExpired,
        input: { ...odd, started_at: start.started_at },
      }),
    );
  });

  it('when an activity reports a permanent fault, then it fails at once with that code, without retries', async () => {
    const history = new History(exportWorkflow.name, startedAt, input)
      .scheduled(0, activities.recordInitialSummary)
      .nextEpisode()
      .completed(0, { permanent_failure: { code: 'payload_too_large', message: 'too big for Cosmos' } });
    const run = await replay(history);
    expect(last(run.actions)).toEqual(
      expect.objectContaining({
        functionName: activities.markFailed,
        input: { start, message: 'too big for Cosmos', code: 'payload_too_large' },
      }),
    );
  });

  it('when stage 1 fails on every attempt, then it records the failure with the reason and fails', async () => {
    const history = failedThreeTimes(
      new History(exportWorkflow.name, startedAt, input),
      0,
      activities.recordInitialSummary,
    );
    const run = await replay(history);
    const markFailed = last(run.actions);
    expect(markFailed).toEqual(
      expect.objectContaining({
        actionType: actionType.CallActivity,
        functionName: activities.markFailed,
        input: { start, message: expect.stringContaining('attempt 3 failed') },
      }),
    );
    expect(named(run.actions, activities.recordUserModifications)).toHaveLength(0);

    const markFailedId = 6;
    history.scheduled(markFailedId, activities.markFailed).nextEpisode().completed(markFailedId, null);
    const ended = await replay(history);
    expect(ended.isDone).toBe(false);
    expect(ended.error).toContain('attempt 3 failed');
    expect(ended.customStatus).toEqual({ status: 'failed' });
  });

  it('when the edits arrive after the first timer fired, then only the pending timer is cancelled and stage 2 runs', async () => {
    const history = awaitingReview();
    const stage2Id = reviewTimersFire(history, 1, 1) + 1; // 1: the first timer, 2: the second
    const second = new Date(history.now().getTime() + review.max_timer_ms);
    history.timerCreated(2, second).nextEpisode().eventRaised(events.userModifications, edits);
    const run = await replay(history);
    // The fired timer stays as it was; the one pending is cancelled. No timer was ever split.
    expect(timersOf(run.actions).map((t) => t.isCanceled ?? false)).toEqual([false, true]);
    expect(last(run.actions)).toEqual(
      expect.objectContaining({
        functionName: activities.recordUserModifications,
        input: { start, edits_id: edits.edits_id },
      }),
    );
    expect(named(run.actions, activities.markExpired)).toHaveLength(0);

    history
      .scheduled(stage2Id, activities.recordUserModifications)
      .nextEpisode()
      .completed(stage2Id, { stage_2_id: 'wf-1:2' });
    const stage3 = await replay(history);
    expect(last(stage3.actions)).toEqual(
      expect.objectContaining({ functionName: activities.produceDeliverable, input: start }),
    );
  });
});
