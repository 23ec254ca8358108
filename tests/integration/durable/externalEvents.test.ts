import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { HistoryEventType } from '../../../host/durable/protocol';
import { deferred, startHarness, type DurableHarness } from './harness';

/** Lets a test hold the activity until it has raised an event. */
let gate = deferred();
let gateEntered = deferred();

df.app.activity('prepareExport', {
  handler: async () => {
    gateEntered.resolve();
    await gate.promise;
    return 'prepared';
  },
});

df.app.activity('noteStep', { handler: (name: string) => `noted ${name}` });

df.app.orchestration('prepareThenDecide', function* (context: OrchestrationContext) {
  context.df.setCustomStatus({ stage: 'preparing' });
  const prepared: unknown = yield context.df.callActivity('prepareExport');
  context.df.setCustomStatus({ stage: 'awaiting decision' });
  const decision: unknown = yield context.df.waitForExternalEvent('Decision');
  context.df.setCustomStatus({ stage: 'decided' });
  return { prepared, decision };
});

df.app.orchestration('noteThenDecide', function* (context: OrchestrationContext) {
  const noted: unknown = yield context.df.callActivity('noteStep', 'first');
  const decision: unknown = yield context.df.waitForExternalEvent('Decision');
  return { noted, decision };
});

describe('local Durable runtime: external events and custom status', () => {
  let h: DurableHarness;

  beforeEach(async () => {
    gate = deferred();
    gateEntered = deferred();
    h = await startHarness();
  });

  afterEach(() => h.close());

  it('when an event is raised while the orchestrator still awaits an activity, then it is kept until awaited', async () => {
    const id = await h.client.startNew('prepareThenDecide');
    await gateEntered.promise;

    await h.client.raiseEvent(id, 'Decision', { approved: true, by: 'alice' });
    gate.resolve();
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toEqual({ prepared: 'prepared', decision: { approved: true, by: 'alice' } });
    // The event really arrived first: it sits before the activity's result in history.
    const order = (h.runtime.history(id) ?? [])
      .filter(
        (e) => e.EventType === HistoryEventType.EventRaised || e.EventType === HistoryEventType.TaskCompleted,
      )
      .map((e) => e.EventType);
    expect(order).toEqual([HistoryEventType.EventRaised, HistoryEventType.TaskCompleted]);
  });

  it('when an event is raised before the first episode ran, then it is not lost', async () => {
    const id = h.runtime.startNew('noteThenDecide');
    h.runtime.raiseEvent(id, 'Decision', 'ship it');
    expect(h.runtime.getStatus(id)?.runtimeStatus).toBe('Pending');

    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.output).toEqual({ noted: 'noted first', decision: 'ship it' });
  });

  it('when the orchestrator sets a custom status, then getStatus shows the latest one', async () => {
    const id = await h.client.startNew('prepareThenDecide');
    await gateEntered.promise; // the first episode is applied before its activity starts
    let status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Running);
    expect(status.customStatus).toEqual({ stage: 'preparing' });

    gate.resolve();
    await h.settle();
    status = await h.client.getStatus(id);
    expect(status.customStatus).toEqual({ stage: 'awaiting decision' });

    await h.client.raiseEvent(id, 'Decision', 'no');
    await h.settle();
    status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);
    expect(status.customStatus).toEqual({ stage: 'decided' });
  });
});
