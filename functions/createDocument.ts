import { app } from '@azure/functions';
import { readNewDocument } from '../shared/http/documentInput';
import { toDocumentView } from '../shared/http/documentResponses';
import { authenticated, json } from '../shared/http/endpoint';
import { httpTrigger } from '../shared/http/contract/operations';

/**
 * POST /api/v1/docs — JSON `{file_name, document_type?, extracted_data}`, or a raw file body
 * (PDF, image, CSV, JSON, XLSX) with `?file_name=`; answers 201 with the document.
 */
export const createDocument = authenticated(async ({ caller, http, services }) => {
  const input = await readNewDocument(http, services.config.limits.maxUploadBytes);
  const document =
    input.kind === 'data'
      ? await services.documents.createFromData(caller, input)
      : await services.documents.createFromUpload(caller, input);
  return json(201, toDocumentView(document), { location: `/api/v1/docs/${document.document_id}` });
});

app.http('createDocument', { ...httpTrigger('createDocument'), handler: createDocument });
