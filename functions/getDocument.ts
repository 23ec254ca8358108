import { app } from '@azure/functions';
import { toDocumentView } from '../shared/http/documentResponses';
import { authenticated, json } from '../shared/http/endpoint';

/** GET /api/v1/docs/{document_id} — one of the caller's documents. */
export const getDocument = authenticated(['document_id'], async ({ caller, params, services }) => {
  const document = await services.documents.get(caller, params.document_id);
  return json(200, toDocumentView(document));
});

app.http('getDocument', { route: 'v1/docs/{document_id}', methods: ['GET'], handler: getDocument });
