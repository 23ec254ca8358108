import { app } from '@azure/functions';
import { authenticated, json, readQuery } from '../shared/http/endpoint';
import { historyEntry } from '../shared/http/exportResponses';
import { historyQuery } from '../shared/http/schemas';
import { httpTrigger } from '../shared/http/contract/operations';

/** GET /api/v1/exports/history?limit=&continuation=&status=&document_id= — the caller's workflows, newest first. */
export const exportHistory = authenticated(async ({ caller, http, services }) => {
  const query = readQuery(http, historyQuery);
  const page = await services.exportTracking.history(caller, query);
  return json(200, { items: page.items.map(historyEntry), continuation: page.continuation ?? null });
});

app.http('exportHistory', { ...httpTrigger('exportHistory'), handler: exportHistory });
