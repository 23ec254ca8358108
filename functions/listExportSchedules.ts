import { app } from '@azure/functions';
import { pageQuery } from '../shared/core/paging';
import { authenticated, json, readQuery } from '../shared/http/endpoint';
import { scheduleView } from '../shared/http/jobResponses';
import { readyServices } from '../shared/services';

/** GET /api/v1/export-schedules?limit=&continuation= — the caller's schedules. */
export const listExportSchedules = authenticated(async ({ caller, http }) => {
  const { limit, continuation } = readQuery(http, pageQuery);
  const page = await (await readyServices()).schedules.list(caller, limit, continuation);
  return json(200, { items: page.items.map(scheduleView), continuation: page.continuation ?? null });
});

app.http('listExportSchedules', {
  route: 'v1/export-schedules',
  methods: ['GET'],
  handler: listExportSchedules,
});
