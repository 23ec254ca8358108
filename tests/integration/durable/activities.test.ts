import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { HistoryEventType } from '../../../host/durable/protocol';
import { eventsOfType, startHarness, type DurableHarness } from './harness';

// ---- functions under test, registered with the real library ----

const calls = new Map<string, number>();
function countCall(name: string): number {
  const n = (calls.get(name) ?? 0) + 1;
  calls.set(name, n);
  return n;
}

df.app.activity('sayHello', {
  handler: (city: string) => {
    countCall('sayHello');
    return `Hello ${city}`;
  },
});

df.app.activity('describeLine', {
  handler: (line: { sku: string; quantity: number }) => ({ text: `${line.quantity} x ${line.sku}` }),
});

df.app.activity('double', {
  handler: (n: number) => {
    countCall('double');
    return n * 2;
  },
});

/** Fails on its first two calls, then succeeds. */
df.app.activity('flakyStep', {
  handler: (input: string) => {
    const attempt = countCall('flakyStep');
    if (attempt < 3) throw new Error(`transient failure #${attempt}`);
    return `${input} done on attempt ${attempt}`;
  },
});

df.app.activity('brokenStep', {
  handler: () => {
    countCall('brokenStep');
    throw new Error('storage account unreachable');
  },
});

df.app.orchestration('helloSequence', function* (context: OrchestrationContext) {
  const greetings: unknown[] = [];
  for (const city of ['Tokyo', 'Seattle', 'London']) {
    greetings.push(yield context.df.callActivity('sayHello', city));
  }
  const line: unknown = yield context.df.callActivity('describeLine', { sku: 'A-42', quantity: 3 });
  return { greetings, line };
});

df.app.orchestration('fanOutFanIn', function* (context: OrchestrationContext) {
  const numbers = context.df.getInput<number[]>();
  const results: unknown = yield context.df.Task.all(
    numbers.map((n) => context.df.callActivity('double', n)),
  );
  return results;
});

df.app.orchestration('retryUntilItWorks', function* (context: OrchestrationContext) {
  const retry = new df.RetryOptions(1000, 3);
  retry.backoffCoefficient = 2;
  const result: unknown = yield context.df.callActivityWithRetry('flakyStep', retry, 'export');
  return result;
});

df.app.orchestration('retryUntilExhausted', function* (context: OrchestrationContext) {
  yield context.df.callActivityWithRetry('brokenStep', new df.RetryOptions(500, 2));
  return 'unreachable';
});

df.app.orchestration('unhandledActivityFailure', function* (context: OrchestrationContext) {
  yield context.df.callActivity('brokenStep');
  return 'unreachable';
});

df.app.orchestration('throwsAfterAStep', function* (context: OrchestrationContext) {
  yield context.df.callActivity('sayHello', 'Oslo');
  throw new Error('export rejected: quota exceeded');
});

// eslint-disable-next-line require-yield -- throwing before the first yield is the point
df.app.orchestration('throwsAtOnce', function* () {
  throw new Error('input failed validation');
});

df.app.orchestration('countToThree', function* (context: OrchestrationContext) {
  const n = context.df.getInput<number>();
  const doubled: unknown = yield context.df.callActivity('double', n);
  if (n < 3) {
    context.df.continueAsNew(n + 1);
    return undefined;
  }
  return { n, doubled };
});

// ---- tests ----

