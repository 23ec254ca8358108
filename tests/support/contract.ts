import { isErrorCode, statusOf } from '../../shared/core/errors';
import { operations, type Operation } from '../../shared/http/contract/operations';
import { errorResponse } from '../../shared/http/schemas';

/**
 * Checks an answer of the API against its contract (shared/http/contract/operations.ts, which the
 * OpenAPI document is generated from): the status is one the operation documents, the documented
 * headers are there, and the body matches the documented schema. The e2e API client runs it on
 * every response, so every e2e test is also a contract test.
 */

export interface ObservedResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

interface Route {
  operationId: string;
  operation: Operation;
  pattern: RegExp;
  params: number;
}

const routes: Route[] = Object.entries(operations).map(([operationId, operation]: [string, Operation]) => ({
  operationId,
  operation,
  pattern: new RegExp(`^/api/${operation.route.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
  params: (operation.route.match(/\{/g) ?? []).length,
}));

/** The operation a request is for: a literal segment wins over a parameter (`exports/history`). */
export function operationFor(method: string, pathname: string): Route | undefined {
  return routes
    .filter((r) => r.operation.method === method.toUpperCase() && r.pattern.test(pathname))
    .sort((a, b) => a.params - b.params)[0];
}

const mediaType = (headers: Headers) =>
  (headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();

function parseJson(response: ObservedResponse): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(response.bytes.toString('utf8')) as unknown };
  } catch {
    return undefined;
  }
}

function errorViolation(codes: readonly string[], response: ObservedResponse): string | undefined {
  if (mediaType(response.headers) !== 'application/json')
    return `is not JSON (${mediaType(response.headers)})`;
  const parsed = errorResponse.safeParse(parseJson(response)?.value);
  if (!parsed.success) return `is not the JSON error body: ${issues(parsed.error.issues)}`;
  const { code } = parsed.data.error;
  if (!codes.includes(code)) return `has code ${code}, which it does not document (${codes.join(', ')})`;
  if (isErrorCode(code) && statusOf(code) !== response.status)
    return `has code ${code}, which answers with ${statusOf(code)}, not ${response.status}`;
  if (response.status === 503 && !response.headers.has('retry-after')) return 'has no retry-after';
  if (response.status === 500 && !response.headers.has('x-request-id')) return 'has no x-request-id';
  return undefined;
}

const issues = (list: readonly { path: PropertyKey[]; message: string }[]) =>
  list
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`)
    .join('; ');

/** What is wrong with this answer by the contract, or undefined when nothing is. */
export function contractViolation(
  method: string,
  url: string,
  response: ObservedResponse,
): string | undefined {
  const { pathname } = new URL(url);
  const route = operationFor(method, pathname);
  const where = `${method} ${pathname} answered ${response.status}`;
  if (!route) {
    // Not an operation: the host answers unknown routes 404 and wrong methods 405, as JSON errors.
    const problem = errorViolation(['not_found', 'method_not_allowed'], response);
    return problem ? `${where}, which is no documented operation, and its body ${problem}` : undefined;
  }
  const { operation, operationId } = route;
  const label = `${where} (${operationId})`;
  const spec = operation.responses[response.status];
  if (!spec) {
    if (!operation.errors.some((code) => statusOf(code) === response.status)) {
      const documented = [
        ...Object.keys(operation.responses),
        ...new Set(operation.errors.map((code) => statusOf(code))),
      ];
      return `${label}: the contract documents only ${documented.join(', ')}`;
    }
    const problem = errorViolation(operation.errors, response);
    return problem ? `${label}: the error ${problem}` : undefined;
  }
  const missing = (spec.headers ?? []).filter((h) => !response.headers.has(h));
  if (missing.length > 0) return `${label} without the documented header(s) ${missing.join(', ')}`;
  const type = mediaType(response.headers);
  const isFile = spec.file && (!spec.json || response.headers.has('content-disposition'));
  if (isFile) {
    return spec.file?.includes(type ?? '')
      ? undefined
      : `${label} with a ${type} file; the contract documents ${spec.file?.join(', ')}`;
  }
  if (!spec.json) {
    return response.bytes.length === 0 ? undefined : `${label} with a body; the contract documents none`;
  }
  if (type !== 'application/json') return `${label} as ${type}; the contract documents JSON`;
  const parsed = spec.json.safeParse(parseJson(response)?.value);
  return parsed.success
    ? undefined
    : `${label} with a body the contract does not describe: ${issues(parsed.error.issues)}`;
}
