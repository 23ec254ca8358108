import { app } from '@azure/functions';
import { readNewDocument } from '../shared/http/documentInput';
import { authenticated, json } from '../shared/http/endpoint';
import { readyServices } from '../shared/services';
import { toDocumentView } from '../shared/services/documents';

/**
 * POST /api/v1/docs — JSON `{file_name, document_type?, extracted_data}`, or a raw file body
 * (PDF, image, CSV, JSON, XLSX) with `?file_name=`; answers 201 with the document.
 */
export const createDocument = authenticated(async ({ caller, http }) => {
  const services = await readyServices();
  const input = await readNewDocument(http, services.config.limits.maxUploadBytes);
  const document =
    input.kind === 'data'
      ? await services.documents.createFromData(caller, input)
      : await services.documents.createFromUpload(caller, input);
  return json(201, toDocumentView(document), { location: `/api/v1/docs/${document.document_id}` });
});

app.http('createDocument', { route: 'v1/docs', methods: ['POST'], handler: createDocument });
