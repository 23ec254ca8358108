import { app } from '@azure/functions';
import { pageQuery } from '../shared/core/paging';
import { toDocumentView } from '../shared/http/documentResponses';
import { authenticated, json, readQuery } from '../shared/http/endpoint';
import { httpTrigger } from '../shared/http/contract/operations';

/** GET /api/v1/docs?limit=&continuation= — the caller's documents, newest first. */
export const listDocuments = authenticated(async ({ caller, http, services }) => {
  const { limit, continuation } = readQuery(http, pageQuery);
  const page = await services.documents.list(caller, limit, continuation);
  return json(200, { items: page.items.map(toDocumentView), continuation: page.continuation ?? null });
});

app.http('listDocuments', { ...httpTrigger('listDocuments'), handler: listDocuments });
