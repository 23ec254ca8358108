import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { notFound, unavailable } from '../../../shared/core/errors';
import { authenticated, readJson } from '../../../shared/http/endpoint';
import { authHeaders } from '../../support/principal';

function request(
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): HttpRequest {
  return new HttpRequest({
    method: init.method ?? 'POST',
    url: 'http://localhost/api/v1/things',
    // As a web client sends it; a string body alone would default to text/plain.
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.headers ?? {}),
    },
    body: init.body === undefined ? undefined : { string: init.body },
  });
}

function contextCollectingLogs(): { context: InvocationContext; lines: string[] } {
  const lines: string[] = [];
  const context = new InvocationContext({
    logHandler: (_level, ...args) => lines.push(args.map(String).join(' ')),
  });
  return { context, lines };
}

const echoCaller = authenticated(async ({ caller }) => ({ status: 200, jsonBody: caller }));

describe('authenticated endpoint', () => {
  it('when no principal is sent, then 401 in the SPEC error shape', async () => {
    const { context } = contextCollectingLogs();
    const response = (await echoCaller(request(), context)) as HttpResponseInit;
    expect(response.status).toBe(401);
    expect(response.jsonBody).toEqual({
      error: { code: 'unauthenticated', message: expect.any(String), details: [] },
    });
  });

  it('when a principal is sent, then the handler sees the caller', async () => {
    const { context } = contextCollectingLogs();
    const response = (await echoCaller(
      request({ headers: authHeaders('A@B.io', 'oid-1') }),
      context,
    )) as HttpResponseInit;
    expect(response.jsonBody).toEqual({ email: 'a@b.io', oid: 'oid-1' });
  });

  it('when the handler throws an unknown error, then 500 with a request id that is in the log, and no stack', async () => {
    const { context, lines } = contextCollectingLogs();
    const failing = authenticated(async () => {
      throw new Error('secret connection string leaked at line 42');
    });
    const response = (await failing(
      request({ headers: authHeaders('a@b.io') }),
      context,
    )) as HttpResponseInit;
    expect(response.status).toBe(500);
    const requestId = (response.headers as Record<string, string>)['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(response.jsonBody)).not.toContain('secret');
    expect(lines.join('\n')).toContain(requestId);
  });

  it('when a dependency is unavailable, then 503 with Retry-After', async () => {
    const { context } = contextCollectingLogs();
    const failing = authenticated(async () => {
      throw unavailable('Cosmos DB', 7);
    });
    const response = (await failing(
      request({ headers: authHeaders('a@b.io') }),
      context,
    )) as HttpResponseInit;
    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': '7' });
  });

  it('when a resource is missing, then 404 with code not_found', async () => {
    const { context } = contextCollectingLogs();
    const failing = authenticated(async () => {
      throw notFound('The export');
    });
    const response = (await failing(
      request({ headers: authHeaders('a@b.io') }),
      context,
    )) as HttpResponseInit;
    expect(response).toMatchObject({ status: 404, jsonBody: { error: { code: 'not_found' } } });
  });
});

describe('readJson', () => {
  const schema = z.object({ name: z.string(), size: z.number().int() });
  const parse = authenticated(async ({ http }) => ({ status: 200, jsonBody: await readJson(http, schema) }));

  it('when the body is malformed JSON, then 400 says so', async () => {
    const { context } = contextCollectingLogs();
    const response = (await parse(
      request({ headers: authHeaders('a@b.io'), body: '{oops' }),
      context,
    )) as HttpResponseInit;
    expect(response).toMatchObject({
      status: 400,
      jsonBody: { error: { code: 'invalid_request', message: 'The body is not valid JSON.' } },
    });
  });

  it('when the body is sent as another media type, then 415', async () => {
    const { context } = contextCollectingLogs();
    const response = (await parse(
      request({
        headers: { ...authHeaders('a@b.io'), 'content-type': 'text/plain' },
        body: '{"name":"x","size":1}',
      }),
      context,
    )) as HttpResponseInit;
    expect(response).toMatchObject({ status: 415, jsonBody: { error: { code: 'unsupported_media_type' } } });
  });

  it('when fields are wrong, then 400 names each bad field', async () => {
    const { context } = contextCollectingLogs();
    const body = JSON.stringify({ name: 5, size: 1.5 });
    const response = (await parse(
      request({ headers: authHeaders('a@b.io'), body }),
      context,
    )) as HttpResponseInit;
    const details = (response.jsonBody as { error: { details: { field: string }[] } }).error.details;
    expect(details.map((d) => d.field).sort()).toEqual(['name', 'size']);
  });
});
