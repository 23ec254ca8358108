import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { registeredFunctions } from '../../host/functionsCore';
import { authHeaders } from '../support/principal';
import { newUser } from '../support/invoke';
import { startHost, type RunningHost } from '../support/localHost';

/**
 * Generated requests against every HTTP route of the running local host: whatever the body,
 * query, headers or path, the answer is a JSON 4xx (or a success), never a 500, within seconds,
 * and a rejected request leaves nothing recorded for its caller.
 */

type Route = { method: string; route: string };

/** Every route the app registers, read from the same registrations the host serves. */
async function registeredRoutes(): Promise<Route[]> {
  const functionsDir = path.resolve(__dirname, '..', '..', 'functions');
  for (const file of readdirSync(functionsDir).filter((f) => f.endsWith('.ts'))) {
    await import(path.join(functionsDir, file));
  }
  return [...registeredFunctions().values()]
    .filter((fn) => fn.trigger.type === 'httpTrigger')
    .flatMap((fn) => {
      const methods = Array.isArray(fn.trigger.methods) ? fn.trigger.methods.map(String) : ['GET'];
      return methods.map((method) => ({ method, route: String(fn.trigger.route) }));
    });
}

let routes: Route[] = [];
let host: RunningHost;
beforeAll(async () => {
  routes = await registeredRoutes();
  host = await startHost({ EXPORT_WAIT_LIMIT_MS: '2000' });
}, 90_000);
afterAll(() => host?.stop());

/** Nested arrays deeper than any validator should walk recursively. */
const deepJson = fc.integer({ min: 60, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));
const body = fc.oneof(
  fc.json({ depthSize: 'medium' }),
  fc.jsonValue().map((v) => JSON.stringify({ use_ai_template_generation: true, format: 'csv', data: v })),
  fc
    .record({ data_types: fc.constantFrom(['documents'], ['nope'], 'documents'), format: fc.string() })
    .map((v) => JSON.stringify(v)),
  deepJson,
  fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  fc.string({ unit: 'binary', maxLength: 512 }),
  fc.constant(undefined),
);
const segment = fc.oneof(
  fc.uuid(),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.constantFrom('..', '%00', ' ', 'a'.repeat(300), 'history', 'export-jobs'),
);
const query = fc.dictionary(
  fc.constantFrom(
    'limit',
    'continuation',
    'status',
    'document_id',
    'file_name',
    'document_type',
    'redirect',
    'x',
  ),
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.constantFrom('-1', '0', '201', 'abc', 'true', ''),
  ),
  { maxKeys: 4 },
);
const contentType = fc.constantFrom(
  'application/json',
  'text/csv',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/plain',
  'application/json; charset=utf-16',
  undefined,
);
/** Mostly a signed-in user (so validation is reached), sometimes a broken or missing principal. */
const principal = fc.oneof(
  { weight: 6, arbitrary: fc.constant('user') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', 'not-base64!', Buffer.from('{"claims":7}').toString('base64')),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const request = () =>
  fc.record({
    route: fc.constantFrom(...routes),
    params: fc.array(segment, { minLength: 2, maxLength: 2 }),
    query,
    contentType,
    principal,
    body,
  });

function urlFor(route: string, params: string[], query: Record<string, string>): string {
  let i = 0;
  const filled = route.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++ % params.length] ?? 'x'));
  const search = new URLSearchParams(query).toString();
  return `${host.url}/api/${filled}${search ? `?${search}` : ''}`;
}

/** What a caller owns across the API; a rejected request must not have added to it. */
async function recordsOf(email: string): Promise<number> {
  const lists = [
    '/api/v1/docs',
    '/api/v1/export-jobs',
    '/api/v1/export-schedules',
    '/api/v1/exports/history',
  ];
  const counts = await Promise.all(
    lists.map(async (list) => {
      const response = await fetch(`${host.url}${list}`, { headers: authHeaders(email) });
      expect(response.status).toBe(200);
      return ((await response.json()) as { items: unknown[] }).items.length;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

describe('fuzzing every route', () => {
  it('has every registered HTTP route to fuzz', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
  });

  it('when any request arrives, then the answer is never a 500, never hangs, and a rejection records nothing', async () => {
    await fc.assert(
      fc.asyncProperty(request(), async (r) => {
        const email = newUser('fuzz');
        const headers: Record<string, string> = {};
        if (r.principal === 'user') Object.assign(headers, authHeaders(email));
        else if (r.principal !== undefined) headers['x-ms-client-principal'] = r.principal;
        if (r.contentType) headers['content-type'] = r.contentType;
        const hasBody = r.body !== undefined && !['GET', 'DELETE'].includes(r.route.method);
        const response = await fetch(urlFor(r.route.route, r.params, r.query), {
          method: r.route.method,
          headers,
          body: hasBody ? r.body : undefined,
          redirect: 'manual',
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          expect(JSON.parse(text)).toMatchObject({
            error: { code: expect.any(String), message: expect.any(String) },
          });
          if (r.principal === 'user') expect(await recordsOf(email)).toBe(0);
        }
      }),
      { numRuns: 250, interruptAfterTimeLimit: 120_000 },
    );
  }, 180_000);
});
