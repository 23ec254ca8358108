import { app } from '@azure/functions';
import { authenticated, json } from '../shared/http/endpoint';
import { readyServices } from '../shared/services';
import { toDocumentView } from '../shared/services/documents';

/** GET /api/v1/docs/{document_id} — one of the caller's documents. */
export const getDocument = authenticated(async ({ caller, http }) => {
  const document = await (await readyServices()).documents.get(caller, http.params.document_id ?? '');
  return json(200, toDocumentView(document));
});

app.http('getDocument', { route: 'v1/docs/{document_id}', methods: ['GET'], handler: getDocument });
