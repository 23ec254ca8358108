import http from 'node:http';
import { app, HttpRequest } from '@azure/functions';
import * as df from 'durable-functions';
import { LocalDurableRuntime, ManualClock, type HistoryEvent } from '../../../host/durable';
import { clientBindingData } from '../../../host/durable/clientBinding';
import { registeredFunctions, type LogLevel, type LogSink } from '../../../host/functionsCore';
import { invokeFunction } from '../../../host/invoke';

/**
 * A local Durable runtime on a real HTTP server (127.0.0.1, random port), driven through a real
 * `DurableClient` obtained the way app code gets one: `df.getClient(context)` inside an HTTP
 * function invoked through the library's invocation model. Time is a ManualClock.
 *
 * Jest gives each test file its own module registry, so each file registering its orchestrators
 * next to this harness gets its own set of functions.
 */

const clientFunctionName = 'durableHarnessClient';
const taskHubName = 'exportrailtest';
let capturedClient: df.DurableClient | undefined;

app.http(clientFunctionName, {
  methods: ['GET'],
  route: 'durable-harness-client',
  extraInputs: [df.input.durableClient()],
  handler: (_request, context) => {
    capturedClient = df.getClient(context);
    return Promise.resolve({ status: 204 });
  },
});

export interface LogEntry {
  level: LogLevel;
  message: string;
}

export interface DurableHarness {
  runtime: LocalDurableRuntime;
  clock: ManualClock;
  client: df.DurableClient;
  logs: LogEntry[];
  /** Waits until no episode or activity is running (pending timers stay pending). */
  settle(): Promise<void>;
  /** Fires pending timers one due time after another, settling in between, until none is left. */
  fireAllTimers(): Promise<void>;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The test server has no TCP address.');
  return address.port;
}

async function obtainClient(
  runtime: LocalDurableRuntime,
  baseUrl: string,
  log: LogSink,
  clientUrl: string,
): Promise<df.DurableClient> {
  const fn = registeredFunctions().get(clientFunctionName);
  if (!fn) throw new Error(`${clientFunctionName} was not registered.`);
  capturedClient = undefined;
  await invokeFunction(
    fn,
    {
      trigger: {
        http: {
          method: 'GET',
          url: `${baseUrl}/api/durable-harness-client`,
          headers: {},
          query: {},
          params: {},
        },
      },
      extraInputsByType: {
        durableClient:
          clientUrl === baseUrl
            ? runtime.clientBindingData()
            : { string: JSON.stringify(clientBindingData(clientUrl, taskHubName)) },
      },
    },
    log,
  );
  if (!capturedClient) throw new Error('The client function did not run.');
  return capturedClient;
}

export interface HarnessOptions {
  /**
   * Where the client reaches the runtime's HTTP API, given the runtime's own address: e.g. a
   * fault proxy in front of it, to make a start fail at the wire. The runtime itself by default.
   */
  clientUrl?: (runtimeUrl: string) => Promise<string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<DurableHarness> {
  const logs: LogEntry[] = [];
  const log: LogSink = (level, _category, message) => logs.push({ level, message });
  const clock = new ManualClock(new Date('2025-03-01T08:00:00.000Z'));
  const server = http.createServer((req, res) => {
    void (async () => {
      // Requests only arrive once the client exists, after `runtime` below is set.
      if (await runtime.handleHttp(req, res)) return;
      res.writeHead(404).end();
    })();
  });
  const baseUrl = `http://127.0.0.1:${await listen(server)}`;
  const runtime = new LocalDurableRuntime({
    functions: registeredFunctions(),
    log,
    baseUrl,
    taskHubName,
    clock,
  });
  const client = await obtainClient(runtime, baseUrl, log, (await options.clientUrl?.(baseUrl)) ?? baseUrl);

  return {
    runtime,
    clock,
    client,
    logs,
    settle: () => runtime.whenIdle(),
    fireAllTimers: async () => {
      await runtime.whenIdle();
      while (clock.advanceToNext()) await runtime.whenIdle();
    },
    close: async () => {
      await runtime.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** A request as an HTTP-triggered function would receive it, for createCheckStatusResponse. */
export function incomingRequest(url: string): HttpRequest {
  return new HttpRequest({ method: 'POST', url });
}

/** The history events of one type, for assertions on what the runtime recorded. */
export function eventsOfType<T extends HistoryEvent['EventType']>(
  history: readonly HistoryEvent[] | undefined,
  type: T,
): Extract<HistoryEvent, { EventType: T }>[] {
  return (history ?? []).filter((e): e is Extract<HistoryEvent, { EventType: T }> => e.EventType === type);
}

/** A promise with its resolve function, to hold an activity until the test lets it go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
