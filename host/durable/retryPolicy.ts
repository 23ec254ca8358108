import type { RetryPolicy } from './protocol';

/** The extension's defaults for what `RetryOptions` leaves unset. */
const defaultBackoffCoefficient = 1;
const defaultMaxRetryIntervalMs = 6 * 24 * 60 * 60 * 1000;

/**
 * How long to wait after attempt `failedAttempt` (1-based) failed before the next one, as DTFx's
 * RetryInterceptor computes it: `first * coefficient^(attempt-1)`, capped at the max interval.
 * Zero once the retry timeout (counted from the first attempt) has passed.
 *
 * The library waits for a retry timer after every failure, the last one included, so the caller
 * creates the timer even when no attempt is left.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  failedAttempt: number,
  firstAttemptAt: Date,
  now: Date,
): number {
  if (retryTimedOut(policy, firstAttemptAt, now)) return 0;
  const coefficient = policy.backoffCoefficient ?? defaultBackoffCoefficient;
  const delay = policy.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failedAttempt - 1);
  return Math.min(delay, policy.maxRetryIntervalInMilliseconds ?? defaultMaxRetryIntervalMs);
}

/** Whether the retry timeout has passed: later attempts then fail without running. */
export function retryTimedOut(policy: RetryPolicy, firstAttemptAt: Date, now: Date): boolean {
  const timeout = policy.retryTimeoutInMilliseconds;
  return timeout !== undefined && timeout > 0 && now.getTime() >= firstAttemptAt.getTime() + timeout;
}

/**
 * Whether the library reschedules after the retry timer of attempt `failedAttempt` fires
 * (`RetryableTask`: it gives up once the attempt number exceeds maxNumberOfAttempts).
 */
export function hasAttemptLeft(policy: RetryPolicy, failedAttempt: number): boolean {
  return failedAttempt < policy.maxNumberOfAttempts;
}
