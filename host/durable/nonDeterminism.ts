import type { OrchestratorAction } from './protocol';

/** An action this execution already recorded (and scheduled), with the sequence number it took. */
export interface RecordedAction {
  action: OrchestratorAction;
  /** The TaskScheduled / TimerCreated EventId it produced first; undefined for actions without one. */
  sequenceId?: number;
}

export interface Mismatch {
  position: number;
  expected: RecordedAction;
  actual?: OrchestratorAction;
}

/** What must not change between replays: the kind of action and what it targets. */
function signature(action: OrchestratorAction): string {
  switch (action.kind) {
    case 'CallActivity':
    case 'CallActivityWithRetry':
      return `${action.kind} '${action.functionName}'`;
    case 'WaitForExternalEvent':
      return `${action.kind} '${action.eventName}'`;
    case 'Unsupported':
      return action.typeName;
    case 'CreateTimer':
    case 'ContinueAsNew':
      return action.kind;
  }
}

/**
 * The library does not check determinism (the extension does): a replay must produce the actions
 * already in history, in the same order, before anything new. Returns the first difference.
 */
export function findMismatch(
  recorded: readonly RecordedAction[],
  replayed: readonly OrchestratorAction[],
): Mismatch | undefined {
  for (const [position, expected] of recorded.entries()) {
    const actual = replayed[position];
    if (!actual || signature(actual) !== signature(expected.action)) return { position, expected, actual };
  }
  return undefined;
}

/** A message that says which instance, where, and what differed. */
export function describeMismatch(orchestratorName: string, instanceId: string, mismatch: Mismatch): string {
  const where =
    mismatch.expected.sequenceId === undefined
      ? `action #${mismatch.position}`
      : `action #${mismatch.position} (sequence number ${mismatch.expected.sequenceId})`;
  const got = mismatch.actual ? signature(mismatch.actual) : 'no action at all';
  return (
    `Non-deterministic orchestrator '${orchestratorName}' (instance '${instanceId}'): at ${where} the history has ` +
    `${signature(mismatch.expected.action)} but this replay produced ${got}. An orchestrator must make the same ` +
    `calls in the same order on every replay: use context.df.currentUtcDateTime and context.df.newGuid, ` +
    `never Math.random, Date.now, I/O, environment or mutable module state.`
  );
}
