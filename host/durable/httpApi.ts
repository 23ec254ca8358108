import type http from 'node:http';
import type { LogSink } from '../functionsCore';
import { webhookPath } from './clientBinding';
import { DurableApiError } from './durableErrors';
import { runtimeStatuses, type InstanceFilter, type RuntimeStatus } from './instanceStatus';
import type { DurableOperations, StatusOptions } from './operations';

/**
 * The subset of the extension's HTTP API (`HttpApiHandler`) that durable-functions' client uses,
 * with the same routes and status codes:
 *   POST   orchestrators/{name}[/{instanceId}]           start          202 | 400 | 500 (id in use)
 *   GET    instances/{id}                                status         200 | 202 | 404 (500 on request)
 *   GET    instances/                                    list           200
 *   DELETE instances/{id}                                purge one      200 | 404 | 412
 *   DELETE instances/?createdTimeFrom=...                purge by filter 200 | 404 (none deleted)
 *   POST   instances/{id}/raiseEvent/{eventName}         raise event    202 | 404 | 410
 *   POST   instances/{id}/terminate?reason=...           terminate      202 | 404 | 410
 * Entities, rewind, restart, suspend and resume answer 501.
 */

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const notSupported: Reply = { status: 501, body: { message: 'Not supported by the local Durable runtime.' } };

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as a JSON value; an empty body means "no value". */
function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new DurableApiError(400, 'Invalid JSON content');
  }
}

/** `bool.TryParse` semantics: anything but true/false (any case) is "not given". */
function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name)?.toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

function dateParam(query: URLSearchParams, name: string): Date | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new DurableApiError(400, `${name} is not a valid date: ${value}`);
  return date;
}

function filterFrom(query: URLSearchParams): InstanceFilter {
  const statuses = (query.get('runtimeStatus') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is RuntimeStatus => (runtimeStatuses as readonly string[]).includes(s));
  return {
    createdTimeFrom: dateParam(query, 'createdTimeFrom'),
    createdTimeTo: dateParam(query, 'createdTimeTo'),
    runtimeStatus: statuses.length > 0 ? statuses : undefined,
    instanceIdPrefix: query.get('instanceIdPrefix') ?? undefined,
  };
}

function statusOptionsFrom(query: URLSearchParams): StatusOptions {
  return {
    showHistory: booleanParam(query, 'showHistory'),
    showHistoryOutput: booleanParam(query, 'showHistoryOutput'),
    showInput: booleanParam(query, 'showInput'),
  };
}

function route(
  ops: DurableOperations,
  method: string,
  segments: string[],
  query: URLSearchParams,
  body: string,
): Reply {
  const [controller, first, operation, eventName, ...extra] = segments;
  if (controller === 'entities') return notSupported;

  if (controller === 'orchestrators' && first !== undefined && eventName === undefined && method === 'POST') {
    const instanceId = ops.startNew(first, {
      instanceId: operation,
      input: parseJsonBody(body),
      version: query.get('version') ?? undefined,
    });
    const urls = ops.managementUrls(instanceId);
    return { status: 202, body: urls, headers: { location: urls.statusQueryGetUri, 'retry-after': '10' } };
  }

  if (controller !== 'instances' || extra.length > 0) return { status: 404 };

  if (first === undefined) {
    if (method === 'GET')
      return { status: 200, body: ops.listInstances(filterFrom(query), statusOptionsFrom(query)) };
    if (method === 'DELETE') {
      if (!query.has('createdTimeFrom')) {
        return { status: 400, body: { message: "Please provide value for 'createdTimeFrom' parameter." } };
      }
      const deleted = ops.purgeInstances(filterFrom(query));
      return deleted === 0 ? { status: 404 } : { status: 200, body: { instancesDeleted: deleted } };
    }
    return { status: 404 };
  }

  if (operation === undefined) {
    if (method === 'DELETE') return { status: 200, body: { instancesDeleted: ops.purgeInstance(first) } };
    if (method !== 'GET') return { status: 404 };
    const status = ops.getStatus(first, statusOptionsFrom(query));
    if (!status) return { status: 404 };
    switch (status.runtimeStatus) {
      case 'Pending':
      case 'Running':
      case 'ContinuedAsNew': {
        const location = ops.managementUrls(first).statusQueryGetUri;
        return { status: 202, body: status, headers: { location, 'retry-after': '5' } };
      }
      case 'Failed':
        return {
          status: booleanParam(query, 'returnInternalServerErrorOnFailure') ? 500 : 200,
          body: status,
        };
      default:
        return { status: 200, body: status };
    }
  }

  if (method !== 'POST') return { status: 404 };
  switch (operation.toLowerCase()) {
    case 'raiseevent':
      if (eventName === undefined) return { status: 404 };
      ops.raiseEvent(first, eventName, parseJsonBody(body));
      return { status: 202 };
    case 'terminate':
      ops.terminate(first, query.get('reason') ?? undefined);
      return { status: 202 };
    case 'rewind':
    case 'restart':
    case 'suspend':
    case 'resume':
      return notSupported;
    default:
      return { status: 404 };
  }
}

function send(res: http.ServerResponse, reply: Reply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  const headers: Record<string, string> = { ...reply.headers };
  if (text !== '') headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(reply.status, headers);
  res.end(text);
}

/** Serves the Durable HTTP API under `/runtime/webhooks/durabletask`; false for any other path. */
export async function handleDurableHttp(
  ops: DurableOperations,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  log: LogSink,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== webhookPath && !url.pathname.startsWith(`${webhookPath}/`)) return false;
  try {
    const segments = url.pathname
      .slice(webhookPath.length)
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
    const body = await readBody(req);
    send(res, route(ops, req.method ?? 'GET', segments, url.searchParams, body));
  } catch (error) {
    if (error instanceof DurableApiError) {
      send(res, { status: error.status, body: { message: error.message } });
    } else {
      log(
        'error',
        'Host.Triggers.DurableTask',
        `Durable HTTP API error: ${error instanceof Error ? error.stack : String(error)}`,
      );
      send(res, { status: 500, body: { message: 'Something went wrong while processing your request' } });
    }
  }
  return true;
}
