import type { LogSink, RegisteredFunction, RpcTypedData } from '../functionsCore';
import { invokeFunction } from '../invoke';

export type ActivityOutcome =
  /** `result` is JSON text, ready for TaskCompleted.Result. */
  { ok: true; result: string } | { ok: false; reason: string; details: string };

/**
 * The activity's return value as the extension stores it: JSON text of the value. A returned
 * string stays a string (the orchestrator gets exactly what the activity returned).
 */
export function resultAsJson(data: RpcTypedData | null | undefined): string {
  if (!data) return 'null';
  if (data.json !== undefined) return data.json;
  if (data.string !== undefined) return JSON.stringify(data.string);
  if (data.int !== undefined) return JSON.stringify(data.int);
  if (data.double !== undefined) return JSON.stringify(data.double);
  if (data.bytes !== undefined) return JSON.stringify(Buffer.from(data.bytes).toString('base64'));
  return 'null';
}

/** Runs an activity with its input (JSON text) through the library's invocation model. */
export async function invokeActivity(
  activity: RegisteredFunction | undefined,
  name: string,
  input: string,
  log: LogSink,
): Promise<ActivityOutcome> {
  if (!activity || activity.trigger.type !== 'activityTrigger') {
    const reason = `The activity function '${name}' doesn't exist, is disabled, or is not an activity function.`;
    return { ok: false, reason, details: '' };
  }
  try {
    // A string trigger is JSON-parsed by @azure/functions, so the activity receives the input value.
    const response = await invokeFunction(activity, { trigger: { string: input } }, log);
    return { ok: true, result: resultAsJson(response.returnValue) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const details = error instanceof Error ? (error.stack ?? message) : message;
    return { ok: false, reason: `Activity function '${name}' failed: ${message}`, details };
  }
}
