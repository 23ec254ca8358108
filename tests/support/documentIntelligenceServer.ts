import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Json } from '../../shared/domain/changes';
import analyzeAccepted from '../fixtures/document-intelligence/AnalyzeDocument_Url.json';
import analyzeResult from '../fixtures/document-intelligence/GetAnalyzeDocumentResult.json';

/**
 * A local HTTP server answering like Document Intelligence (api-version 2023-07-31): the analyze
 * POST answers 202 with an Operation-Location (published example AnalyzeDocument_Url.json), and
 * polling it answers the published prebuilt-invoice result (GetAnalyzeDocumentResult.json), or
 * the result a test queued with `answerNext` (built below from that published one).
 */
export interface DocumentIntelligenceServer {
  endpoint: string;
  analyzedModels: string[];
  /** Makes the next analyze request fail with this status. */
  failNext(status: number): void;
  /** Makes the next analysis answer this Get Analyze Result body instead of the published invoice. */
  answerNext(body: Json): void;
  close(): Promise<void>;
}

type JsonObject = { [key: string]: Json };

function object(value: Json | undefined): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
  return value;
}

function list(value: Json | undefined): Json[] {
  if (!Array.isArray(value)) throw new Error('not an array');
  return value;
}

/** The published Get Analyze Result body (status, timestamps, analyzeResult), as served by default. */
export function publishedInvoiceResult(): JsonObject {
  // A fresh copy through JSON, which is what the fixture is (its inferred literal type is narrower).
  const body: Json = JSON.parse(JSON.stringify(analyzeResult.responses['200'].body));
  return object(body);
}

/**
 * What changes on the second invoice: its id and due date. Each replacement has the length of
 * what it replaces, so every span of the published page stays right on the copy.
 */
const secondInvoiceText: [string, string][] = [
  ['INV-100', 'INV-101'],
  ['12/15/2019', '01/15/2020'],
  ['2019-12-15', '2020-01-15'],
];

const secondInvoice = (text: string): string =>
  secondInvoiceText.reduce((s, [from, to]) => s.split(from).join(to), text);

/** A copy of page-1 elements as page 2: texts of the second invoice, spans shifted past page 1. */
function asSecondPage(value: Json, shift: number): Json {
  if (typeof value === 'string') return secondInvoice(value);
  if (Array.isArray(value)) return value.map((v) => asSecondPage(v, shift));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === 'offset' && typeof v === 'number'
        ? v + shift
        : key === 'pageNumber'
          ? 2
          : asSecondPage(v, shift),
    ]),
  );
}

/**
 * A two-page PDF holding two invoices, as prebuilt-invoice answers it: built from the published
 * result. Page 2 is page 1 again (words, lines, tables) with the second invoice's id (INV-101) and
 * due date (01/15/2020); `content` is both pages joined by a line break. The second document is
 * the published one moved to page 2, with confidence 0.92 (the published one has 1), and its
 * AmountDue typed `currency` with a `valueCurrency` (the 2023-07-31 CurrencyValue: amount 610,
 * currencySymbol "$", currencyCode "USD") where the published example has a plain number.
 */
export function twoInvoiceResult(): JsonObject {
  const body = publishedInvoiceResult();
  const result = object(body.analyzeResult);
  const content = result.content;
  if (typeof content !== 'string') throw new Error('published result has no content');
  const shift = content.length + 1;
  const [first] = list(result.documents);
  const second = object(asSecondPage(object(first), shift));
  const fields = object(second.fields);
  fields.AmountDue = {
    ...Object.fromEntries(Object.entries(object(fields.AmountDue)).filter(([k]) => k !== 'valueNumber')),
    type: 'currency',
    valueCurrency: { amount: 610, currencySymbol: '$', currencyCode: 'USD' },
  };
  second.confidence = 0.92;
  result.content = `${content}\n${secondInvoice(content)}`;
  result.pages = [...list(result.pages), ...list(result.pages).map((p) => asSecondPage(p, shift))];
  result.tables = [...list(result.tables), ...list(result.tables).map((t) => asSecondPage(t, shift))];
  result.documents = [object(first), second];
  return body;
}

/** Keys printed on the published invoice; each pair's value is the rest of the key's line, if any. */
const invoiceKeys = ['INVOICE:', 'INVOICE DATE:', 'DUE DATE:', 'CUSTOMER ID:', 'TERMS'];

/**
 * The body with `keyValuePairs` as the service reports them (key and value elements with their
 * content and spans; bounding regions, which are optional, left out), one pair for every place a
 * key of the invoice is printed in `content`, in reading order. A key whose line holds nothing
 * else ("TERMS") has no value element. Confidences alternate 0.9 and 0.8. These pairs are ours:
 * the published example has none.
 */
export function withKeyValuePairs(body: JsonObject): JsonObject {
  const result = object(body.analyzeResult);
  const content = result.content;
  if (typeof content !== 'string') throw new Error('result has no content');
  const found: { at: number; key: string }[] = [];
  for (const key of invoiceKeys) {
    for (let at = content.indexOf(key); at >= 0; at = content.indexOf(key, at + 1)) found.push({ at, key });
  }
  result.keyValuePairs = found
    .sort((a, b) => a.at - b.at)
    .map(({ at, key }, i) => {
      const [, space = '', rest = ''] = /^( ?)([^\n]*)/.exec(content.slice(at + key.length)) ?? [];
      const valueAt = at + key.length + space.length;
      return {
        key: { content: key, spans: [{ offset: at, length: key.length }] },
        ...(rest ? { value: { content: rest, spans: [{ offset: valueAt, length: rest.length }] } } : {}),
        confidence: i % 2 === 0 ? 0.9 : 0.8,
      };
    });
  return body;
}

/**
 * The two-page invoice PDF as prebuilt-document answers it: key-value pairs, tables and text,
 * no typed documents. Built from `twoInvoiceResult()` without its documents.
 */
export function keyValueResult(): JsonObject {
  const body = twoInvoiceResult();
  const result = object(body.analyzeResult);
  delete result.documents;
  result.modelId = 'prebuilt-document';
  return withKeyValuePairs(body);
}

export async function startDocumentIntelligenceServer(): Promise<DocumentIntelligenceServer> {
  const analyzedModels: string[] = [];
  const failures: number[] = [];
  const queued: Json[] = [];
  const results = new Map<string, Json>();
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
        // Each analysis gets its own result id, so a queued answer goes to the request it was meant for.
        const resultId = `result-${results.size + 1}`;
        results.set(resultId, queued.shift() ?? publishedInvoiceResult());
        const published = new URL(analyzeAccepted.responses['202'].headers['Operation-Location']);
        const path = published.pathname.replace('customModel', analyze[1]).replace(/[^/]+$/, resultId);
        res.writeHead(202, { 'operation-location': `http://${req.headers.host}${path}${published.search}` });
        res.end();
        return;
      }
      const poll = /\/analyzeResults\/([^/]+)$/.exec(url.pathname);
      const result = req.method === 'GET' && poll?.[1] ? results.get(poll[1]) : undefined;
      if (result !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result));
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
    answerNext: (body) => queued.push(body),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
