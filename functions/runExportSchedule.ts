import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationControl } from '../shared/adapters/durable';
import { authenticated, json } from '../shared/http/endpoint';
import { jobLinks } from '../shared/http/jobResponses';
import { readyServices } from '../shared/services';

/** POST /api/v1/export-schedules/{schedule_id}/run — runs the schedule now → 202 with the job. */
export const runExportSchedule = authenticated(async ({ caller, http, context }) => {
  const control = orchestrationControl(df.getClient(context));
  const job = await (
    await readyServices()
  ).schedules.runNow(caller, http.params.schedule_id ?? '', new Date(), control);
  return json(
    202,
    { job_id: job.job_id, status: job.status, links: jobLinks(job.job_id) },
    { location: jobLinks(job.job_id).self },
  );
});

app.http('runExportSchedule', {
  route: 'v1/export-schedules/{schedule_id}/run',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: runExportSchedule,
});
