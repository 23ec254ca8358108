import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { logEvent } from './core/log';
import { readyServices, type Services } from './services';

/**
 * Registers an activity as a thin wrapper over a service call that logs its outcome with the
 * given custom dimensions (workflow or job id, hashed owner) for Application Insights. Errors are
 * not caught: they fail the activity, so retry policies and failed statuses work.
 */
export function registerActivity<I>(
  name: string,
  dimensions: (input: I) => Record<string, unknown>,
  run: (services: Services, input: I) => Promise<unknown>,
): void {
  df.app.activity(name, {
    handler: async (input: I, context: InvocationContext) => {
      const result = await run(await readyServices(), input);
      logEvent(context, 'info', name, { ...dimensions(input), result });
      return result;
    },
  });
}
