import { openApiDocument } from '../../shared/http/contract/openapi';
import { contractViolation } from '../support/contract';
import { startHost, type RunningHost } from '../support/localHost';

/** The contract as a client gets it from the running host: the document and the docs page, without a principal. */

let host: RunningHost;
beforeAll(async () => {
  host = await startHost();
}, 90_000);
afterAll(() => host?.stop());

/** A request without a principal, checked against the contract like every API client call. */
async function get(path: string) {
  const response = await fetch(`${host.url}${path}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const violation = contractViolation('GET', `${host.url}${path}`, {
    status: response.status,
    headers: response.headers,
    bytes,
  });
  return { status: response.status, headers: response.headers, text: bytes.toString('utf8'), violation };
}

describe('the served contract', () => {
  it('answers the OpenAPI 3.1 document anonymously: the one generated from the code', async () => {
    const response = await get('/api/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.violation).toBeUndefined();
    expect(JSON.parse(response.text)).toEqual(openApiDocument());
  });

  it('serves the docs page from the app itself, its scripts pointing at the document', async () => {
    const page = await get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const scripts = [...page.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.map(([, , inline]) => inline?.trim())).toEqual(['', '', '']); // no inline script
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.every((a) => a.startsWith('/api/docs/'))).toBe(true); // nothing from a CDN
    for (const asset of assets) {
      const response = await get(asset);
      expect({ asset, status: response.status, violation: response.violation }).toEqual({
        asset,
        status: 200,
        violation: undefined,
      });
    }
    const initializer = await get('/api/docs/initializer.js');
    expect(initializer.text).toContain('url: "/api/v1/openapi.json"');
    const bundle = await get('/api/docs/swagger-ui-bundle.js');
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(bundle.text).toContain('SwaggerUIBundle');
  });

  it('answers 404 JSON for any other file name, the package’s other files included', async () => {
    for (const file of ['nope.js', 'package.json', 'oauth2-redirect.html', '..%2Fpackage.json']) {
      const response = await get(`/api/docs/${file}`);
      expect({ file, status: response.status }).toEqual({ file, status: 404 });
      expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});
