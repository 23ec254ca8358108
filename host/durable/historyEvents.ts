import {
  HistoryEventType,
  type EventRaisedEvent,
  type ExecutionCompletedEvent,
  type ExecutionStartedEvent,
  type ExecutionTerminatedEvent,
  type HistoryEvent,
  type OrchestratorCompletedEvent,
  type OrchestratorStartedEvent,
  type TaskCompletedEvent,
  type TaskFailedEvent,
  type TaskScheduledEvent,
  type TimerCreatedEvent,
  type TimerFiredEvent,
} from './protocol';

/** Builders for history events; `IsPlayed` is decided when the history is sent (see `forReplay`). */

const noId = -1;

function base(at: Date): { EventId: number; IsPlayed: boolean; Timestamp: string } {
  return { EventId: noId, IsPlayed: false, Timestamp: at.toISOString() };
}

export function orchestratorStarted(at: Date): OrchestratorStartedEvent {
  return { ...base(at), EventType: HistoryEventType.OrchestratorStarted };
}

export function orchestratorCompleted(at: Date): OrchestratorCompletedEvent {
  return { ...base(at), EventType: HistoryEventType.OrchestratorCompleted };
}

export function executionStarted(
  at: Date,
  name: string,
  input: string | null,
  version: string,
): ExecutionStartedEvent {
  return {
    ...base(at),
    EventType: HistoryEventType.ExecutionStarted,
    Name: name,
    Input: input,
    Version: version,
  };
}

export function executionCompleted(
  at: Date,
  status: ExecutionCompletedEvent['OrchestrationStatus'],
  result: string | null,
): ExecutionCompletedEvent {
  return {
    ...base(at),
    EventType: HistoryEventType.ExecutionCompleted,
    OrchestrationStatus: status,
    Result: result,
  };
}

export function executionTerminated(at: Date, reason: string | null): ExecutionTerminatedEvent {
  return { ...base(at), EventType: HistoryEventType.ExecutionTerminated, Input: reason };
}

export function taskScheduled(at: Date, id: number, name: string, input: string): TaskScheduledEvent {
  return { ...base(at), EventId: id, EventType: HistoryEventType.TaskScheduled, Name: name, Input: input };
}

export function taskCompleted(at: Date, taskId: number, result: string): TaskCompletedEvent {
  return { ...base(at), EventType: HistoryEventType.TaskCompleted, TaskScheduledId: taskId, Result: result };
}

export function taskFailed(at: Date, taskId: number, reason: string, details: string): TaskFailedEvent {
  return {
    ...base(at),
    EventType: HistoryEventType.TaskFailed,
    TaskScheduledId: taskId,
    Reason: reason,
    Details: details,
  };
}

export function timerCreated(at: Date, id: number, fireAt: Date): TimerCreatedEvent {
  return { ...base(at), EventId: id, EventType: HistoryEventType.TimerCreated, FireAt: fireAt.toISOString() };
}

export function timerFired(at: Date, timerId: number, fireAt: Date): TimerFiredEvent {
  return {
    ...base(at),
    EventType: HistoryEventType.TimerFired,
    TimerId: timerId,
    FireAt: fireAt.toISOString(),
  };
}

export function eventRaised(at: Date, name: string, input: string | null): EventRaisedEvent {
  return { ...base(at), EventType: HistoryEventType.EventRaised, Name: name, Input: input };
}

/**
 * The history as the orchestrator receives it: events before the last OrchestratorStarted were
 * seen by an earlier episode (`IsPlayed`), which is how the library computes `isReplaying`.
 */
export function forReplay(history: readonly HistoryEvent[]): HistoryEvent[] {
  let lastStarted = -1;
  history.forEach((event, index) => {
    if (event.EventType === HistoryEventType.OrchestratorStarted) lastStarted = index;
  });
  return history.map((event, index) => ({ ...event, IsPlayed: index < lastStarted }));
}

const typeNames = new Map<number, string>(
  Object.entries(HistoryEventType).map(([name, value]) => [value, name]),
);

/**
 * History as a status query shows it: event types by name; inputs and results only on request
 * (`showHistoryOutput`), as the extension does.
 */
export function describeHistory(
  history: readonly HistoryEvent[],
  withOutput: boolean,
): Record<string, unknown>[] {
  return history.map((event) => {
    const shown: Record<string, unknown> = {
      ...event,
      EventType: typeNames.get(event.EventType) ?? event.EventType,
    };
    delete shown.IsPlayed;
    if (!withOutput) {
      delete shown.Input;
      delete shown.Result;
      delete shown.Details;
    }
    return shown;
  });
}
