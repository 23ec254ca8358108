import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { authenticated, json } from '../shared/http/endpoint';
import { jobLinks, jobView } from '../shared/http/jobResponses';
import { httpTrigger } from '../shared/http/contract/operations';

/**
 * POST /api/v1/export-jobs/{job_id}/resume — continues a failed job from its last completed batch;
 * 409 `job_busy` while its orchestration is still ending.
 */
export const resumeExportJob = authenticated(
  ['job_id'],
  async ({ caller, params, services, orchestration }) => {
    const job = await services.exportJobs.resume(caller, params.job_id, orchestration());
    return json(202, jobView(job), { location: jobLinks(job.job_id).self });
  },
);

app.http('resumeExportJob', {
  ...httpTrigger('resumeExportJob'),
  extraInputs: [df.input.durableClient()],
  handler: resumeExportJob,
});
