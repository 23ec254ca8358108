import { createHash, randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import http from 'node:http';
import path from 'node:path';
import { startLocalHost, type LocalHost } from '../../host/localHost';
import { BlobStore } from '../../shared/adapters/blob';
import { apiClient, seedInvoices } from '../support/api';
import { newUser } from '../support/invoke';
import { authHeaders } from '../support/principal';
import { fillBlobWithRandomBytes } from '../support/randomBlob';

/**
 * A download through the local host to a client that stops reading. With HTTP streams the
 * function's answer goes through the worker's HTTP proxy (`@azure/functions`), whose response
 * is where unread bytes would queue (azure-functions-nodejs-library#294, patched in patches/).
 * The host runs in this process so the test can see that response — through Node's diagnostics
 * channel for HTTP servers, nothing of ours replaced — and checks what it holds.
 */
const MB = 1024 * 1024;
const fileMb = 32;
/** The response's highWaterMark (16 KB) plus one Blob chunk is all it may hold; far below the file. */
const queuedLimit = 1 * MB;

interface ServerRequestStart {
  request: http.IncomingMessage;
  response: http.ServerResponse;
  server: http.Server;
}
const proxied: ServerRequestStart[] = [];
const onRequest = (message: unknown) => {
  const start = message as ServerRequestStart;
  // The library's proxy is the server whose requests carry the invocation id.
  if (start.request.headers['x-ms-invocation-id']) proxied.push(start);
};

let host: LocalHost;
beforeAll(async () => {
  subscribe('http.server.request.start', onRequest);
  process.env.COSMOS_DATABASE = `download_${randomUUID().slice(0, 8)}`;
  host = await startLocalHost({
    port: 0,
    appRoot: path.resolve(__dirname, '..', '..'),
    log: () => undefined,
    timers: false,
  });
}, 90_000);
afterAll(async () => {
  unsubscribe('http.server.request.start', onRequest);
  await host?.stop();
  // The library never closes its proxy server; left open, it would keep this worker alive.
  for (const server of new Set(proxied.map((p) => p.server))) {
    server.closeAllConnections();
    server.close();
  }
});

/** Resolves once `done()` holds, looking again after the event loop has run everything pending. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

describe('streamed downloads', () => {
  it('when the client stops reading, then the worker waits for it with at most one chunk queued, and the file arrives intact once it reads on', async () => {
    const email = newUser('slow');
    const api = apiClient(host.url, email);
    await seedInvoices(api, 1);
    const { job_id: jobId } = (
      await api.post('/api/v1/export-jobs', { data_types: ['documents'], format: 'json' })
    ).json<{ job_id: string }>();
    for (;;) {
      const { status } = (await api.get(`/api/v1/export-jobs/${jobId}`)).json<{ status: string }>();
      if (status === 'completed') break;
      if (status !== 'pending' && status !== 'running') throw new Error(`job ended ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const blob = new BlobStore({ kind: 'connectionString', connectionString: process.env.STORAGE ?? '' });
    const [blobPath] = await blob.list('exports', `${email}/jobs/${jobId}/`);
    if (!blobPath) throw new Error(`job ${jobId} has no file`);
    // A real job's file, made large in place: a job of this size would take minutes to export.
    const stored = await fillBlobWithRandomBytes(blob, blobPath, fileMb);

    proxied.length = 0;
    const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(`${host.url}/api/v1/export-jobs/${jobId}/download`, { headers: authHeaders(email) }, resolve)
        .once('error', reject),
    );
    expect(response.statusCode).toBe(200);
    response.pause(); // the client reads nothing for now
    await until(() => proxied.length > 0);
    const worker = proxied[0]!.response;
    let maxQueued = 0;
    const queued = () => (maxQueued = Math.max(maxQueued, worker.writableLength));

    // Either the worker waits for the client to read (back-pressure), or it goes on queueing
    // the unread file until it has written all of it: one of the two always comes.
    await until(() => {
      queued();
      const waiting = worker.writableNeedDrain && worker.listenerCount('drain') > 0;
      return waiting || worker.writableEnded;
    });
    expect(maxQueued).toBeLessThanOrEqual(queuedLimit);
    expect(worker.writableEnded).toBe(false); // it waits: the unread file is not all written out

    const received = await new Promise<{ bytes: number; sha256: string }>((resolve, reject) => {
      const hash = createHash('sha256');
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
        queued();
      });
      response.once('end', () => resolve({ bytes, sha256: hash.digest('hex') }));
      response.once('error', reject);
      response.resume();
    });
    expect(received).toEqual({ bytes: fileMb * MB, sha256: stored });
    expect(maxQueued).toBeLessThanOrEqual(queuedLimit);
  }, 120_000);
});
