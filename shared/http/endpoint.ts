import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, ensureError, invalidRequest, type ErrorCode, type ErrorDetail } from '../core/errors';
import { resolveCaller, type Caller } from '../core/identity';
import { logEvent } from '../core/log';
import { appServices, orchestrationFor, readyServices, type AppServices } from '../app/compositionRoot';
import type { OrchestrationControl } from '../ports/orchestration';
import { maxJsonBodyBytes, mediaType, parseJsonBody, readBytes } from './body';
import { exposedResponseHeaders } from './exposedHeaders';
import { idPattern, maxRouteParamLength, type ErrorResponse } from './schemas';

/** What an HTTP function's body works with. */
export interface ApiRequest<P extends string = never> {
  caller: Caller;
  /** The route's parameters the function declared, each checked present and bounded. */
  params: Readonly<Record<P, string>>;
  /** The app's services, provisioned. */
  services: AppServices;
  /** The Durable client, built on first use (the function must declare `df.input.durableClient()`). */
  orchestration: () => OrchestrationControl;
  http: HttpRequest;
  context: InvocationContext;
}

type ApiHandler<P extends string> = (request: ApiRequest<P>) => Promise<HttpResponseInit>;
type AnonymousHandler = (request: {
  services: AppServices;
  http: HttpRequest;
  context: InvocationContext;
}) => Promise<HttpResponseInit>;

function routeParams<P extends string>(http: HttpRequest, names: readonly P[]): Record<P, string> {
  const details: ErrorDetail[] = [];
  const values: Partial<Record<P, string>> = {};
  for (const name of names) {
    const value = http.params[name];
    if (!value) details.push({ field: name, message: 'is required in the path' });
    else if (value.length > maxRouteParamLength)
      details.push({ field: name, message: `must be at most ${maxRouteParamLength} characters` });
    else if (!idPattern.test(value))
      details.push({
        field: name,
        message: 'is not an id this API hands out (letters, digits, . _ : - only)',
      });
    else values[name] = value;
  }
  if (details.length > 0) throw invalidRequest('The path is invalid.', details);
  return values as Record<P, string>;
}

/** The JSON error body (`errorResponse` in schemas.ts is its contract). */
export function errorBody(code: ErrorCode, message: string, details: ErrorDetail[] = []): ErrorResponse {
  return { error: { code, message, details } };
}

function withExposedHeaders(response: HttpResponseInit): HttpResponseInit {
  const headers = new Headers(response.headers);
  headers.set('access-control-expose-headers', exposedResponseHeaders.join(', '));
  return { ...response, headers: Object.fromEntries(headers) };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers };
}

function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || undefined, message: i.message }));
}

/** Maps anything thrown to the JSON error body (`errorResponse` in schemas.ts); unknown errors are logged, never echoed. */
export function errorResponse(thrown: unknown, context: InvocationContext): HttpResponseInit {
  if (thrown instanceof AppError) {
    const headers: Record<string, string> = {};
    if (thrown.retryAfterSeconds !== undefined) headers['retry-after'] = String(thrown.retryAfterSeconds);
    return json(thrown.status, errorBody(thrown.code, thrown.message, thrown.details), headers);
  }
  if (thrown instanceof z.ZodError) {
    return json(400, errorBody('invalid_request', 'The request is invalid.', zodDetails(thrown)));
  }
  const error = ensureError(thrown);
  const requestId = randomUUID();
  logEvent(context, 'error', 'unhandled_error', {
    request_id: requestId,
    error: error.message,
    stack: error.stack,
  });
  return json(
    500,
    errorBody(
      'internal_error',
      `An unexpected error occurred. Quote request id ${requestId} when reporting it.`,
    ),
    { 'x-request-id': requestId },
  );
}

/**
 * An HTTP function that needs a signed-in caller (every API route but health and the contract).
 * `params` names the route parameters the handler reads.
 */
export function authenticated(handler: ApiHandler<never>): HttpHandler;
export function authenticated<P extends string>(params: readonly P[], handler: ApiHandler<P>): HttpHandler;
export function authenticated<P extends string>(
  paramsOrHandler: readonly P[] | ApiHandler<P>,
  maybeHandler?: ApiHandler<P>,
): HttpHandler {
  const [names, handler] =
    typeof paramsOrHandler === 'function' ? [[], paramsOrHandler] : [paramsOrHandler, maybeHandler];
  if (!handler) throw new Error('authenticated() needs a handler.');
  return async (http, context) => {
    try {
      const caller = resolveCaller(
        http.headers.get('x-ms-client-principal'),
        http.headers.get('x-ms-client-principal-name'),
      );
      const params = routeParams(http, names);
      const services = await readyServices();
      let control: OrchestrationControl | undefined;
      const orchestration = () => (control ??= orchestrationFor(context));
      return withExposedHeaders(await handler({ caller, params, services, orchestration, http, context }));
    } catch (thrown) {
      return withExposedHeaders(errorResponse(thrown, context));
    }
  };
}

/**
 * An HTTP function open to anyone (health). Its services are not provisioned first: health must
 * answer while a dependency is down.
 */
export function anonymous(handler: AnonymousHandler): HttpHandler {
  return async (http, context) => {
    try {
      return withExposedHeaders(await handler({ services: appServices(), http, context }));
    } catch (thrown) {
      return withExposedHeaders(errorResponse(thrown, context));
    }
  };
}

/** Reads and validates a JSON body; malformed JSON and schema violations are 400s naming the fields. */
export async function readJson<S extends z.ZodType>(http: HttpRequest, schema: S): Promise<z.infer<S>> {
  const type = mediaType(http);
  if (type && type !== 'application/json' && !type.endsWith('+json')) {
    throw new AppError('unsupported_media_type', `Send the body as application/json, not ${type}.`);
  }
  return validateBody(schema, parseJsonBody(await readBytes(http, maxJsonBodyBytes)));
}

/** Validates an already-parsed body; violations are 400s naming each field. */
export function validateBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidRequest('The request body is invalid.', zodDetails(parsed.error));
  return parsed.data;
}

/** Validates the query string against a schema of string fields. */
export function readQuery<S extends z.ZodType>(http: HttpRequest, schema: S): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(http.query.entries()));
  if (!parsed.success) throw invalidRequest('The query string is invalid.', zodDetails(parsed.error));
  return parsed.data;
}
