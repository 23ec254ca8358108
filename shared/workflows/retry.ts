import * as df from 'durable-functions';

/**
 * Three attempts, 2 s then 4 s apart: rides out a throttled dependency without hiding a real
 * failure. Every workflow's activities use it, so a change lands everywhere at once.
 */
export function activityRetry(): df.RetryOptions {
  const retry = new df.RetryOptions(2000, 3);
  retry.backoffCoefficient = 2;
  return retry;
}
