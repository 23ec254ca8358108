import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationControl } from '../shared/adapters/durable';
import { readyServices } from '../shared/services';

/** Timer: starts the scheduled exports that are due (each slot once; a missed slot once). */
export async function scheduledExports(_timer: Timer, context: InvocationContext): Promise<void> {
  const services = await readyServices();
  await services.schedules.runDue(new Date(), orchestrationControl(df.getClient(context)), context);
}

app.timer('scheduledExports', {
  schedule: '%SCHEDULED_EXPORTS_CRON%',
  extraInputs: [df.input.durableClient()],
  handler: scheduledExports,
});
