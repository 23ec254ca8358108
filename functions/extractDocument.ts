import { app } from '@azure/functions';
import { authenticated, json } from '../shared/http/endpoint';
import { readyServices } from '../shared/services';
import { toDocumentView } from '../shared/services/documents';

/** POST /api/v1/docs/{document_id}/extract — extracts the uploaded file's data and records it. */
export const extractDocument = authenticated(async ({ caller, http }) => {
  const services = await readyServices();
  const document = await services.documents.extract(caller, http.params.document_id ?? '');
  return json(200, toDocumentView(document));
});

app.http('extractDocument', {
  route: 'v1/docs/{document_id}/extract',
  methods: ['POST'],
  handler: extractDocument,
});
