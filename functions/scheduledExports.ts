import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { timerJob } from '../shared/app/timerJob';

/** Timer: starts the scheduled exports that are due (each slot once; a missed slot once). */
export const scheduledExports = timerJob(async ({ services, orchestration, context, now }) => {
  await services.schedules.runDue(now, orchestration(), context);
});

app.timer('scheduledExports', {
  schedule: '%SCHEDULED_EXPORTS_CRON%',
  extraInputs: [df.input.durableClient()],
  handler: scheduledExports,
});
