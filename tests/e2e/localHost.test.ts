import net from 'node:net';
import { authHeaders } from '../support/principal';
import { startHost, startHostExpectingFailure, type RunningHost } from '../support/localHost';

/**
 * The host as a newcomer runs it: no connection settings at all, so it starts its own
 * emulators. (The jest run's shared emulators are deliberately not passed on.)
 */
let host: RunningHost;

beforeAll(async () => {
  host = await startHost({ STORAGE: '', COSMOS: '' });
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

describe('local host', () => {
  it('when started without connection settings, then it prints exactly one listening line on stdout', () => {
    expect(host.stdout().trim().split('\n')).toEqual([
      expect.stringMatching(/^exportrail listening on http:\/\/localhost:\d+$/),
    ]);
  });

  it('when health is asked without a principal, then every dependency is reported and the AI ones are local', async () => {
    const response = await fetch(`${host.url}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'healthy',
      dependencies: {
        cosmos: { state: 'up' },
        blob: { state: 'up' },
        openai: 'local',
        document_intelligence: 'local',
      },
    });
  });

  it('when an API route is called without a principal, then 401 in the SPEC error shape', async () => {
    const response = await fetch(`${host.url}/api/v1/docs`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({
      error: { code: 'unauthenticated', message: expect.any(String), details: [] },
    });
  });

  it('when a route is unknown, then a JSON 404', async () => {
    const response = await fetch(`${host.url}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('when a method is not allowed, then a JSON 405 with Allow', async () => {
    const response = await fetch(`${host.url}/api/v1/health`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(await response.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('when a signed-in caller lists documents, then an empty first page; a missing one is a 404', async () => {
    const list = await fetch(`${host.url}/api/v1/docs?limit=10`, {
      headers: authHeaders('new.user@contoso.com'),
    });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ items: [], continuation: null });
    const one = await fetch(`${host.url}/api/v1/docs/does-not-exist`, {
      headers: authHeaders('new.user@contoso.com'),
    });
    expect(one.status).toBe(404);
  });

  it('when a query parameter is invalid, then 400 names it', async () => {
    const response = await fetch(`${host.url}/api/v1/docs?limit=0`, { headers: authHeaders('a@b.io') });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { details: [{ field: 'limit' }] } });
  });
});

describe('local host timers and shutdown', () => {
  it('when a timer function is run through the admin endpoint, then it runs at once as with Core Tools', async () => {
    const response = await fetch(`${host.url}/admin/functions/housekeeping`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(202);
    expect(host.stderr()).toMatch(/"event":"housekeeping_purged_instances".*"purged":0/);
    expect((await fetch(`${host.url}/admin/functions/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('when stopped with SIGTERM, then it exits cleanly', async () => {
    const other = await startHost({ STORAGE: '', COSMOS: '' });
    const code = await other.stop('SIGTERM');
    expect(code).toBe(0);
    expect(other.stderr()).toContain('SIGTERM received, stopping');
  }, 60_000);
});

describe('local host start-up failures', () => {
  it('when the port is taken, then it fails fast with a clear message', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const result = await startHostExpectingFailure({ PORT: String(port) });
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${port} is already in use`);
  });

  it('when settings are malformed, then start-up stops listing every problem', async () => {
    const result = await startHostExpectingFailure({
      PORT: '0',
      EXPORT_WAIT_LIMIT_MS: 'soon',
      DURABLE_TASK_HUB: '!',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/EXPORT_WAIT_LIMIT_MS/);
    expect(result.stderr).toMatch(/DURABLE_TASK_HUB/);
  });
});
