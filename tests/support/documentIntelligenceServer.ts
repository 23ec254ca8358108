import http from 'node:http';
import type { AddressInfo } from 'node:net';
import analyzeAccepted from '../fixtures/document-intelligence/AnalyzeDocument_Url.json';
import analyzeResult from '../fixtures/document-intelligence/GetAnalyzeDocumentResult.json';

/**
 * A local HTTP server answering like Document Intelligence (api-version 2023-07-31): the analyze
 * POST answers 202 with an Operation-Location (published example AnalyzeDocument_Url.json), and
 * polling it answers the published prebuilt-invoice result (GetAnalyzeDocumentResult.json).
 */
export interface DocumentIntelligenceServer {
  endpoint: string;
  analyzedModels: string[];
  /** Makes the next analyze request fail with this status. */
  failNext(status: number): void;
  close(): Promise<void>;
}

export async function startDocumentIntelligenceServer(): Promise<DocumentIntelligenceServer> {
  const analyzedModels: string[] = [];
  const failures: number[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const analyze = /^\/formrecognizer\/documentModels\/([^/:]+):analyze$/.exec(url.pathname);
      if (req.method === 'POST' && analyze?.[1]) {
        const failure = failures.shift();
        if (failure) {
          res.writeHead(failure, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'InvalidRequest', message: 'simulated failure' } }));
          return;
        }
        analyzedModels.push(analyze[1]);
        const published = new URL(analyzeAccepted.responses['202'].headers['Operation-Location']);
        const location = `http://${req.headers.host}${published.pathname.replace('customModel', analyze[1])}${published.search}`;
        res.writeHead(202, { 'operation-location': location });
        res.end();
        return;
      }
      if (req.method === 'GET' && /\/analyzeResults\//.test(url.pathname)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(analyzeResult.responses['200'].body));
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    analyzedModels,
    failNext: (status) => failures.push(status),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
