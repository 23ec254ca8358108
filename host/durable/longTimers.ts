/**
 * Durable timers longer than the storage provider allows are split into segments. The extension
 * bounds them with two durations of its storage provider (Azure Storage: `MaximumDelayTime` 6
 * days, `LongRunningTimerIntervalLength` 3 days), sends both to the library
 * (`maximumShortTimerDuration`, `longRunningTimerIntervalDuration`), and then creates the segments
 * itself (`DurableOrchestrationContext.CreateTimer`). The library numbers the segments on its
 * side (`LongTimerTask`): both add one while the final time is still ahead, so the ids agree even
 * though they would place the segments differently. This runtime places them as the extension does.
 */

/** The two bounds, in milliseconds (`DURABLE_MAX_TIMER_INTERVAL_SECONDS`, `DURABLE_LONG_TIMER_INTERVAL_SECONDS`). */
export interface TimerBounds {
  /** The longest single timer; a longer one is split. */
  readonly maxTimerIntervalMs: number;
  /** The length of each segment of a split timer. */
  readonly longTimerIntervalMs: number;
}

/** A duration as .NET prints a TimeSpan (`d.hh:mm:ss[.fffffff]`), which the library parses with moment. */
export function timeSpanText(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const rest = new Date(ms % 86_400_000).toISOString().slice(11, 23); // hh:mm:ss.fff
  const time = rest.endsWith('.000') ? rest.slice(0, -4) : rest;
  return days > 0 ? `${days}.${time}` : time;
}

/** Whether a timer created at `now` is split (the extension and the library decide alike). */
export function isLongTimer(bounds: TimerBounds, fireAt: Date, now: Date): boolean {
  return fireAt.getTime() - now.getTime() > bounds.maxTimerIntervalMs;
}

/** When a timer created at `now` first fires: its own time, or the end of its first segment. */
export function firstSegmentFireAt(bounds: TimerBounds, fireAt: Date, now: Date): Date {
  return isLongTimer(bounds, fireAt, now) ? new Date(now.getTime() + bounds.longTimerIntervalMs) : fireAt;
}

/**
 * When the next segment of a split timer fires, once a segment fired at orchestration time `now`;
 * undefined when the timer is done. As the extension's loop: another full segment unless less
 * than one remains, then the rest.
 */
export function nextSegmentFireAt(bounds: TimerBounds, finalFireAt: Date, now: Date): Date | undefined {
  const remaining = finalFireAt.getTime() - now.getTime();
  if (remaining <= 0) return undefined;
  return remaining < bounds.longTimerIntervalMs
    ? finalFireAt
    : new Date(now.getTime() + bounds.longTimerIntervalMs);
}
