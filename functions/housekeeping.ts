import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { instanceHistory } from '../shared/adapters/durable';
import { logEvent } from '../shared/core/log';
import { services } from '../shared/services';
import { purgeExpiredInstances } from '../shared/services/housekeeping';

/** Timer: purges finished orchestration instances older than the retention. */
export async function housekeeping(_timer: Timer, context: InvocationContext): Promise<void> {
  const outcome = await purgeExpiredInstances(
    instanceHistory(df.getClient(context)),
    new Date(),
    services().config.limits.instanceRetentionDays,
  );
  logEvent(context, 'info', 'housekeeping_purged_instances', { ...outcome });
}

app.timer('housekeeping', {
  schedule: '%HOUSEKEEPING_CRON%',
  extraInputs: [df.input.durableClient()],
  handler: housekeeping,
});
