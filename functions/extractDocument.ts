import { app } from '@azure/functions';
import { toDocumentView } from '../shared/http/documentResponses';
import { authenticated, json } from '../shared/http/endpoint';
import { httpTrigger } from '../shared/http/contract/operations';

/** POST /api/v1/docs/{document_id}/extract — extracts the uploaded file's data and records it. */
export const extractDocument = authenticated(['document_id'], async ({ caller, params, services }) => {
  const document = await services.documents.extract(caller, params.document_id);
  return json(200, toDocumentView(document));
});

app.http('extractDocument', { ...httpTrigger('extractDocument'), handler: extractDocument });
