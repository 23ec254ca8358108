import { app } from '@azure/functions';
import { pageQuery } from '../shared/core/paging';
import { authenticated, json, readQuery } from '../shared/http/endpoint';
import { jobView } from '../shared/http/jobResponses';
import { httpTrigger } from '../shared/http/contract/operations';

/** GET /api/v1/export-jobs?limit=&continuation= — the caller's jobs, newest first. */
export const listExportJobs = authenticated(async ({ caller, http, services }) => {
  const { limit, continuation } = readQuery(http, pageQuery);
  const page = await services.exportJobs.list(caller, limit, continuation);
  return json(200, { items: page.items.map(jobView), continuation: page.continuation ?? null });
});

app.http('listExportJobs', { ...httpTrigger('listExportJobs'), handler: listExportJobs });
