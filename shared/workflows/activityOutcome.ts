import type * as df from 'durable-functions';

/**
 * What an activity returns instead of throwing when its fault is permanent (see `isPermanent`):
 * Durable retries every thrown error, and retrying a too-large record or a refused AI request
 * only delays the same answer. The orchestrator turns it back into an error at once.
 */
export interface PermanentFailure {
  permanent_failure: { code: string; message: string };
}

export function permanentFailure(code: string, message: string): PermanentFailure {
  return { permanent_failure: { code, message } };
}

function isPermanentFailure(value: unknown): value is PermanentFailure {
  return typeof value === 'object' && value !== null && 'permanent_failure' in value;
}

/** The error an orchestrator sees for a permanent failure; its code reaches the workflow record. */
export class PermanentActivityError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentActivityError';
  }
}

/** Yields the activity's task and returns its result, throwing at once on a permanent failure. */
export function* outcomeOf<T>(task: df.Task): Generator<df.Task, T, unknown> {
  const result: unknown = yield task;
  if (isPermanentFailure(result)) {
    throw new PermanentActivityError(result.permanent_failure.code, result.permanent_failure.message);
  }
  return result as T;
}

/**
 * What a failed workflow tells the user: the fault's own message, without the runtime's
 * "Activity function 'x' failed:" prefix or the stack trace Durable appends (neither .NET nor
 * JavaScript stack traces belong in a record or a response).
 */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? message;
  return (
    firstLine.replace(/^(Activity|Orchestrator) function '[^']*' failed: /, '').trim() || 'The work failed.'
  );
}
