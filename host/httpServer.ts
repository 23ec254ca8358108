import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { corsResponseHeaders, isPreflight, preflightHeaders, type CorsSettings } from './cors';
import type { LogSink, RegisteredFunction, RpcHttpResponse, RpcTypedData } from './functionsCore';
import { invokeFunction } from './invoke';
import { errorBody, sendJson } from './jsonAnswer';
import { Router, type RouteMatch } from './router';

/** The Functions host refuses request bodies over 100 MB. */
const maxRequestBytes = 100 * 1024 * 1024;

/** What the host needs from the Durable runtime to serve requests. */
export interface DurableHttp {
  handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean>;
  clientBindingData(): RpcTypedData;
}

export interface HostHandlerOptions {
  functions: ReadonlyMap<string, RegisteredFunction>;
  durable: DurableHttp;
  log: LogSink;
  routePrefix: string;
  /** Runs a non-HTTP function on demand, as `POST /admin/functions/{name}` does in Core Tools. */
  runAdmin(name: string): Promise<boolean>;
  /** The origins whose pages may call the app's routes. */
  cors: CorsSettings;
  /**
   * The worker's HTTP proxy (its `HttpUri` capability), present when the app called
   * `app.setup({ enableHttpStream: true })`: bodies then stream through it both ways, as the
   * Functions host forwards them. Without it they travel whole inside the invocation.
   */
  httpProxyUrl?: string;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxRequestBytes) return 'too_large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function responseBody(body: RpcTypedData | undefined): Buffer {
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes);
  if (body.string !== undefined) return Buffer.from(body.string);
  if (body.json !== undefined) return Buffer.from(body.json);
  return Buffer.alloc(0);
}

/** The HTTP trigger's data on the worker wire, without the body. */
interface HttpTriggerData {
  method: string;
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  params: Record<string, string>;
}

/** Headers that describe one connection, not the message, and the proxy's own tag: never passed on. */
const notPassedOn = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'x-ms-invocation-id',
]);

/** Refuses a body once it passes the host's limit while it streams through (chunked bodies). */
function capBody(limit: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > limit ? new Error(`The request body exceeds ${limit} bytes.`) : null, chunk);
    },
  });
}

/** Whether a stream failed only because the other side went away (a client closing a download). */
function isClosedEarly(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE';
}

function headerRecord(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The methods a path takes, for a preflight; for an unknown path the one asked, so its 404 reaches the page. */
function methodsAt(router: Router<RegisteredFunction>, path: string, req: http.IncomingMessage): string[] {
  // No route takes OPTIONS, so the router lists every method the path takes.
  const probe: RouteMatch<RegisteredFunction> = router.match('OPTIONS', path);
  if (probe.kind === 'methodNotAllowed') return probe.allowed;
  if (probe.kind === 'matched') return probe.route.methods;
  return [String(req.headers['access-control-request-method']).toUpperCase()];
}

/**
 * Invokes an HTTP function as the Functions host does for a worker with HTTP streams: the
 * invocation carries the route parameters and headers, the request itself goes to the worker's
 * proxy tagged with the invocation id, and the proxy's answer streams back to the client, so
 * neither body is ever held whole.
 */
async function invokeStreamed(
  fn: RegisteredFunction,
  data: HttpTriggerData,
  extraInputsByType: Record<string, RpcTypedData>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: HostHandlerOptions,
): Promise<void> {
  if (Number(req.headers['content-length'] ?? 0) > maxRequestBytes) {
    return sendJson(res, 413, errorBody('payload_too_large', 'The request body exceeds 100 MB.'));
  }
  const invocationId = randomUUID();
  const { headers, query, params } = data;
  const forwarded = http.request(new URL(req.url ?? '/', options.httpProxyUrl), {
    method: req.method,
    headers: {
      ...req.headers,
      'x-ms-invocation-id': invocationId,
      'x-forwarded-host': req.headers.host ?? 'localhost',
      'x-forwarded-proto': 'http',
    },
  });
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
    forwarded.once('response', resolve);
    forwarded.on('error', reject);
  });
  // A body cut short (the client gone, over the limit, or left unread by a function that has
  // answered) ends the forwarded request; the function then sees its body fail.
  pipeline(req, capBody(maxRequestBytes), forwarded).catch(() => undefined);

  const invoked = invokeFunction(
    fn,
    {
      trigger: { http: data },
      extraInputsByType,
      invocationId,
      // What the host puts in the trigger metadata: the library reads headers and route
      // parameters from here when it streams (the query it takes from the URL).
      triggerMetadata: {
        Headers: { json: JSON.stringify(headers) },
        Query: { json: JSON.stringify(query) },
        ...Object.fromEntries(Object.entries(params).map(([name, value]) => [name, { string: value }])),
      },
    },
    options.log,
  );
  let upstream: http.IncomingMessage;
  try {
    // The function answers through the proxy; a failed invocation never does.
    upstream = await Promise.race([answered, invoked.then(() => answered)]);
  } catch (error) {
    forwarded.destroy();
    invoked.catch(() => undefined); // its failure is the one being reported
    throw error;
  }
  const outHeaders = Object.fromEntries(
    Object.entries(upstream.headers).filter(([name]) => !notPassedOn.has(name)),
  );
  res.writeHead(upstream.statusCode ?? 502, outHeaders as http.OutgoingHttpHeaders);
  try {
    await pipeline(upstream, res);
  } catch (error) {
    if (!isClosedEarly(error)) throw error;
  }
  await invoked;
}

