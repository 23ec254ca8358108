import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationControl } from '../shared/adapters/durable';
import { authenticated, json } from '../shared/http/endpoint';
import { jobLinks, jobView } from '../shared/http/jobResponses';
import { readyServices } from '../shared/services';

/** POST /api/v1/export-jobs/{job_id}/resume — continues a failed job from its last completed batch. */
export const resumeExportJob = authenticated(async ({ caller, http, context }) => {
  const services = await readyServices();
  const job = await services.jobs.prepareResume(caller, http.params.job_id ?? '');
  await services.jobs.start(job, orchestrationControl(df.getClient(context)));
  return json(202, jobView(job), { location: jobLinks(job.job_id).self });
});

app.http('resumeExportJob', {
  route: 'v1/export-jobs/{job_id}/resume',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: resumeExportJob,
});
