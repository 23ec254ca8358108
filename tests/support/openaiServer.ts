import http from 'node:http';
import type { AddressInfo } from 'node:net';
import published from '../fixtures/azure-openai/chat_completions.json';

/**
 * A local HTTP server answering like Azure OpenAI's chat completions endpoint
 * (api-version 2024-10-21), from Microsoft's published example response
 * (tests/fixtures/azure-openai/chat_completions.json). Each request takes the next queued
 * answer: a message content string, or an HTTP status to fail with.
 */
export interface OpenAiServer {
  endpoint: string;
  requests: {
    path: string;
    headers: http.IncomingHttpHeaders;
    body: { messages: { role: string; content: string }[] };
  }[];
  answer(...answers: (string | { status: number })[]): void;
  close(): Promise<void>;
}

export async function startOpenAiServer(): Promise<OpenAiServer> {
  const queue: (string | { status: number })[] = [];
  const requests: OpenAiServer['requests'] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      requests.push({
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(raw) as OpenAiServer['requests'][number]['body'],
      });
      const next = queue.shift() ?? published.responses['200'].body.choices[0]?.message.content ?? '';
      if (typeof next !== 'string') {
        res.writeHead(next.status, { 'content-type': 'application/json', 'retry-after-ms': '1' });
        res.end(JSON.stringify({ error: { code: String(next.status), message: 'simulated failure' } }));
        return;
      }
      const body = structuredClone(published.responses['200'].body);
      const choice = body.choices[0];
      if (choice) choice.message.content = next;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    answer: (...answers) => queue.push(...answers),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
