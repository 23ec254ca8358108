import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { instanceHistory } from '../shared/adapters/durable';
import { logEvent } from '../shared/core/log';
import { readyServices } from '../shared/services';
import { purgeExpiredInstances } from '../shared/services/housekeeping';

/** Timer: purges finished orchestration instances older than the retention and expires old job files. */
export async function housekeeping(_timer: Timer, context: InvocationContext): Promise<void> {
  const services = await readyServices();
  const now = new Date();
  const outcome = await purgeExpiredInstances(
    instanceHistory(df.getClient(context)),
    now,
    services.config.limits.instanceRetentionDays,
  );
  logEvent(context, 'info', 'housekeeping_purged_instances', { ...outcome });
  const expired = await services.jobs.expireFiles(now);
  logEvent(context, 'info', 'housekeeping_expired_job_files', { expired });
}

app.timer('housekeeping', {
  schedule: '%HOUSEKEEPING_CRON%',
  extraInputs: [df.input.durableClient()],
  handler: housekeeping,
});
