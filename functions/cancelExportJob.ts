import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { authenticated, json } from '../shared/http/endpoint';
import { jobView } from '../shared/http/jobResponses';
import { httpTrigger } from '../shared/http/contract/operations';

/** POST /api/v1/export-jobs/{job_id}/cancel — stops the job, marks it cancelled, discards its parts. */
export const cancelExportJob = authenticated(
  ['job_id'],
  async ({ caller, params, services, orchestration }) => {
    const control = orchestration();
    const job = await services.exportJobs.cancel(caller, params.job_id, () =>
      control.terminateIfRunning(params.job_id, 'cancelled by the user'),
    );
    return json(200, jobView(job));
  },
);

app.http('cancelExportJob', {
  ...httpTrigger('cancelExportJob'),
  extraInputs: [df.input.durableClient()],
  handler: cancelExportJob,
});
