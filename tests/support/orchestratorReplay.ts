import * as df from 'durable-functions';
import { registeredFunctions } from '../../host/functionsCore';

/**
 * Orchestrators tested as functions, the way durable-functions tests its own: a synthetic history
 * in the extension's wire shape, replayed by the library's own orchestrator listener with its
 * `DummyOrchestrationContext`. No runtime and no emulator: what comes back is exactly what the
 * library would hand to the Durable extension.
 */

/** A history event as the extension sends it (PascalCase, `EventType` numbers from the library). */
export type HistoryEvent = Record<string, unknown> & { EventType: number; EventId: number };

const type = {
  ExecutionStarted: 0,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
} as const;

/** Builds a history episode by episode, with the ids the extension would give. */
export class History {
  readonly events: HistoryEvent[] = [];
  private clock: Date;

  constructor(
    readonly orchestration: string,
    start: Date,
    input: unknown,
  ) {
    this.clock = start;
    this.push(type.OrchestratorStarted, {});
    this.push(type.ExecutionStarted, { Name: orchestration, Input: JSON.stringify(input) });
  }

  /** The orchestrator's last episode ended; the next one starts `afterMs` later. */
  nextEpisode(afterMs = 1000): this {
    this.push(type.OrchestratorCompleted, {});
    this.clock = new Date(this.clock.getTime() + afterMs);
    this.push(type.OrchestratorStarted, {});
    return this;
  }

  now(): Date {
    return this.clock;
  }

  scheduled(taskId: number, name: string): this {
    return this.push(type.TaskScheduled, { Name: name }, taskId);
  }

  completed(taskId: number, result: unknown): this {
    return this.push(type.TaskCompleted, { TaskScheduledId: taskId, Result: JSON.stringify(result) });
  }

  failed(taskId: number, reason: string): this {
    return this.push(type.TaskFailed, { TaskScheduledId: taskId, Reason: reason, Details: reason });
  }

  timerCreated(timerId: number, fireAt: Date): this {
    return this.push(type.TimerCreated, { FireAt: fireAt.toISOString() }, timerId);
  }

  timerFired(timerId: number, fireAt: Date): this {
    return this.push(type.TimerFired, { TimerId: timerId, FireAt: fireAt.toISOString() });
  }

  eventRaised(name: string, input: unknown): this {
    return this.push(type.EventRaised, { Name: name, Input: JSON.stringify(input) });
  }

  private push(eventType: number, fields: Record<string, unknown>, eventId = -1): this {
    this.events.push({
      EventType: eventType,
      EventId: eventId,
      IsPlayed: false,
      Timestamp: this.clock.toISOString(),
      ...fields,
    });
    return this;
  }
}

/** An action the orchestrator asked for, flattened out of WhenAny/WhenAll. */
export interface Action {
  actionType: number;
  functionName?: string;
  input?: unknown;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  retryOptions?: { firstRetryIntervalInMilliseconds: number; maxNumberOfAttempts: number };
  compoundActions?: Action[];
}

export const actionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  WhenAny: 11,
  WhenAll: 12,
} as const;

export interface Replay {
  isDone: boolean;
  /** Every action since the start, in order, compound ones flattened after their parent. */
  actions: Action[];
  output?: unknown;
  customStatus?: unknown;
  /** Set when the orchestrator threw. */
  error?: string;
}

function flatten(actions: Action[]): Action[] {
  return actions.flatMap((a) => [a, ...flatten(a.compoundActions ?? [])]);
}

const outOfProcDataLabel = '\n\n$OutOfProcData$:';

/** Replays the registered orchestration over the history, as one episode of the extension would. */
export async function replay(history: History): Promise<Replay> {
  const orchestrator = registeredFunctions().get(history.orchestration);
  if (!orchestrator) throw new Error(`No orchestration named ${history.orchestration} is registered.`);
  const input = history.events.find((e) => e.EventType === type.ExecutionStarted)?.Input;
  const payload = {
    history: history.events,
    input: typeof input === 'string' ? (JSON.parse(input) as unknown) : undefined,
    instanceId: 'instance-under-test',
    isReplaying: false,
    parentInstanceId: null,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 3,
    longRunningTimerIntervalDuration: '3.00:00:00',
    maximumShortTimerDuration: '6.00:00:00',
  };
  type State = {
    isDone: boolean;
    actions: Action[][];
    output?: unknown;
    customStatus?: unknown;
    error?: string;
  };
  let state: State;
  try {
    state = (await orchestrator.callback(payload, new df.DummyOrchestrationContext())) as State;
  } catch (thrown) {
    // A throwing orchestrator reports its state after a marker, as the extension reads it.
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    const at = message.indexOf(outOfProcDataLabel);
    if (at < 0) throw thrown;
    state = JSON.parse(message.slice(at + outOfProcDataLabel.length)) as State;
  }
  return {
    isDone: state.isDone,
    actions: flatten(state.actions.flat()),
    output: state.output,
    customStatus: state.customStatus,
    error: state.error,
  };
}
