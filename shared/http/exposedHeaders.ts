/**
 * Response headers the API documents, which a page on another origin could not read unless they
 * are exposed. Every answer names them: Azure's CORS (App Service) allows origins but cannot
 * expose headers, so the app says it itself; the local host adds the same list.
 */
export const exposedResponseHeaders = [
  'content-disposition',
  'location',
  'retry-after',
  'x-export-workflow-id',
  'x-content-sha256',
  'x-export-warnings',
  'x-request-id',
] as const;
