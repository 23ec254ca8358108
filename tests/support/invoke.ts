import { HttpRequest, InvocationContext, type HttpHandler, type HttpResponseInit } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { authHeaders } from './principal';

export interface Call {
  method?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  json?: unknown;
  as?: string;
}

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  json: <T = Record<string, unknown>>() => T;
  bytes: Buffer;
}

/** Calls an HTTP function's handler directly, as a signed-in user (`as`), and normalises its response. */
export async function call(handler: HttpHandler, init: Call = {}): Promise<CallResult> {
  const url = new URL('http://localhost/api/test');
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  const request = new HttpRequest({
    method: init.method ?? 'GET',
    url: url.toString(),
    params: init.params ?? {},
    headers: {
      ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.as ? authHeaders(init.as) : {}),
      ...(init.headers ?? {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? { string: body } : { bytes: body },
  });
  const response = (await handler(
    request,
    new InvocationContext({ invocationId: randomUUID() }),
  )) as HttpResponseInit;
  const bytes =
    response.jsonBody !== undefined
      ? Buffer.from(JSON.stringify(response.jsonBody))
      : response.body instanceof Uint8Array
        ? Buffer.from(response.body)
        : Buffer.from(typeof response.body === 'string' ? response.body : '');
  return {
    status: response.status ?? 200,
    headers: Object.fromEntries(
      Object.entries((response.headers ?? {}) as Record<string, string>).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ]),
    ),
    json: <T>() => JSON.parse(bytes.toString('utf8')) as T,
    bytes,
  };
}

/** A fresh owner per test keeps tests independent on the shared emulators. */
export const newUser = (name = 'user') => `${name}.${randomUUID().slice(0, 8)}@contoso.com`;
