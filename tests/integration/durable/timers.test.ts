import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { HistoryEventType } from '../../../host/durable/protocol';
import { eventsOfType, startHarness, type DurableHarness } from './harness';

const minuteMs = 60 * 1000;
const dayMs = 24 * 60 * minuteMs;

df.app.orchestration('napTenMinutes', function* (context: OrchestrationContext) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 10 * minuteMs));
  return `woke at ${context.df.currentUtcDateTime.toISOString()}`;
});

df.app.orchestration('waitThirtyDays', function* (context: OrchestrationContext) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 30 * dayMs));
  return `woke at ${context.df.currentUtcDateTime.toISOString()}`;
});

/** The human-interaction pattern: an approval raced against a deadline, the deadline cancelled if it loses. */
df.app.orchestration('approvalWithDeadline', function* (context: OrchestrationContext) {
  const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + dayMs));
  const approval = context.df.waitForExternalEvent('Approval');
  const winner: unknown = yield context.df.Task.any([approval, deadline]);
  if (winner !== approval) return { approved: false, reason: 'deadline passed' };

  deadline.cancel();
  context.df.setCustomStatus('approved, awaiting archive');
  const archive: unknown = yield context.df.waitForExternalEvent('Archived');
  return { approved: approval.result, archive };
});

/** A deadline longer than the maximum timer interval, raced and cancelled: breaks on the extension. */
df.app.orchestration('approvalWithLongDeadline', function* (context: OrchestrationContext) {
  const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 30 * dayMs));
  const approval = context.df.waitForExternalEvent('Approval');
  const winner: unknown = yield context.df.Task.any([approval, deadline]);
  if (winner !== approval) return 'deadline passed';
  deadline.cancel();
  const archived: unknown = yield context.df.callActivity('archiveApproval', approval.result);
  return archived;
});

df.app.activity('archiveApproval', { handler: (approval: unknown) => ({ archived: approval }) });

describe('local Durable runtime: timers', () => {
  let h: DurableHarness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(() => h.close());

  it('when a durable timer is pending, then the orchestration resumes only once the clock reaches it', async () => {
    const startedAt = h.clock.now();
    const id = await h.client.startNew('napTenMinutes');
    await h.settle();
    expect(h.runtime.pendingTimers(id).map((t) => t.fireAt)).toEqual([
      new Date(startedAt.getTime() + 10 * minuteMs),
    ]);

    h.clock.advanceBy(9 * minuteMs);
    await h.settle();
    expect((await h.client.getStatus(id)).runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Running);

    h.clock.advanceBy(minuteMs);
    await h.settle();
    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toBe(`woke at ${new Date(startedAt.getTime() + 10 * minuteMs).toISOString()}`);
  });

  it('when a timer is 30 days away, then it runs as 3-day segments placed as the extension places them and completes on day 30', async () => {
    const startedAt = h.clock.now().getTime();
    const id = await h.client.startNew('waitThirtyDays');
    await h.settle();

    const statuses: string[] = [];
    while (h.clock.advanceToNext()) {
      await h.settle();
      statuses.push((await h.client.getStatus(id)).runtimeStatus);
    }

    const segments = eventsOfType(h.runtime.history(id), HistoryEventType.TimerCreated);
    // The extension adds a full segment until less than one remains (the library alone would
    // stop splitting 6 days out: 24 → 30); the library numbers segments alike either way.
    expect(segments.map((e) => (Date.parse(e.FireAt) - startedAt) / dayMs)).toEqual([
      3, 6, 9, 12, 15, 18, 21, 24, 27, 30,
    ]);
    expect(segments.map((e) => e.EventId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(statuses.slice(0, -1).every((s) => s === 'Running')).toBe(true);
    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toBe(`woke at ${new Date(startedAt + 30 * dayMs).toISOString()}`);
  });

  it('when the event wins a Task.any against a timer, then the cancelled timer still fires, as in DTFx, and is ignored', async () => {
    const id = await h.client.startNew('approvalWithDeadline');
    await h.settle();
    expect(h.runtime.pendingTimers(id)).toHaveLength(1);

    await h.client.raiseEvent(id, 'Approval', { by: 'alice' });
    await h.settle();
    let status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Running);
    expect(status.customStatus).toBe('approved, awaiting archive');
    // A durable timer cannot be withdrawn: the orchestration stopped waiting, the timer did not.
    expect(h.runtime.pendingTimers(id)).toHaveLength(1);

    h.clock.advanceBy(2 * dayMs);
    await h.settle();
    expect(eventsOfType(h.runtime.history(id), HistoryEventType.TimerFired)).toHaveLength(1);
    status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Running);
    expect(status.customStatus).toBe('approved, awaiting archive');

    await h.client.raiseEvent(id, 'Archived', 'blob://exports/1.pdf');
    await h.settle();
    status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toEqual({ approved: { by: 'alice' }, archive: 'blob://exports/1.pdf' });
  });

  it('when an instance finishes before a timer it cancelled comes due, then the timer is dropped with it', async () => {
    const id = await h.client.startNew('approvalWithDeadline');
    await h.settle();
    await h.client.raiseEvent(id, 'Approval', { by: 'alice' });
    await h.client.raiseEvent(id, 'Archived', 'blob://exports/1.pdf');
    await h.settle();
    expect((await h.client.getStatus(id)).runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(h.runtime.pendingTimers(id)).toEqual([]);
    expect(h.clock.pendingCount).toBe(0);

    h.clock.advanceBy(2 * dayMs);
    await h.settle();
    expect(eventsOfType(h.runtime.history(id), HistoryEventType.TimerFired)).toEqual([]);
  });

  it('when the timer wins a Task.any against an event, then the orchestration takes the timeout branch', async () => {
    const id = await h.client.startNew('approvalWithDeadline');
    await h.settle();

    h.clock.advanceBy(dayMs);
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toEqual({ approved: false, reason: 'deadline passed' });
    // A late approval is refused with 410 Gone, which the client treats as done.
    await expect(h.client.raiseEvent(id, 'Approval', { by: 'bob' })).resolves.toBeUndefined();
  });

  it('when a long timer is cancelled before its first segment fires, then the orchestration goes on', async () => {
    const id = await h.client.startNew('approvalWithLongDeadline');
    await h.settle();
    h.clock.advanceBy(dayMs);
    await h.client.raiseEvent(id, 'Approval', 'yes');
    await h.settle();
    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toEqual({ archived: 'yes' });
  });

  it('when a long timer is cancelled after its first segment fired, then the orchestration fails as non-deterministic, as on the extension', async () => {
    const id = await h.client.startNew('approvalWithLongDeadline');
    await h.settle();
    h.clock.advanceBy(4 * dayMs); // the first 3-day segment fires, the second is pending
    await h.settle();
    expect(h.runtime.pendingTimers(id)).toHaveLength(1);
    await h.client.raiseEvent(id, 'Approval', 'yes');
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Failed);
    expect(String(status.output)).toMatch(
      /Non-deterministic workflow detected: .*cancelled after 1 of its segments fired/,
    );
    expect(h.runtime.pendingTimers(id)).toEqual([]);
  });
});
