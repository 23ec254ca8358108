import { app } from '@azure/functions';
import { authenticated, json } from '../shared/http/endpoint';
import { jobView } from '../shared/http/jobResponses';
import { httpTrigger } from '../shared/http/contract/operations';

/** GET /api/v1/export-jobs/{job_id} — status, progress per data type, batches, records, file. */
export const getExportJob = authenticated(['job_id'], async ({ caller, params, services }) => {
  const job = await services.exportJobs.get(caller, params.job_id);
  return json(200, jobView(job));
});

app.http('getExportJob', { ...httpTrigger('getExportJob'), handler: getExportJob });