/** Builds the request listener: Durable API first, then admin, then the app's HTTP functions. */
export function createRequestListener(options: HostHandlerOptions): http.RequestListener {
  const router = new Router<RegisteredFunction>();
  for (const fn of options.functions.values()) {
    if (fn.trigger.type.toLowerCase() !== 'httptrigger') continue;
    const route = typeof fn.trigger.route === 'string' ? fn.trigger.route : fn.metadata.name;
    const methods = Array.isArray(fn.trigger.methods) ? fn.trigger.methods.map(String) : ['GET', 'POST'];
    router.add(`${options.routePrefix}/${route}`, methods, fn);
  }

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (await options.durable.handleHttp(req, res)) return;
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const method = (req.method ?? 'GET').toUpperCase();

    // CORS is the host's job, as in Azure: the app's functions never see a preflight.
    const origin = req.headers.origin;
    if (isPreflight(method, req.headers)) {
      res.writeHead(204, preflightHeaders(options.cors, origin, methodsAt(router, url.pathname, req)));
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(corsResponseHeaders(options.cors, origin))) {
      res.setHeader(name, value);
    }

    const admin = /^\/admin\/functions\/([^/]+)$/.exec(url.pathname);
    if (admin?.[1] && method === 'POST') {
      await readBody(req); // Core Tools takes an {"input": ...} body; timers ignore it
      const found = await options.runAdmin(decodeURIComponent(admin[1]));
      if (found) res.writeHead(202).end();
      else sendJson(res, 404, errorBody('not_found', `No function named ${admin[1]}.`));
      return;
    }

    const match = router.match(method, url.pathname);
    if (match.kind === 'notFound') {
      return sendJson(res, 404, errorBody('not_found', `No route matches ${method} ${url.pathname}.`));
    }
    if (match.kind === 'methodNotAllowed') {
      return sendJson(
        res,
        405,
        errorBody('method_not_allowed', `${method} is not allowed on ${url.pathname}.`),
        {
          allow: match.allowed.join(', '),
        },
      );
    }
    const route = match.route.target;
    const data: HttpTriggerData = {
      method,
      url: url.toString(),
      headers: headerRecord(req),
      query: Object.fromEntries(url.searchParams.entries()),
      params: match.params,
    };
    const extraInputsByType = { durableClient: options.durable.clientBindingData() };
    if (options.httpProxyUrl) {
      return invokeStreamed(route, data, extraInputsByType, req, res, options);
    }
    const body = await readBody(req);
    if (body === 'too_large') {
      return sendJson(res, 413, errorBody('payload_too_large', 'The request body exceeds 100 MB.'));
    }
    const response = await invokeFunction(
      route,
      { trigger: { http: { ...data, body: { bytes: body } } }, extraInputsByType },
      options.log,
    );
    const out: RpcHttpResponse = response.returnValue?.http ?? {};
    res.writeHead(Number(out.statusCode ?? 200), out.headers ?? {});
    res.end(responseBody(out.body));
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Only a host bug lands here: the app's own wrapper answers every error it sees.
      const requestId = randomUUID();
      options.log(
        'error',
        'host',
        `request ${requestId} failed in the host: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!res.headersSent)
        sendJson(res, 500, errorBody('internal_error', `Host error ${requestId}.`), {
          'x-request-id': requestId,
        });
      else res.end();
    });
  };
}
