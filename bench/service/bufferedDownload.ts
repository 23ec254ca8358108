/**
 * The download bench's baseline, in a process of its own: serves a blob the way downloads did
 * before bodies streamed (`body: await buffer(stream)`), through the same Blob adapter, so its
 * RSS growth and first byte show what a buffered download costs. `node
 * dist/bench/service/bufferedDownload.js <storage connection string>` prints its URL and serves
 * `GET /?container=…&path=…`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { BlobStore } from '../../shared/adapters/blob';
import type { BlobContainerName } from '../../shared/ports/files';

const connectionString = process.argv[2];
if (!connectionString) throw new Error('usage: bufferedDownload.js <storage connection string>');
const blob = new BlobStore({ kind: 'connectionString', connectionString });

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const container = url.searchParams.get('container') as BlobContainerName;
  blob
    .get(container, url.searchParams.get('path') ?? '')
    .then(async (stored) => {
      const bytes = await buffer(stored.stream);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      res.end(bytes);
    })
    .catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
