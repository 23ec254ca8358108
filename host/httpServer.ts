import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { LogSink, RegisteredFunction, RpcHttpResponse, RpcTypedData } from './functionsCore';
import { invokeFunction } from './invoke';
import { Router } from './router';

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
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

const errorBody = (code: string, message: string) => ({ error: { code, message, details: [] } });

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

function headerRecord(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
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
    const body = await readBody(req);
    if (body === 'too_large') {
      return sendJson(res, 413, errorBody('payload_too_large', 'The request body exceeds 100 MB.'));
    }
    const response = await invokeFunction(
      match.route.target,
      {
        trigger: {
          http: {
            method,
            url: url.toString(),
            headers: headerRecord(req),
            query: Object.fromEntries(url.searchParams.entries()),
            params: match.params,
            body: { bytes: body },
          },
        },
        extraInputsByType: { durableClient: options.durable.clientBindingData() },
      },
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
