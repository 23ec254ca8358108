/**
 * The out-of-proc orchestration protocol of durable-functions 3.x, as the Durable extension speaks
 * it: the history we send (PascalCase events) and the orchestrator state we get back.
 * Numbers mirror `lib/src/history/HistoryEventType.js` and `lib/src/actions/ActionType.js`.
 */

export const HistoryEventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
} as const;

interface EventBase {
  /** The sequence number for TaskScheduled / TimerCreated; -1 for everything else, as in DTFx. */
  EventId: number;
  /** Set when the event is sent: true for events an earlier episode already saw. */
  IsPlayed: boolean;
  Timestamp: string;
}

export interface OrchestratorStartedEvent extends EventBase {
  EventType: typeof HistoryEventType.OrchestratorStarted;
}
export interface OrchestratorCompletedEvent extends EventBase {
  EventType: typeof HistoryEventType.OrchestratorCompleted;
}
export interface ExecutionStartedEvent extends EventBase {
  EventType: typeof HistoryEventType.ExecutionStarted;
  Name: string;
  /** JSON text, or null when started without input. */
  Input: string | null;
  Version: string;
}
export interface ExecutionCompletedEvent extends EventBase {
  EventType: typeof HistoryEventType.ExecutionCompleted;
  OrchestrationStatus: 'Completed' | 'Failed' | 'ContinuedAsNew' | 'Terminated';
  Result: string | null;
}
export interface ExecutionTerminatedEvent extends EventBase {
  EventType: typeof HistoryEventType.ExecutionTerminated;
  Input: string | null;
}
export interface TaskScheduledEvent extends EventBase {
  EventType: typeof HistoryEventType.TaskScheduled;
  Name: string;
  Input: string;
}
export interface TaskCompletedEvent extends EventBase {
  EventType: typeof HistoryEventType.TaskCompleted;
  TaskScheduledId: number;
  /** Always valid JSON text: the library parses it unconditionally. */
  Result: string;
}
export interface TaskFailedEvent extends EventBase {
  EventType: typeof HistoryEventType.TaskFailed;
  TaskScheduledId: number;
  Reason: string;
  Details: string;
}
export interface TimerCreatedEvent extends EventBase {
  EventType: typeof HistoryEventType.TimerCreated;
  FireAt: string;
}
export interface TimerFiredEvent extends EventBase {
  EventType: typeof HistoryEventType.TimerFired;
  TimerId: number;
  FireAt: string;
}
export interface EventRaisedEvent extends EventBase {
  EventType: typeof HistoryEventType.EventRaised;
  Name: string;
  /** JSON text, or null when raised without data. */
  Input: string | null;
}

export type HistoryEvent =
  | OrchestratorStartedEvent
  | OrchestratorCompletedEvent
  | ExecutionStartedEvent
  | ExecutionCompletedEvent
  | ExecutionTerminatedEvent
  | TaskScheduledEvent
  | TaskCompletedEvent
  | TaskFailedEvent
  | TimerCreatedEvent
  | TimerFiredEvent
  | EventRaisedEvent;

/** Events that wake an orchestrator up: each one is delivered in an episode of its own. */
export type IncomingEvent =
  ExecutionStartedEvent | TaskCompletedEvent | TaskFailedEvent | TimerFiredEvent | EventRaisedEvent;

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

const actionTypeNames = new Map<number, string>(
  Object.entries(ActionType).map(([name, value]) => [value, name]),
);

