import { app } from '@azure/functions';
import { httpTrigger } from '../shared/http/contract/operations';
import { openApiDocument } from '../shared/http/contract/openapi';
import { anonymous, json } from '../shared/http/endpoint';

/** GET /api/v1/openapi.json — the API's OpenAPI 3.1 document, generated from its schemas. No principal needed. */
export const openApi = anonymous(() =>
  Promise.resolve(json(200, openApiDocument(), { 'cache-control': 'no-cache' })),
);

app.http('openApiDocument', { ...httpTrigger('openApiDocument'), handler: openApi });
