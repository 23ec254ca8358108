import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationControl } from '../shared/adapters/durable';
import { jobRequestSchema } from '../shared/domain/jobs';
import { authenticated, json, readJson } from '../shared/http/endpoint';
import { jobLinks } from '../shared/http/jobResponses';
import { readyServices } from '../shared/services';

/** POST /api/v1/export-jobs — records a bulk export job and starts it → 202 with its status link. */
export const createExportJob = authenticated(async ({ caller, http, context }) => {
  const request = await readJson(http, jobRequestSchema);
  const services = await readyServices();
  const job = await services.jobs.create(caller, request, { now: new Date() });
  await services.jobs.start(job, orchestrationControl(df.getClient(context)));
  const links = jobLinks(job.job_id);
  return json(202, { job_id: job.job_id, status: job.status, links }, { location: links.self });
});

app.http('createExportJob', {
  route: 'v1/export-jobs',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: createExportJob,
});