describe('local Durable runtime: activities', () => {
  let h: DurableHarness;

  beforeEach(async () => {
    calls.clear();
    h = await startHarness();
  });

  afterEach(() => h.close());

  it('when an orchestrator calls activities in sequence, then it completes with their results in order', async () => {
    const id = await h.client.startNew('helloSequence');
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toEqual({
      greetings: ['Hello Tokyo', 'Hello Seattle', 'Hello London'],
      line: { text: '3 x A-42' },
    });
    // Each activity ran once, although the orchestrator replayed on every result.
    expect(calls.get('sayHello')).toBe(3);
    const scheduled = eventsOfType(h.runtime.history(id), HistoryEventType.TaskScheduled);
    expect(scheduled.map((e) => [e.EventId, e.Name])).toEqual([
      [0, 'sayHello'],
      [1, 'sayHello'],
      [2, 'sayHello'],
      [3, 'describeLine'],
    ]);
  });

  it('when an orchestrator fans out with Task.all, then every activity runs once and the results keep their order', async () => {
    const id = await h.client.startNew('fanOutFanIn', { input: [1, 2, 3, 4, 5] });
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toEqual([2, 4, 6, 8, 10]);
    expect(calls.get('double')).toBe(5);
    const scheduled = eventsOfType(h.runtime.history(id), HistoryEventType.TaskScheduled);
    expect(scheduled.map((e) => [e.EventId, e.Input])).toEqual([
      [0, '1'],
      [1, '2'],
      [2, '3'],
      [3, '4'],
      [4, '5'],
    ]);
  });

  it('when an activity fails twice under RetryOptions, then it is retried with backoff and the orchestration completes', async () => {
    const id = await h.client.startNew('retryUntilItWorks');
    await h.settle();
    expect((await h.client.getStatus(id)).runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Running);
    expect(h.runtime.pendingTimers(id)).toHaveLength(1);

    await h.fireAllTimers();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toBe('export done on attempt 3');
    expect(calls.get('flakyStep')).toBe(3);
    // Each failed attempt takes one sequence number for the retry timer and one for the next attempt.
    const history = h.runtime.history(id);
    expect(eventsOfType(history, HistoryEventType.TaskScheduled).map((e) => e.EventId)).toEqual([0, 2, 4]);
    const timers = eventsOfType(history, HistoryEventType.TimerCreated);
    expect(timers.map((e) => e.EventId)).toEqual([1, 3]);
    expect(timers.map((e) => Date.parse(e.FireAt) - Date.parse(e.Timestamp))).toEqual([1000, 2000]);
  });

  it('when every retry attempt fails, then the orchestration fails with the last error after a timer for each attempt', async () => {
    const id = await h.client.startNew('retryUntilExhausted');
    await h.fireAllTimers();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Failed);
    expect(String(status.output)).toContain('storage account unreachable');
    expect(calls.get('brokenStep')).toBe(2);
    // The library waits for a retry timer after the last attempt too before giving up; DTFx's
    // RetryInterceptor makes that one zero-length, so the failure is reported at once.
    const timers = eventsOfType(h.runtime.history(id), HistoryEventType.TimerCreated);
    expect(timers.map((e) => e.EventId)).toEqual([1, 3]);
    expect(timers.map((e) => Date.parse(e.FireAt) - Date.parse(e.Timestamp))).toEqual([500, 0]);
  });

  it('when an activity fails and the orchestrator does not catch it, then the orchestration fails naming the activity', async () => {
    const id = await h.client.startNew('unhandledActivityFailure');
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Failed);
    expect(String(status.output)).toContain(
      "Activity function 'brokenStep' failed: storage account unreachable",
    );
  });

  it('when an orchestrator throws after a step, then the instance is Failed with its message', async () => {
    const id = await h.client.startNew('throwsAfterAStep');
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Failed);
    expect(status.output).toBe(
      "Orchestrator function 'throwsAfterAStep' failed: export rejected: quota exceeded",
    );
    expect(
      h.logs.some((l) => l.level === 'error' && l.message.includes('export rejected: quota exceeded')),
    ).toBe(true);
  });

  it('when an orchestrator throws before its first yield, then the instance is Failed with its message', async () => {
    const id = await h.client.startNew('throwsAtOnce');
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Failed);
    expect(status.output).toBe("Orchestrator function 'throwsAtOnce' failed: input failed validation");
  });

  it('when an orchestrator continues as new, then only the last execution remains and it completes', async () => {
    const id = await h.client.startNew('countToThree', { input: 1 });
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toEqual({ n: 3, doubled: 6 });
    expect(status.input).toBe(3);
    expect(calls.get('double')).toBe(3);
    const started = eventsOfType(h.runtime.history(id), HistoryEventType.ExecutionStarted);
    expect(started.map((e) => e.Input)).toEqual(['3']);
  });
});
