import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationControl } from '../shared/adapters/durable';
import { authenticated, json } from '../shared/http/endpoint';
import { jobView } from '../shared/http/jobResponses';
import { readyServices } from '../shared/services';

/** POST /api/v1/export-jobs/{job_id}/cancel — stops the job, marks it cancelled, discards its parts. */
export const cancelExportJob = authenticated(async ({ caller, http, context }) => {
  const jobId = http.params.job_id ?? '';
  const control = orchestrationControl(df.getClient(context));
  const job = await (
    await readyServices()
  ).jobs.cancel(caller, jobId, () => control.terminateIfRunning(jobId, 'cancelled by the user'));
  return json(200, jobView(job));
});

app.http('cancelExportJob', {
  route: 'v1/export-jobs/{job_id}/cancel',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: cancelExportJob,
});
