import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { authenticated, json } from '../shared/http/endpoint';
import { jobLinks } from '../shared/http/jobResponses';
import type { JobAcceptedResponse } from '../shared/http/schemas';
import { httpTrigger } from '../shared/http/contract/operations';

/** POST /api/v1/export-schedules/{schedule_id}/run — runs the schedule now → 202 with the job. */
export const runExportSchedule = authenticated(
  ['schedule_id'],
  async ({ caller, params, services, orchestration }) => {
    const job = await services.schedules.runNow(caller, params.schedule_id, new Date(), orchestration());
    const links = jobLinks(job.job_id);
    return json(202, { job_id: job.job_id, status: job.status, links } satisfies JobAcceptedResponse, {
      location: links.self,
    });
  },
);

app.http('runExportSchedule', {
  ...httpTrigger('runExportSchedule'),
  extraInputs: [df.input.durableClient()],
  handler: runExportSchedule,
});
