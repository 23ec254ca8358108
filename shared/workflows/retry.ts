import * as df from 'durable-functions';

/**
 * Three attempts, 2 s then 4 s apart: rides out a throttled dependency without hiding a real
 * failure. Every workflow's activities use it, so a change lands everywhere at once. The longest
 * wait is stated: left unset, the Durable extension (once a maximum timer interval is set on its
 * Azure Storage provider) schedules nothing and the instance stalls, Running, before its first
 * activity (docs/ARCHITECTURE.md, the engine bridge).
 */
export function activityRetry(): df.RetryOptions {
  const retry = new df.RetryOptions(2000, 3);
  retry.backoffCoefficient = 2;
  retry.maxRetryIntervalInMilliseconds = 4000;
  return retry;
}
