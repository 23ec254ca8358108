import { app } from '@azure/functions';
import { pageQuery } from '../shared/core/paging';
import { authenticated, json, readQuery } from '../shared/http/endpoint';
import { scheduleView } from '../shared/http/jobResponses';
import { httpTrigger } from '../shared/http/contract/operations';

/** GET /api/v1/export-schedules?limit=&continuation= — the caller's schedules. */
export const listExportSchedules = authenticated(async ({ caller, http, services }) => {
  const { limit, continuation } = readQuery(http, pageQuery);
  const page = await services.schedules.list(caller, limit, continuation);
  return json(200, { items: page.items.map(scheduleView), continuation: page.continuation ?? null });
});

app.http('listExportSchedules', { ...httpTrigger('listExportSchedules'), handler: listExportSchedules });
