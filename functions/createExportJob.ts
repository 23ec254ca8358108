import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { jobRequestSchema } from '../shared/domain/jobs';
import { authenticated, json, readJson } from '../shared/http/endpoint';
import { jobLinks } from '../shared/http/jobResponses';
import type { JobAcceptedResponse } from '../shared/http/schemas';
import { httpTrigger } from '../shared/http/contract/operations';

/** POST /api/v1/export-jobs — records a bulk export job and starts it → 202 with its status link. */
export const createExportJob = authenticated(async ({ caller, http, services, orchestration }) => {
  const request = await readJson(http, jobRequestSchema);
  const job = await services.exportJobs.create(caller, request, { now: new Date() });
  await services.exportJobs.start(job, orchestration());
  const links = jobLinks(job.job_id);
  return json(202, { job_id: job.job_id, status: job.status, links } satisfies JobAcceptedResponse, {
    location: links.self,
  });
});

app.http('createExportJob', {
  ...httpTrigger('createExportJob'),
  extraInputs: [df.input.durableClient()],
  handler: createExportJob,
});
