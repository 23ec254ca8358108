import { exportWorkflow } from '../../../shared/workflows/exportWorkflowDefinition';
import '../../../functions/exportWorkflow';
import { actionType, History, replay, type Action } from '../../support/orchestratorReplay';

const { activities, events } = exportWorkflow;
const startedAt = new Date('2026-03-01T09:00:00.000Z');
const input = { export_workflow_id: 'wf-1', owner: { email: 'ana@example.com' }, document_id: 'doc-1' };
const start = { ...input, started_at: startedAt.toISOString() };
/** The event names the edits item; the data itself never enters the history. */
const edits = { edits_id: 'wf-1:edits:e1' };

const named = (actions: Action[], name: string) => actions.filter((a) => a.functionName === name);
const last = (actions: Action[]) => actions.at(-1);

/** Stage 1 recorded; the orchestration now waits for the edits or the end of the review window. */
function awaitingReview(): History {
  return new History(exportWorkflow.name, startedAt, input)
    .scheduled(0, activities.recordInitialSummary)
    .nextEpisode()
    .completed(0, { stage_1_id: 'wf-1:1', completed_at: startedAt.toISOString() });
}

const day = 86_400_000;

/**
 * The segments a long timer is recorded as: the library (longRunningTimerIntervalDuration 3 days,
 * maximumShortTimerDuration 6 days) asks for 3-day timers while more than 6 days remain.
 */
function timerSegments(from: Date, deadline: Date): Date[] {
  const segments: Date[] = [];
  for (let at = from.getTime(); at < deadline.getTime();) {
    at = deadline.getTime() - at > 6 * day ? at + 3 * day : deadline.getTime();
    segments.push(new Date(at));
  }
  return segments;
}

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

  it('when stage 1 is recorded, then it awaits the edits raced with a timer at the end of the 30-day window', async () => {
    const history = awaitingReview();
    const run = await replay(history);
    expect(run.isDone).toBe(false);
    expect(run.customStatus).toEqual({ stage: 1, status: 'awaiting_user_review' });
    const race = run.actions.find((a) => a.actionType === actionType.WhenAny);
    const kinds = race?.compoundActions?.map((a) => a.actionType);
    expect(kinds).toEqual(expect.arrayContaining([actionType.WaitForExternalEvent]));
    expect(run.actions.find((a) => a.actionType === actionType.WaitForExternalEvent)?.externalEventName).toBe(
      events.userModifications,
    );
    // The window starts when stage 1 is done; long timers are split by the library, the last fires at the deadline.
    const timers = run.actions.filter((a) => a.actionType === actionType.CreateTimer);
    const deadline = history.now().getTime() + exportWorkflow.reviewWindowMs;
    expect(timers.length).toBeGreaterThan(0);
    expect(timers.every((t) => Date.parse(t.fireAt ?? '') <= deadline)).toBe(true);
  });

  it('when the edits arrive before the window ends, then it cancels the timer and records stages 2 and 3', async () => {
    const history = awaitingReview().nextEpisode().eventRaised(events.userModifications, edits);
    const stage2 = await replay(history);
    expect(stage2.customStatus).toEqual({ stage: 2, status: 'awaiting_final_processing' });
    expect(last(stage2.actions)).toEqual(
      expect.objectContaining({
        functionName: activities.recordUserModifications,
        input: { start, edits_id: edits.edits_id },
      }),
    );
    expect(
      stage2.actions.filter((a) => a.actionType === actionType.CreateTimer).every((t) => t.isCanceled),
    ).toBe(true);

    // Ids: 0 for stage 1, 1 for the first timer segment, then stage 2 and stage 3.
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

  it('when the window ends without edits, then it marks the workflow expired and ends', async () => {
    const history = awaitingReview();
    const deadline = new Date(history.now().getTime() + exportWorkflow.reviewWindowMs);
    let id = 1;
    for (const fireAt of timerSegments(history.now(), deadline)) {
      history
        .timerCreated(id, fireAt)
        .nextEpisode(fireAt.getTime() - history.now().getTime())
        .timerFired(id, fireAt);
      id++;
    }
    const run = await replay(history);
    expect(last(run.actions)).toEqual(
      expect.objectContaining({ functionName: activities.markExpired, input: start }),
    );
    expect(named(run.actions, activities.recordUserModifications)).toHaveLength(0);

    // Ids: 0 for stage 1, one per timer segment, then the expiry activity.
    const expiredId = id;
    history.scheduled(expiredId, activities.markExpired).nextEpisode().completed(expiredId, null);
    const done = await replay(history);
    expect(done.isDone).toBe(true);
    expect(done.output).toEqual({ status: 'expired' });
    expect(done.customStatus).toEqual({ stage: 1, status: 'expired' });
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

  it('when the edits arrive after the first segment of the long timer fired, then stage 2 still runs', async () => {
    const history = awaitingReview();
    const deadline = new Date(history.now().getTime() + exportWorkflow.reviewWindowMs);
    const [first, second] = timerSegments(history.now(), deadline);
    if (!first || !second) throw new Error('A 30-day window has several segments.');
    history
      .timerCreated(1, first)
      .nextEpisode(3 * day)
      .timerFired(1, first);
    history.timerCreated(2, second).nextEpisode().eventRaised(events.userModifications, edits);
    const run = await replay(history);
    expect(last(run.actions)).toEqual(
      expect.objectContaining({
        functionName: activities.recordUserModifications,
        input: { start, edits_id: edits.edits_id },
      }),
    );
    expect(named(run.actions, activities.markExpired)).toHaveLength(0);
  });
});
