import { app } from '@azure/functions';
import { docsAsset, docsPage } from '../shared/http/contract/docsPage';
import { httpTrigger } from '../shared/http/contract/operations';
import { anonymous } from '../shared/http/endpoint';

/** GET /api/docs — the API docs page (Swagger UI, served from the app). No principal needed. */
export const apiDocsPage = anonymous(() => Promise.resolve(docsPage()));

/** GET /api/docs/{file} — the page's scripts and styles. */
export const apiDocsAsset = anonymous(({ http }) => docsAsset(http.params.file ?? ''));

app.http('apiDocsPage', { ...httpTrigger('apiDocsPage'), handler: apiDocsPage });
app.http('apiDocsAsset', { ...httpTrigger('apiDocsAsset'), handler: apiDocsAsset });
