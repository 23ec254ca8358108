import { createHash } from 'node:crypto';

type Level = 'info' | 'warn' | 'error';

/** The part of InvocationContext logging needs; domain code stays free of SDK types. */
export interface LogTarget {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/**
 * One structured log line: a JSON object `{event, ...dimensions}` (`export_workflow_id`, `job_id`,
 * `owner` — hashed, never the email itself). The Functions host records it as the `message` of a
 * trace in Application Insights; the operations workbook and alerts (infra/app/operations/) read
 * it with `parse_json(message)`, so a dimension they query must be logged here under that name.
 */
export function logEvent(
  target: LogTarget,
  level: Level,
  event: string,
  dimensions: Record<string, unknown> = {},
): void {
  target[level](JSON.stringify({ event, ...dimensions }));
}

/** A stable, non-reversible owner id for logs. */
export function hashOwner(email: string): string {
  return createHash('sha256').update(email).digest('hex').slice(0, 16);
}
