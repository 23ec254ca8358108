import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, ensureError, invalidRequest, type ErrorDetail } from '../core/errors';
import { resolveCaller, type Caller } from '../core/identity';
import { logEvent } from '../core/log';
import { mediaType } from './body';

/** What an HTTP function's body works with: the validated caller and the raw request. */
export interface ApiRequest {
  caller: Caller;
  http: HttpRequest;
  context: InvocationContext;
}

type ApiHandler = (request: ApiRequest) => Promise<HttpResponseInit>;
type AnonymousHandler = (http: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function errorBody(code: string, message: string, details: ErrorDetail[] = []) {
  return { error: { code, message, details } };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers };
}

function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || undefined, message: i.message }));
}

/** Maps anything thrown to the SPEC's JSON error shape; unknown errors are logged, never echoed. */
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

/** An HTTP function that needs a signed-in caller (every API route but health). */
export function authenticated(handler: ApiHandler): HttpHandler {
  return async (http, context) => {
    try {
      const caller = resolveCaller(
        http.headers.get('x-ms-client-principal'),
        http.headers.get('x-ms-client-principal-name'),
      );
      return await handler({ caller, http, context });
    } catch (thrown) {
      return errorResponse(thrown, context);
    }
  };
}

/** An HTTP function open to anyone (health). */
export function anonymous(handler: AnonymousHandler): HttpHandler {
  return async (http, context) => {
    try {
      return await handler(http, context);
    } catch (thrown) {
      return errorResponse(thrown, context);
    }
  };
}

/** Reads and validates a JSON body; malformed JSON and schema violations are 400s naming the fields. */
export async function readJson<S extends z.ZodType>(http: HttpRequest, schema: S): Promise<z.infer<S>> {
  const type = mediaType(http);
  if (type && type !== 'application/json' && !type.endsWith('+json')) {
    throw new AppError('unsupported_media_type', `Send the body as application/json, not ${type}.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(await http.text());
  } catch {
    throw invalidRequest('The body is not valid JSON.');
  }
  return validateBody(schema, body);
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
