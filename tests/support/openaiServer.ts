import http from 'node:http';
import type { AddressInfo } from 'node:net';
import published from '../fixtures/azure-openai/chat_completions.json';
import withheld from '../fixtures/azure-openai/content_filter_completion_200.json';
import promptFiltered from '../fixtures/azure-openai/content_filter_prompt_400.json';

/**
 * A local HTTP server answering like Azure OpenAI's chat completions endpoint
 * (api-version 2024-10-21), from Microsoft's published responses (tests/fixtures/azure-openai/,
 * sources in tests/fixtures/README.md). Each request takes the next queued answer:
 * - a string: the published 200 completion with that message content;
 * - `{ status, body?, headers? }`: that status with that JSON body (default: an `errorResponse`
 *   with the status as code) and headers (default `retry-after-ms: 1`, so retries stay fast);
 * - `contentFilterError` / `withheldAnswer`: the published content-filter refusals (400 / 200).
 * Every request is recorded with its raw body and the time it arrived.
 */
export type OpenAiAnswer =
  | string
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { published: 'content_filter_400' | 'content_filter_200' };

export const contentFilterError: OpenAiAnswer = { published: 'content_filter_400' };
export const withheldAnswer: OpenAiAnswer = { published: 'content_filter_200' };

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { messages: { role: string; content: string }[] };
  at: number;
}

export interface OpenAiServer {
  endpoint: string;
  requests: RecordedRequest[];
  answer(...answers: OpenAiAnswer[]): void;
  /** Forgets the recorded requests and any answers still queued (between tests). */
  reset(): void;
  close(): Promise<void>;
}

function respond(res: http.ServerResponse, next: OpenAiAnswer): void {
  if (typeof next === 'string') {
    const body = structuredClone(published.responses['200'].body);
    const choice = body.choices[0];
    if (choice) choice.message.content = next;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return;
  }
  if ('published' in next) {
    const [status, body] = next.published === 'content_filter_400' ? [400, promptFiltered] : [200, withheld];
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return;
  }
  res.writeHead(next.status, {
    'content-type': 'application/json',
    ...(next.headers ?? { 'retry-after-ms': '1' }),
  });
  res.end(
    JSON.stringify(next.body ?? { error: { code: String(next.status), message: 'simulated failure' } }),
  );
}

export async function startOpenAiServer(): Promise<OpenAiServer> {
  const queue: OpenAiAnswer[] = [];
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      requests.push({
        path: req.url ?? '',
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as RecordedRequest['body'],
        at: Date.now(),
      });
      respond(res, queue.shift() ?? published.responses['200'].body.choices[0]?.message.content ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    answer: (...answers) => queue.push(...answers),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
