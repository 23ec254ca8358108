import { app } from '@azure/functions';
import { toDocumentView } from '../shared/http/documentResponses';
import { authenticated, json } from '../shared/http/endpoint';
import { httpTrigger } from '../shared/http/contract/operations';

/** GET /api/v1/docs/{document_id} — one of the caller's documents. */
export const getDocument = authenticated(['document_id'], async ({ caller, params, services }) => {
  const document = await services.documents.get(caller, params.document_id);
  return json(200, toDocumentView(document));
});

app.http('getDocument', { ...httpTrigger('getDocument'), handler: getDocument });
