import type { CancelScheduled } from './clock';
import { taskScheduled, timerCreated } from './historyEvents';
import { firstSegmentFireAt, isLongTimer, nextSegmentFireAt, type TimerBounds } from './longTimers';
import type { RecordedAction } from './nonDeterminism';
import { HistoryEventType, type HistoryEvent, type IncomingEvent, type OrchestratorAction } from './protocol';
import { hasAttemptLeft, retryDelayMs, retryTimedOut } from './retryPolicy';

/**
 * The bookkeeping of one execution: which sequence number stands for what, and the history
 * events the runtime adds after an episode. Sequence numbers must be the ones the library
 * assigns, since it matches completions by TaskScheduledId / TimerId: new actions take them in
 * the order they are listed (compound actions flattened), and after some events the library
 * takes more on its own (RetryableTask, LongTimerTask), before any new action of that episode.
 */

/** What a sequence number stands for. */
type WorkItem =
  | { kind: 'activity'; actionIndex: number; attempt: number }
  | { kind: 'retryTimer'; actionIndex: number; failedAttempt: number }
  | { kind: 'timer'; actionIndex: number };

interface ExecutionAction extends RecordedAction {
  /** When the first attempt of an activity was scheduled (retry timeouts count from there). */
  firstAttemptAt?: Date;
  /** For CreateTimer: whether the library made it a LongTimerTask (split into segments). */
  longTimer?: boolean;
  /**
   * For CreateTimer: the timer (or latest segment) still pending; undefined once the orchestrator
   * cancelled it, so a segment that fires after that starts no further one.
   */
  pendingTimerId?: number;
  /** For CreateTimer: how many segments (timers) it has taken so far. */
  segments?: number;
}

/** One execution of an instance; ContinueAsNew starts a fresh one. */
export interface Execution {
  /** JSON text (null: no input). */
  readonly input: string | null;
  /** How long timers are split (the storage provider's bounds). */
  readonly timerBounds: TimerBounds;
  readonly history: HistoryEvent[];
  /** Every action the orchestrator produced so far, in order: the reference replays must match. */
  readonly actions: ExecutionAction[];
  readonly workItems: Map<number, WorkItem>;
  /** Durable timers waiting on the clock, by TimerId. */
  readonly timers: Map<number, { fireAt: Date; cancel: CancelScheduled }>;
  nextSequenceId: number;
  /** Episode timestamps never go backwards (the library only moves currentUtcDateTime forward). */
  lastEpisodeAt: number;
}

export function newExecution(input: string | null, timerBounds: TimerBounds): Execution {
  return {
    input,
    timerBounds,
    history: [],
    actions: [],
    workItems: new Map(),
    timers: new Map(),
    nextSequenceId: 0,
    lastEpisodeAt: 0,
  };
}

/** What the runtime does for the execution; the functions here only decide and record. */
export interface ExecutionEffects {
  startActivity(taskId: number, name: string, input: string): void;
  startTimer(timerId: number, fireAt: Date): void;
  /** Fails a scheduled attempt without running it. */
  failUnrun(taskId: number, reason: string): void;
}

function takeSequenceId(execution: Execution, item: WorkItem): number {
  const id = execution.nextSequenceId++;
  execution.workItems.set(id, item);
  return id;
}

/**
 * What the extension does on its own after `event`, taking the next sequence numbers just as the
 * library does: a retry timer after every failed attempt (the last included), a new attempt when
 * that timer fires, and the next segment when a segment of a long timer fires.
 */
export function followUpEvent(
  execution: Execution,
  event: IncomingEvent,
  now: Date,
  effects: ExecutionEffects,
  decisions: HistoryEvent[],
): void {
  if (event.EventType === HistoryEventType.TaskFailed) {
    const item = execution.workItems.get(event.TaskScheduledId);
    const recorded = item && execution.actions[item.actionIndex];
    if (item?.kind !== 'activity' || recorded?.action.kind !== 'CallActivityWithRetry') return;
    const { retry } = recorded.action;
    // After the last attempt DTFx's RetryInterceptor still creates a timer, of zero length.
    const delay = hasAttemptLeft(retry, item.attempt)
      ? retryDelayMs(retry, item.attempt, recorded.firstAttemptAt ?? now, now)
      : 0;
    const fireAt = new Date(now.getTime() + delay);
    const timerId = takeSequenceId(execution, {
      kind: 'retryTimer',
      actionIndex: item.actionIndex,
      failedAttempt: item.attempt,
    });
    decisions.push(timerCreated(now, timerId, fireAt));
    effects.startTimer(timerId, fireAt);
    return;
  }
  if (event.EventType !== HistoryEventType.TimerFired) return;

  const item = execution.workItems.get(event.TimerId);
  const recorded = item && execution.actions[item.actionIndex];
  if (item?.kind === 'retryTimer' && recorded?.action.kind === 'CallActivityWithRetry') {
    const { functionName, input, retry } = recorded.action;
    if (!hasAttemptLeft(retry, item.failedAttempt)) return; // the library fails the task now
    const attempt = item.failedAttempt + 1;
    const taskId = takeSequenceId(execution, { kind: 'activity', actionIndex: item.actionIndex, attempt });
    decisions.push(taskScheduled(now, taskId, functionName, input));
    if (retryTimedOut(retry, recorded.firstAttemptAt ?? now, now)) {
      // The library knows nothing of retry timeouts and would wait forever: fail the attempt unrun.
      const timeout = retry.retryTimeoutInMilliseconds ?? 0;
      effects.failUnrun(
        taskId,
        `Activity function '${functionName}' not retried: its ${timeout} ms retry timeout has passed.`,
      );
    } else {
      effects.startActivity(taskId, functionName, input);
    }
  } else if (
    item?.kind === 'timer' &&
    recorded?.action.kind === 'CreateTimer' &&
    recorded.longTimer &&
    recorded.pendingTimerId === event.TimerId
  ) {
    const fireAt = nextSegmentFireAt(execution.timerBounds, recorded.action.fireAt, now);
    if (!fireAt) return;
    const timerId = takeSequenceId(execution, { kind: 'timer', actionIndex: item.actionIndex });
    decisions.push(timerCreated(now, timerId, fireAt));
    recorded.pendingTimerId = timerId;
    recorded.segments = (recorded.segments ?? 1) + 1;
    effects.startTimer(timerId, fireAt);
  }
}

