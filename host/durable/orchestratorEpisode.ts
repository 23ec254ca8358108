import type { LogSink, RegisteredFunction } from '../functionsCore';
import { fromTypedData, invokeFunction } from '../invoke';
import { forReplay } from './historyEvents';
import { timeSpanText, type TimerBounds } from './longTimers';
import {
  HistoryEventType,
  parseOrchestratorState,
  type HistoryEvent,
  type OrchestratorState,
} from './protocol';

/** Marker the library puts between the error message and the orchestrator state when it throws. */
const outOfProcDataLabel = '\n\n$OutOfProcData$:';

export type EpisodeOutcome =
  | { kind: 'ran'; state: OrchestratorState }
  /** The orchestrator threw; `state` holds its actions when the library could report them. */
  | { kind: 'threw'; message: string; state?: OrchestratorState };

export interface EpisodeRequest {
  orchestrator: RegisteredFunction;
  instanceId: string;
  /** The execution's input as JSON text (null: none). */
  input: string | null;
  /** The whole history of this execution, ending with this episode's OrchestratorStarted and new event. */
  history: readonly HistoryEvent[];
  timers: TimerBounds;
  log: LogSink;
}

/**
 * Runs the orchestrator once over the full history, as the extension does for each new event:
 * the library replays everything and returns all the actions since the start.
 */
export async function runEpisode(request: EpisodeRequest): Promise<EpisodeOutcome> {
  const payload = {
    history: forReplay(request.history),
    input: request.input === null ? null : (JSON.parse(request.input) as unknown),
    instanceId: request.instanceId,
    isReplaying: request.history.some((e) => e.EventType === HistoryEventType.OrchestratorCompleted),
    parentInstanceId: null,
    // Schema V4: actions come back as [[...every action]], compound actions nested.
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 3,
    // As the extension sends them (TimeSpans): the library splits timers by the same bounds.
    longRunningTimerIntervalDuration: timeSpanText(request.timers.longTimerIntervalMs),
    maximumShortTimerDuration: timeSpanText(request.timers.maxTimerIntervalMs),
  };
  try {
    const response = await invokeFunction(
      request.orchestrator,
      { trigger: { string: JSON.stringify(payload) } },
      request.log,
    );
    return { kind: 'ran', state: parseOrchestratorState(fromTypedData(response.returnValue)) };
  } catch (error) {
    return describeThrow(error);
  }
}

/**
 * A throwing orchestrator surfaces as `OrchestrationFailureError`, whose message is
 * `<something> + label + JSON(state)`. In durable-functions 3.5 `<something>` is the literal
 * "false" (it is built from a boolean), so the real message is taken from `state.error`.
 */
function describeThrow(error: unknown): EpisodeOutcome {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf(outOfProcDataLabel);
  if (at < 0) return { kind: 'threw', message };
  try {
    const state = parseOrchestratorState(
      JSON.parse(message.slice(at + outOfProcDataLabel.length)) as unknown,
    );
    return { kind: 'threw', message: state.error ?? message.slice(0, at), state };
  } catch {
    return { kind: 'threw', message: message.slice(0, at) };
  }
}
