import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { isPermanent } from '../core/errors';
import { logEvent } from '../core/log';
import { permanentFailure } from '../workflows/activityOutcome';
import { readyServices, type AppServices } from './compositionRoot';

/**
 * An activity as an orchestrator calls it: `yield recordStage(input).withRetry(retry)`. Typed by
 * its input, so neither the name nor the input's shape can be misspelt in the orchestrator.
 */
export type ActivityHandle<I> = (input: I) => df.RegisteredActivityTask;

/**
 * Registers an activity as a thin wrapper over a service call that logs its outcome with the
 * given custom dimensions (workflow or job id, hashed owner) for Application Insights, and
 * returns its handle. Errors fail the activity, so retry policies and failed statuses work; a
 * permanent fault (bad input, too large, refused) is returned instead, so it is not retried
 * (`outcomeOf` in the orchestrator turns it back into an error).
 */
export function registerActivity<I>(
  name: string,
  dimensions: (input: I) => Record<string, unknown>,
  run: (services: AppServices, input: I) => Promise<unknown>,
): ActivityHandle<I> {
  const registered = df.app.activity(name, {
    handler: async (input: I, context: InvocationContext) => {
      try {
        const result = await run(await readyServices(), input);
        logEvent(context, 'info', name, { ...dimensions(input), result });
        return result;
      } catch (error) {
        if (!isPermanent(error)) throw error;
        logEvent(context, 'warn', name, {
          ...dimensions(input),
          error_code: error.code,
          error: error.message,
        });
        return permanentFailure(error.code, error.message);
      }
    },
  });
  return (input) => registered(input);
}
