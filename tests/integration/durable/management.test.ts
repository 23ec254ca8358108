import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { incomingRequest, startHarness, type DurableHarness } from './harness';

const dayMs = 24 * 60 * 60 * 1000;
const finished = [
  df.OrchestrationRuntimeStatus.Completed,
  df.OrchestrationRuntimeStatus.Failed,
  df.OrchestrationRuntimeStatus.Terminated,
];

df.app.activity('stamp', { handler: (label: string) => `stamped ${label}` });

df.app.orchestration('quickJob', function* (context: OrchestrationContext) {
  const stamped: unknown = yield context.df.callActivity('stamp', context.df.getInput<string>());
  return stamped;
});

df.app.orchestration('waitsForever', function* (context: OrchestrationContext) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + dayMs));
  yield context.df.waitForExternalEvent('Never');
  return 'unreachable';
});

df.app.orchestration('usesSubOrchestration', function* (context: OrchestrationContext) {
  const child: unknown = yield context.df.callSubOrchestrator('quickJob', 'child');
  return child;
});

describe('local Durable runtime: management API', () => {
  let h: DurableHarness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(() => h.close());

  it('when an instance is terminated, then it is Terminated with the reason and its timers are cancelled', async () => {
    const id = await h.client.startNew('waitsForever');
    await h.settle();
    expect(h.runtime.pendingTimers(id)).toHaveLength(1);

    await h.client.terminate(id, 'cancelled by user');
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Terminated);
    expect(status.output).toBe('cancelled by user');
    // As DTFx records it: the terminate, then the execution completing as Terminated.
    const events = h.runtime.getStatus(id, { showHistory: true })?.historyEvents ?? [];
    expect(events.slice(-2).map((e) => [e.EventType, e.OrchestrationStatus])).toEqual([
      ['ExecutionTerminated', undefined],
      ['ExecutionCompleted', 'Terminated'],
    ]);
    expect(h.runtime.pendingTimers(id)).toEqual([]);
    expect(h.clock.pendingCount).toBe(0);
    // Terminating or signalling a finished instance answers 410 Gone, which the client accepts.
    await expect(h.client.terminate(id, 'again')).resolves.toBeUndefined();
    await expect(h.client.raiseEvent(id, 'Never', null)).resolves.toBeUndefined();
  });

  it('when purging by created time, then only finished instances older than the cutoff are removed', async () => {
    const oldDone = await h.client.startNew('quickJob', { input: 'old' });
    const oldRunning = await h.client.startNew('waitsForever');
    await h.settle();
    h.clock.advanceBy(31 * dayMs); // also fires oldRunning's timer: it now waits for an event
    await h.settle();
    const newDone = await h.client.startNew('quickJob', { input: 'new' });
    await h.settle();

    const cutoff = new Date(h.clock.now().getTime() - 30 * dayMs);
    const result = await h.client.purgeInstanceHistoryBy({
      createdTimeFrom: new Date(0),
      createdTimeTo: cutoff,
      runtimeStatus: finished,
    });

    expect(result.instancesDeleted).toBe(1);
    await expect(h.client.getStatus(oldDone)).rejects.toThrow(/404/);
    expect((await h.client.getStatus(oldRunning)).runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Running);
    expect((await h.client.getStatus(newDone)).runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Completed);

    // The retention helper applies the same rule.
    expect(h.runtime.purgeFinishedBefore(cutoff)).toBe(0);
    await h.client.terminate(oldRunning, 'retired');
    expect(h.runtime.purgeFinishedBefore(cutoff)).toBe(1);
    expect(h.runtime.getStatus(newDone)?.runtimeStatus).toBe('Completed');
  });

  it('when purging one instance, then a finished one is removed and a running one is refused', async () => {
    const done = await h.client.startNew('quickJob', { input: 'x' });
    const running = await h.client.startNew('waitsForever');
    await h.settle();

    await expect(h.client.purgeInstanceHistory(done)).resolves.toEqual({ instancesDeleted: 1 });
    await expect(h.client.purgeInstanceHistory(done)).resolves.toEqual({ instancesDeleted: 0 });
    await expect(h.client.purgeInstanceHistory(running)).rejects.toThrow(/412/);
  });

  it('when listing instances by status, then only the matching ones are returned with their inputs', async () => {
    const done = await h.client.startNew('quickJob', { input: 'listed' });
    const running = await h.client.startNew('waitsForever');
    await h.settle();

    const listed = await h.client.getStatusBy({ runtimeStatus: [df.OrchestrationRuntimeStatus.Running] });
    expect(listed.map((s) => s.instanceId)).toEqual([running]);
    const all = await h.client.getStatusAll();
    expect(all.map((s) => s.instanceId).sort()).toEqual([done, running].sort());
    expect(all.find((s) => s.instanceId === done)?.input).toBe('listed');
  });

  it('when an instance id is reused while it runs, then startNew is refused as on the extension (500); once finished it starts afresh', async () => {
    await h.client.startNew('waitsForever', { instanceId: 'export-42' });
    await h.settle();
    // host.json keeps overridableExistingInstanceStates at NonRunningStates; DTFx's
    // OrchestrationAlreadyExistsException reaches the client unmapped, as a 500.
    await expect(h.client.startNew('quickJob', { instanceId: 'export-42' })).rejects.toThrow(/500/);
    expect((await h.client.getStatus('export-42')).runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Running);

    await h.client.terminate('export-42', 'replaced');
    await expect(h.client.startNew('quickJob', { instanceId: 'export-42', input: 'again' })).resolves.toBe(
      'export-42',
    );
    await h.settle();
    expect((await h.client.getStatus('export-42')).output).toBe('stamped again');
  });

  it('when starting an unknown orchestrator or querying an unknown instance, then the client reports it', async () => {
    await expect(h.client.startNew('noSuchOrchestrator')).rejects.toThrow(/400/);
    await expect(h.client.getStatus('missing')).rejects.toThrow(/404/);
    await expect(h.client.raiseEvent('missing', 'Any', 1)).rejects.toThrow(
      "No instance with ID 'missing' found.",
    );
  });

  it('when the app builds a check-status response, then its links point at this host for the instance', async () => {
    const id = await h.client.startNew('quickJob', { input: 'links' });
    await h.settle();

    const response = h.client.createCheckStatusResponse(
      incomingRequest('http://localhost:7071/api/exports'),
      id,
    );
    expect(response.status).toBe(202);
    const links = (await response.json()) as Record<string, string>;
    expect(links.id).toBe(id);
    expect(links.statusQueryGetUri).toBe(
      `http://localhost:7071/runtime/webhooks/durabletask/instances/${id}?taskHub=exportrailtest&connection=Storage`,
    );

    const completed = await h.client.waitForCompletionOrCreateCheckStatusResponse(
      incomingRequest('http://localhost:7071/api/exports'),
      id,
    );
    expect(completed.status).toBe(200);
    expect(await completed.json()).toBe('stamped links');
  });

  it('when the status link is followed over HTTP, then it answers 202 while running and 200 once done', async () => {
    const running = await h.client.startNew('waitsForever');
    const done = await h.client.startNew('quickJob', { input: 'http' });
    await h.settle();

    const base = h.runtime.managementUrls(running).statusQueryGetUri;
    const runningReply = await fetch(base);
    expect(runningReply.status).toBe(202);
    expect(((await runningReply.json()) as { runtimeStatus: string }).runtimeStatus).toBe('Running');

    const doneReply = await fetch(h.runtime.managementUrls(done).statusQueryGetUri);
    expect(doneReply.status).toBe(200);
    expect(await doneReply.json()).toMatchObject({
      instanceId: done,
      runtimeStatus: 'Completed',
      output: 'stamped http',
    });
  });

  it('when an orchestrator uses a feature the local runtime lacks, then it fails saying so instead of hanging', async () => {
    const id = await h.client.startNew('usesSubOrchestration');
    await h.settle();

    const status = await h.client.getStatus(id);
    expect(status.runtimeStatus).toBe(df.OrchestrationRuntimeStatus.Failed);
    expect(String(status.output)).toContain(
      'uses CallSubOrchestrator, which the local Durable runtime does not support',
    );
  });
});
