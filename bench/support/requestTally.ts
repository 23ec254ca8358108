/**
 * Preloaded into the host by the load bench (`node --require …/requestTally.js`): counts the
 * requests the host's HTTP servers serve, by kind, and answers `GET /.bench/request-tally` with
 * the counts (that request never reaches the host). Bench-only: it is how `load.json` shows what
 * a flow costs the Durable HTTP API, e.g. its status queries.
 */
import http from 'node:http';

const tallyPath = '/.bench/request-tally';
const tally: Record<string, number> = {};

function kindOf(method: string, url: string): string {
  const path = url.split('?')[0] ?? '';
  if (!path.includes('/runtime/webhooks/durabletask/')) return 'app';
  if (method === 'GET' && /\/instances\/[^/]+$/.test(path)) return 'durable_status';
  return 'durable_other';
}

// The prototype's own emit, called on each server; not a detached method call.
// eslint-disable-next-line @typescript-eslint/unbound-method
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
  if (event === 'request') {
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    if (req.url === tallyPath) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tally));
      return true;
    }
    const kind = kindOf(req.method ?? 'GET', req.url ?? '/');
    tally[kind] = (tally[kind] ?? 0) + 1;
  }
  return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
} as typeof http.Server.prototype.emit;
