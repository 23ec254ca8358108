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

/** Longest reason recorded (a message is a sentence or two, never a dump). */
const reasonLimit = 500;

/** The runtime's own prefix: "Activity function 'x' failed: " (also "Orchestrator function..."). */
const runtimePrefix = /^(Activity|Orchestrator) function '[^']*' failed: /;

/**
 * How the Functions host reports a worker's failure to the Durable extension, which takes the
 * message from between the labels (`OutOfProcExceptionHelpers`).
 */
const hostFailure = /^Result: Failure\r?\nException: ([\s\S]*?)\r?\nStack:/;

/** A line of a JavaScript or .NET stack trace. */
const stackFrame = /^at\s/;

/** The library's marker before the orchestrator state it appends to a throwing orchestrator's message. */
const outOfProcData = '\n\n$OutOfProcData$:';

/**
 * What a failed workflow or job tells the user: the fault's own message, without the runtime's
 * "Activity function 'x' failed:" prefix, the host's "Result: Failure / Exception: / Stack:"
 * framing, the library's appended state, or any stack trace (neither .NET nor JavaScript stack
 * traces belong in a record or a response): the first line of what is left, bounded.
 * Only the first line is read, so a message is kept but nothing appended below it.
 */
export function failureReason(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let previous = ''; previous !== message;) {
    previous = message;
    message = message.trimStart().replace(runtimePrefix, '');
    message = hostFailure.exec(message)?.[1] ?? message;
    const data = message.indexOf(outOfProcData);
    if (data >= 0) message = message.slice(0, data);
  }
  // The first line that says something: blank lines and stack frames ("at f (file:1:2)") are not.
  const firstLine = message
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '' && !stackFrame.test(line));
  if (firstLine === undefined) return 'The work failed.';
  return firstLine.length > reasonLimit ? `${firstLine.slice(0, reasonLimit - 1)}…` : firstLine;
}
