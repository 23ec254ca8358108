import { authHeaders } from '../support/principal';
import { startHost, startHostExpectingFailure, type RunningHost } from '../support/localHost';

/** The web app in development, on another loopback origin than the API. */
const webApp = 'http://127.0.0.1:5173';
let host: RunningHost;

beforeAll(async () => {
  host = await startHost({}, 60_000, ['--cors', `${webApp},http://localhost:5173`]);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

const preflight = (path: string, origin: string, method = 'POST') =>
  fetch(`${host.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'content-type, x-ms-client-principal',
    },
  });

const corsHeaders = (response: Response) =>
  [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('CORS on the local host (npm start -- --cors <origins>)', () => {
  it('when the web app preflights a POST, then 204 with the route methods, its headers and a max age', async () => {
    const response = await preflight('/api/v1/docs', webApp);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(webApp);
    expect(response.headers.get('access-control-allow-methods')?.split(', ').sort()).toEqual(['GET', 'POST']);
    expect(response.headers.get('access-control-allow-headers')).toMatch(
      /authorization.*content-type.*x-ms-client-principal/,
    );
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(await response.text()).toBe('');
  });

  it('when a page from an unlisted origin preflights, then the answer carries no CORS header', async () => {
    const response = await preflight('/api/v1/docs', 'http://127.0.0.1:5174');
    expect(response.status).toBe(204);
    expect(corsHeaders(response)).toEqual([]);
  });

  it('when the web app calls a route, then the answer is readable by it and exposes the API headers', async () => {
    const response = await fetch(`${host.url}/api/v1/docs?limit=5`, {
      headers: { origin: 'http://localhost:5173', ...authHeaders('cors.user@contoso.com') },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('vary')).toMatch(/origin/i);
    expect(response.headers.get('access-control-expose-headers')?.split(', ')).toEqual(
      expect.arrayContaining([
        'content-disposition',
        'location',
        'retry-after',
        'x-export-workflow-id',
        'x-content-sha256',
        'x-export-warnings',
        'x-request-id',
      ]),
    );
  });

  it('when an API error answers the web app, then it carries the CORS headers too, so the page reads the JSON', async () => {
    const response = await fetch(`${host.url}/api/v1/docs`, { headers: { origin: webApp } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(webApp);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('when an unlisted origin calls a route, then the answer grants it nothing', async () => {
    const response = await fetch(`${host.url}/api/v1/health`, { headers: { origin: 'http://evil.example' } });
    expect(response.status).toBe(200);
    // Only the app's own expose list, which grants no origin anything (see the next test).
    expect(corsHeaders(response)).toEqual(['access-control-expose-headers']);
  });

  it('when any answer leaves the app, then it names the headers to expose itself, as Azure CORS cannot', async () => {
    // In Azure, App Service answers preflights and Allow-Origin but has no exposed-headers setting.
    const response = await fetch(`${host.url}/api/v1/docs`, {
      headers: authHeaders('cors.user@contoso.com'),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-expose-headers')?.split(', ')).toEqual(
      expect.arrayContaining(['content-disposition', 'x-export-warnings', 'x-request-id']),
    );
  });

  it('when the web app preflights an unknown route, then the method is allowed so the page sees the 404', async () => {
    const response = await preflight('/api/v1/nothing-here', webApp, 'DELETE');
    expect(response.headers.get('access-control-allow-methods')).toBe('DELETE');
    const answer = await fetch(`${host.url}/api/v1/nothing-here`, {
      method: 'DELETE',
      headers: { origin: webApp },
    });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('access-control-allow-origin')).toBe(webApp);
  });
});

describe('CORS settings refused at start', () => {
  it('when any origin is allowed with credentials, then the host does not start and says why', async () => {
    const { code, stderr } = await startHostExpectingFailure({ PORT: '0' }, [
      '--cors',
      '*',
      '--cors-credentials',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/credentials cannot be allowed for any origin/);
  });

  it('when an origin has a path, then the host does not start and names it', async () => {
    const { code, stderr } = await startHostExpectingFailure({ PORT: '0' }, [
      '--cors',
      'http://localhost:5173/app',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/"http:\/\/localhost:5173\/app" is not an origin/);
  });
});
