import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { instanceHistoryFor } from '../shared/app/compositionRoot';
import { timerJob } from '../shared/app/timerJob';

/** Timer: purges finished orchestration instances older than the retention and expires old job files. */
export const housekeeping = timerJob(({ services, context, now }) =>
  services.housekeep(instanceHistoryFor(context), context, now),
);

app.timer('housekeeping', {
  schedule: '%HOUSEKEEPING_CRON%',
  extraInputs: [df.input.durableClient()],
  handler: housekeeping,
});
