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
 * History as the extension's status query shows it (`DurableClient.GetDurableOrchestrationStatusAsync`):
 * event types by name; OrchestratorStarted/Completed left out; a TaskScheduled folded into its
 * TaskCompleted/TaskFailed (which gain `FunctionName` and `ScheduledTime`, and lose the id), one
 * still pending kept; ExecutionStarted's `Name` as `FunctionName`; no `EventId`, `IsPlayed` or
 * TimerFired `TimerId`. Results only with `showHistoryOutput`, inputs unless `showInput` is false.
 */
export function describeHistory(
  history: readonly HistoryEvent[],
  options: { showHistoryOutput: boolean; showInput: boolean },
): Record<string, unknown>[] {
  const scheduled = new Map<number, TaskScheduledEvent>();
  for (const event of history)
    if (event.EventType === HistoryEventType.TaskScheduled) scheduled.set(event.EventId, event);
  const folded = new Set<number>();
  for (const event of history) {
    if (
      event.EventType === HistoryEventType.TaskCompleted ||
      event.EventType === HistoryEventType.TaskFailed
    ) {
      if (scheduled.has(event.TaskScheduledId)) folded.add(event.TaskScheduledId);
    }
  }
  const shown: Record<string, unknown>[] = [];
  for (const event of history) {
    if (event.EventType === HistoryEventType.OrchestratorStarted) continue;
    if (event.EventType === HistoryEventType.OrchestratorCompleted) continue;
    if (event.EventType === HistoryEventType.TaskScheduled && folded.has(event.EventId)) continue;
    const item: Record<string, unknown> = {
      ...event,
      EventType: typeNames.get(event.EventType) ?? event.EventType,
    };
    delete item.EventId;
    delete item.IsPlayed;
    switch (event.EventType) {
      case HistoryEventType.ExecutionStarted:
        delete item.Name;
        delete item.Version;
        item.FunctionName = event.Name;
        break;
      case HistoryEventType.TaskScheduled:
        delete item.Version;
        break;
      case HistoryEventType.TaskCompleted:
      case HistoryEventType.TaskFailed: {
        const task = scheduled.get(event.TaskScheduledId);
        delete item.TaskScheduledId;
        if (task) {
          item.ScheduledTime = task.Timestamp;
          item.FunctionName = task.Name;
          if (options.showInput) item.Input = task.Input;
        }
        break;
      }
      case HistoryEventType.TimerFired:
        delete item.TimerId;
        break;
    }
    if (!options.showHistoryOutput && event.EventType !== HistoryEventType.TaskFailed) delete item.Result;
    if (!options.showInput) delete item.Input;
    shown.push(item);
  }
  return shown;
}