/**
 * Takes note of the timers the orchestrator cancelled (`timer.cancel()` after Task.any). A durable
 * timer cannot be withdrawn: DTFx only stops waiting for it (TaskOrchestrationContext cancels the
 * task, not the timer message), so while the instance runs it still fires, its TimerFired is
 * recorded and the orchestration ignores it. The runtime leaves it on the clock likewise.
 *
 * Returns why the execution cannot go on, if it cannot: on the extension, a split timer cancelled
 * after its first segment fired breaks the replay. Its out-of-process shim replays the cancelled
 * timer as one segment, so every later sequence number lands one or more segments early, on a
 * recorded TimerCreated, and DTFx fails the orchestration as non-deterministic. Failing here too
 * keeps an orchestration that only works locally from passing its tests.
 */
export function applyCancellations(
  execution: Execution,
  replayed: readonly OrchestratorAction[],
): string | undefined {
  let fault: string | undefined;
  replayed.slice(0, execution.actions.length).forEach((action, index) => {
    const recorded = execution.actions[index];
    if (action.kind !== 'CreateTimer' || !action.isCanceled || recorded?.pendingTimerId === undefined) return;
    recorded.pendingTimerId = undefined;
    if ((recorded.segments ?? 1) > 1) {
      fault ??=
        `Non-deterministic workflow detected: the timer for ${action.fireAt.toISOString()} (sequence number ` +
        `${recorded.sequenceId}) was cancelled after ${(recorded.segments ?? 1) - 1} of its segments fired. The ` +
        `Durable extension replays a cancelled long timer as its first segment only, so the sequence numbers ` +
        `that follow no longer match the history. Keep each timer within the maximum timer interval ` +
        `(${execution.timerBounds.maxTimerIntervalMs} ms) and loop over them instead.`;
    }
  });
  return fault;
}

/** Records a new action and schedules it, taking the sequence number the library gave it. */
export function scheduleAction(
  execution: Execution,
  action: OrchestratorAction,
  now: Date,
  effects: ExecutionEffects,
  decisions: HistoryEvent[],
): void {
  const actionIndex = execution.actions.length;
  switch (action.kind) {
    case 'CallActivity':
    case 'CallActivityWithRetry': {
      const taskId = takeSequenceId(execution, { kind: 'activity', actionIndex, attempt: 1 });
      execution.actions.push({ action, sequenceId: taskId, firstAttemptAt: now });
      decisions.push(taskScheduled(now, taskId, action.functionName, action.input));
      effects.startActivity(taskId, action.functionName, action.input);
      return;
    }
    case 'CreateTimer': {
      // The library decides "long" when the timer is created, from the same orchestration time.
      const longTimer = isLongTimer(execution.timerBounds, action.fireAt, now);
      const fireAt = firstSegmentFireAt(execution.timerBounds, action.fireAt, now);
      const timerId = takeSequenceId(execution, { kind: 'timer', actionIndex });
      const pendingTimerId = action.isCanceled ? undefined : timerId;
      execution.actions.push({ action, sequenceId: timerId, longTimer, pendingTimerId, segments: 1 });
      decisions.push(timerCreated(now, timerId, fireAt));
      if (!action.isCanceled) effects.startTimer(timerId, fireAt);
      return;
    }
    case 'WaitForExternalEvent':
    case 'ContinueAsNew':
    case 'Unsupported':
      // No sequence number: events are matched by name, ContinueAsNew ends the execution.
      execution.actions.push({ action });
      return;
  }
}
