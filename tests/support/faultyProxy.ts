import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy in front of an emulator that fails chosen requests at the wire
 * (the service answering 500), so tests can break a dependency mid-workflow without touching
 * our code. `failNext(match, times)` fails the next `times` requests whose method + path + body
 * match.
 */
export interface FaultyProxy {
  url: string;
  failNext(match: (request: { method: string; path: string; body: string }) => boolean, times: number): void;
  failures: () => number;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const rules: {
    match: (r: { method: string; path: string; body: string }) => boolean;
    remaining: number;
  }[] = [];
  let failures = 0;
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = { method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') };
      const rule = rules.find((r) => r.remaining > 0 && r.match(request));
      if (rule) {
        rule.remaining -= 1;
        failures += 1;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'InternalServerError', message: 'injected fault' }));
        return;
      }
      const forward = http.request(
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
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    failNext: (match, times) => rules.push({ match, remaining: times }),
    failures: () => failures,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
