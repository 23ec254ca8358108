import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { logEvent } from '../core/log';
import { readyServices, type AppServices } from './compositionRoot';

/**
 * An activity as an orchestrator calls it: `yield recordStage(input).withRetry(retry)`. Typed by
 * its input, so neither the name nor the input's shape can be misspelt in the orchestrator.
 */
export type ActivityHandle<I> = (input: I) => df.RegisteredActivityTask;

/**
 * Registers an activity as a thin wrapper over a service call that logs its outcome with the
 * given custom dimensions (workflow or job id, hashed owner) for Application Insights, and
 * returns its handle. Errors are not caught: they fail the activity, so retry policies and
 * failed statuses work.
 */
export function registerActivity<I>(
  name: string,
  dimensions: (input: I) => Record<string, unknown>,
  run: (services: AppServices, input: I) => Promise<unknown>,
): ActivityHandle<I> {
  const registered = df.app.activity(name, {
    handler: async (input: I, context: InvocationContext) => {
      const result = await run(await readyServices(), input);
      logEvent(context, 'info', name, { ...dimensions(input), result });
      return result;
    },
  });
  return (input) => registered(input);
}
