import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
  headers: http.IncomingHttpHeaders;
}
export type Match = (request: ProxiedRequest) => boolean;

/**
 * A pass-through HTTP proxy in front of an emulator that misbehaves at the wire on request, so
 * tests can break a dependency mid-workflow without touching our code: `failNext` answers the
 * next matching requests with an error status (500 by default: the service failing; 412: another
 * writer got in first), `holdNext` keeps one back until released (a slow service, or a request
 * another one overtakes in a race).
 */
export interface FaultyProxy {
  url: string;
  /** Answers the next `times` matching requests with `status` instead of forwarding them. */
  failNext(match: Match, times: number, status?: number): void;
  /** Holds the next matching request until released; `reached` resolves once it arrives. */
  holdNext(match: Match): { reached: Promise<void>; release: () => void };
  failures: () => number;
  close(): Promise<void>;
}

/** The error codes Cosmos DB answers with, so an injected answer reads like a real one. */
const statusCodes: Record<number, string> = {
  412: 'PreconditionFailed',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const failRules: { match: Match; remaining: number; status: number }[] = [];
  const holds: { match: Match; arrived: () => void; released: Promise<void> }[] = [];
  let failures = 0;
  const upstream = new URL(target);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: body.toString('utf8'),
        headers: req.headers,
      };
      const forward = () => {
        const outgoing = http.request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: upstream.host },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        outgoing.on('error', () => res.writeHead(502).end());
        outgoing.end(body);
      };

      const holdAt = holds.findIndex((h) => h.match(request));
      const hold = holdAt >= 0 ? holds.splice(holdAt, 1)[0] : undefined;
      if (hold) {
        hold.arrived();
        void hold.released.then(forward);
        return;
      }
      const rule = failRules.find((r) => r.remaining > 0 && r.match(request));
      if (rule) {
        rule.remaining -= 1;
        failures += 1;
        res.writeHead(rule.status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ code: statusCodes[rule.status] ?? 'InjectedFault', message: 'injected fault' }),
        );
        return;
      }
      forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    failNext: (match, times, status = 500) => failRules.push({ match, remaining: times, status }),
    holdNext: (match) => {
      let arrived: () => void = () => undefined;
      let release: () => void = () => undefined;
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ match, arrived, released });
      return { reached, release };
    },
    failures: () => failures,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
