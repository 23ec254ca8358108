/**
 * Durable timers longer than the storage provider allows are split into shorter ones. We pass the
 * library the same two settings the extension does; the library (`LongTimerTask`) and this runtime
 * must then agree on when another segment is needed, because each segment takes a sequence number.
 */

const dayMs = 24 * 60 * 60 * 1000;

/** Longest single timer, sent as `maximumShortTimerDuration`. */
export const maximumShortTimerDuration = '6.00:00:00';
export const maximumShortTimerMs = 6 * dayMs;

/** Length of each segment of a long timer, sent as `longRunningTimerIntervalDuration`. */
export const longRunningTimerIntervalDuration = '3.00:00:00';
export const longRunningTimerIntervalMs = 3 * dayMs;

/** Whether the library turns a timer created at `now` into a LongTimerTask. */
export function isLongTimer(fireAt: Date, now: Date): boolean {
  return fireAt.getTime() - now.getTime() > maximumShortTimerMs;
}

/**
 * When the next segment of a long timer fires, or undefined when the timer is done. Mirrors
 * `LongTimerTask`: a new segment while the final time is still ahead of the orchestration time.
 */
export function nextSegmentFireAt(finalFireAt: Date, now: Date): Date | undefined {
  if (finalFireAt.getTime() <= now.getTime()) return undefined;
  return isLongTimer(finalFireAt, now) ? new Date(now.getTime() + longRunningTimerIntervalMs) : finalFireAt;
}
