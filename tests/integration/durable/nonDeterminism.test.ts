import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { HistoryEventType } from '../../../host/durable/protocol';
import { eventsOfType, startHarness, type DurableHarness } from './harness';

df.app.activity('stepA', { handler: () => 'a' });
df.app.activity('stepB', { handler: () => 'b' });

/** Module state that changes on every replay: exactly what an orchestrator must never depend on. */
let replays = 0;

df.app.orchestration('flipsOnReplay', function* (context: OrchestrationContext) {
  replays++;
  const first = replays % 2 === 1 ? 'stepA' : 'stepB';
  yield context.df.callActivity(first);
  yield context.df.callActivity('stepA');
  return 'unreachable';
});

let timerOnReplay = false;

df.app.orchestration('swapsActivityForTimer', function* (context: OrchestrationContext) {
  const useTimer = timerOnReplay;
  timerOnReplay = true;
  if (useTimer) yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1000));
  else yield context.df.callActivity('stepA');
  yield context.df.callActivity('stepB');
  return 'unreachable';
});

describe('local Durable runtime: non-determinism', () => {
  let h: DurableHarness;

  beforeEach(async () => {
    replays = 0;
    timerOnReplay = false;
    h = await startHarness();
  });

  afterEach(() => h.close());

  it('when a replay schedules a different activity than history, then the instance fails naming instance, position and both calls', async () => {
    const id = await h.client.startNew('flipsOnReplay');
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Failed);
    const message = String(status.output);
    expect(message).toContain(`Non-deterministic orchestrator 'flipsOnReplay' (instance '${id}')`);
    expect(message).toContain('at action #0 (sequence number 0)');
    expect(message).toContain(
      "the history has CallActivity 'stepA' but this replay produced CallActivity 'stepB'",
    );
    expect(
      h.logs.some((l) => l.level === 'error' && l.message.includes('Non-deterministic orchestrator')),
    ).toBe(true);
    // Nothing after the divergence was scheduled.
    expect(eventsOfType(h.runtime.history(id), HistoryEventType.TaskScheduled)).toHaveLength(1);
  });

  it('when a replay creates a timer where history has an activity, then the instance fails with both kinds named', async () => {
    const id = await h.client.startNew('swapsActivityForTimer');
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Failed);
    expect(String(status.output)).toContain(
      "the history has CallActivity 'stepA' but this replay produced CreateTimer",
    );
  });
});