/** `RetryOptions` as the library serialises it. */
export interface RetryPolicy {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/** One atomic action the orchestrator asked for (compound WhenAll/WhenAny are flattened away). */
export type OrchestratorAction =
  | { kind: 'CallActivity'; functionName: string; input: string }
  | { kind: 'CallActivityWithRetry'; functionName: string; input: string; retry: RetryPolicy }
  | { kind: 'CreateTimer'; fireAt: Date; isCanceled: boolean }
  | { kind: 'WaitForExternalEvent'; eventName: string }
  | { kind: 'ContinueAsNew'; input: string }
  | { kind: 'Unsupported'; typeName: string };

/** What one orchestrator episode returned. */
export interface OrchestratorState {
  isDone: boolean;
  /** Every action since the execution started, in the order the library numbered them. */
  actions: OrchestratorAction[];
  output: unknown;
  customStatus: unknown;
  /** Set when the orchestrator threw. */
  error?: string;
}

/** The orchestrator's answer did not have the shape the protocol promises. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Action inputs: the library JSON-encodes string inputs itself (`Utils.processInput`) and leaves
 * other values as they are, so a string already is JSON text and anything else still needs encoding.
 */
export function inputAsJson(input: unknown): string {
  if (typeof input === 'string') return input;
  return JSON.stringify(input ?? null);
}

function requireString(action: Record<string, unknown>, key: string): string {
  const value = action[key];
  if (typeof value !== 'string') throw new ProtocolError(`Action field "${key}" should be a string.`);
  return value;
}

function parseRetryPolicy(value: unknown): RetryPolicy {
  if (
    !isRecord(value) ||
    typeof value.firstRetryIntervalInMilliseconds !== 'number' ||
    typeof value.maxNumberOfAttempts !== 'number'
  ) {
    throw new ProtocolError('CallActivityWithRetry carries no valid retryOptions.');
  }
  const optional = (key: string): number | undefined => {
    const v = value[key];
    return typeof v === 'number' ? v : undefined;
  };
  return {
    firstRetryIntervalInMilliseconds: value.firstRetryIntervalInMilliseconds,
    maxNumberOfAttempts: value.maxNumberOfAttempts,
    backoffCoefficient: optional('backoffCoefficient'),
    maxRetryIntervalInMilliseconds: optional('maxRetryIntervalInMilliseconds'),
    retryTimeoutInMilliseconds: optional('retryTimeoutInMilliseconds'),
  };
}

/** Appends `raw` to `into`, compound actions depth-first: the order the library assigns sequence numbers. */
function flattenAction(raw: unknown, into: OrchestratorAction[]): void {
  if (!isRecord(raw) || typeof raw.actionType !== 'number')
    throw new ProtocolError('An action has no actionType.');
  switch (raw.actionType) {
    case ActionType.WhenAll:
    case ActionType.WhenAny: {
      if (!Array.isArray(raw.compoundActions))
        throw new ProtocolError('A compound action has no compoundActions.');
      for (const child of raw.compoundActions) flattenAction(child, into);
      return;
    }
    case ActionType.CallActivity:
      into.push({
        kind: 'CallActivity',
        functionName: requireString(raw, 'functionName'),
        input: inputAsJson(raw.input),
      });
      return;
    case ActionType.CallActivityWithRetry:
      into.push({
        kind: 'CallActivityWithRetry',
        functionName: requireString(raw, 'functionName'),
        input: inputAsJson(raw.input),
        retry: parseRetryPolicy(raw.retryOptions),
      });
      return;
    case ActionType.CreateTimer: {
      const fireAt = new Date(requireString(raw, 'fireAt'));
      if (Number.isNaN(fireAt.getTime())) throw new ProtocolError('CreateTimer has an invalid fireAt.');
      into.push({ kind: 'CreateTimer', fireAt, isCanceled: raw.isCanceled === true });
      return;
    }
    case ActionType.WaitForExternalEvent:
      into.push({ kind: 'WaitForExternalEvent', eventName: requireString(raw, 'externalEventName') });
      return;
    case ActionType.ContinueAsNew:
      into.push({ kind: 'ContinueAsNew', input: inputAsJson(raw.input) });
      return;
    default:
      into.push({
        kind: 'Unsupported',
        typeName: actionTypeNames.get(raw.actionType) ?? `#${raw.actionType}`,
      });
  }
}

/** Decodes the orchestrator's return value (`OrchestratorState` with schema V2+ actions: `[[...all]]`). */
export function parseOrchestratorState(value: unknown): OrchestratorState {
  if (!isRecord(value) || typeof value.isDone !== 'boolean' || !Array.isArray(value.actions)) {
    throw new ProtocolError(`The orchestrator returned no orchestrator state: ${JSON.stringify(value)}`);
  }
  const actions: OrchestratorAction[] = [];
  for (const group of value.actions) {
    if (!Array.isArray(group)) throw new ProtocolError('Orchestrator actions should be an array of arrays.');
    for (const action of group) flattenAction(action, actions);
  }
  return {
    isDone: value.isDone,
    actions,
    output: value.output,
    customStatus: value.customStatus,
    error: typeof value.error === 'string' ? value.error : undefined,
  };
}
