import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationControl } from '../shared/adapters/durable';
import { authenticated, json } from '../shared/http/endpoint';
import { jobLinks, jobView } from '../shared/http/jobResponses';
import { readyServices } from '../shared/services';
import { bulkExportOrchestration } from '../shared/services/schedules';

/** POST /api/v1/export-jobs/{job_id}/resume — continues a failed job from its last completed batch. */
export const resumeExportJob = authenticated(async ({ caller, http, context }) => {
  const job = await (await readyServices()).jobs.prepareResume(caller, http.params.job_id ?? '');
  await orchestrationControl(df.getClient(context)).start(bulkExportOrchestration, job.job_id, {
    owner_email: job.owner_email,
    job_id: job.job_id,
  });
  return json(202, jobView(job), { location: jobLinks(job.job_id).self });
});

app.http('resumeExportJob', {
  route: 'v1/export-jobs/{job_id}/resume',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: resumeExportJob,
});
