import type { HttpResponseInit } from '@azure/functions';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { notFound } from '../../core/errors';

/**
 * The API docs page: Swagger UI from the swagger-ui-dist package, served by the app itself (no
 * CDN), reading the served document. No inline script, so the page keeps a strict CSP.
 */

const docsPath = '/api/docs';
const documentPath = '/api/v1/openapi.json';

/** Our start-up script, served like the package's files; the package's own points at a demo API. */
const initializer = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(documentPath)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

const page = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>exportrail API</title>
    <link rel="stylesheet" type="text/css" href="${docsPath}/swagger-ui.css" />
    <link rel="stylesheet" type="text/css" href="${docsPath}/index.css" />
    <link rel="icon" type="image/png" href="${docsPath}/favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${docsPath}/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="${docsPath}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="${docsPath}/initializer.js" charset="UTF-8"></script>
  </body>
</html>
`;

/** The package files the page uses, and nothing else of the package (no path is taken from the request). */
const packageAssets: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// Swagger UI sets style attributes and renders schema images as data: URLs; scripts are ours only.
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const packageDir = () => path.dirname(require.resolve('swagger-ui-dist/package.json'));

export function docsPage(): HttpResponseInit {
  return {
    status: 200,
    body: page,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy,
      'cache-control': 'no-cache',
    },
  };
}

/** One of the page's assets by file name; any other name answers 404. */
export async function docsAsset(file: string): Promise<HttpResponseInit> {
  const headers = { 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' };
  if (file === 'initializer.js') {
    return {
      status: 200,
      body: initializer,
      headers: { ...headers, 'content-type': 'text/javascript; charset=utf-8' },
    };
  }
  const contentType = Object.prototype.hasOwnProperty.call(packageAssets, file)
    ? packageAssets[file]
    : undefined;
  if (!contentType) throw notFound(`The docs asset "${file}"`);
  const bytes = await readFile(path.join(packageDir(), file));
  return { status: 200, body: bytes, headers: { ...headers, 'content-type': contentType } };
}
