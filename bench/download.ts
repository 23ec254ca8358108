/**
 * `npm run bench -- download [--mb N] [--client-mb-per-s R] [--smoke] [--out DIR]`: one job file of N MB (200; 8 with
 * --smoke) downloaded over HTTP from the local host, which runs in its own process (`node
 * dist/host/main.js`, as `npm start`) so its RSS is the product's. The job is a real one made
 * through the API; its blob is then replaced in place by N MB of data. Beside it, in the same
 * run, the buffered baseline: the same blob through the same Blob adapter, served as downloads
 * were before bodies streamed (`body: await buffer(stream)`). For each: time to first byte, the
 * server process's RSS growth over the download (sampled every 5 ms from /proc), throughput, and
 * the received bytes' SHA-256 against the stored one — each twice: the first large download a
 * process serves (its runtime sizes itself up once) and the next. Goal (streamed, full size):
 * RSS growth ≤ 32 MB, first byte ≤ 200 ms. `--client-mb-per-s` paces the client's reads (a client
 * slower than Blob Storage; default: as fast as it can). Writes download.json.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { startAzurite, startCosmosEmulator } from '../host/emulators';
import { BlobStore } from '../shared/adapters/blob';
import type { BenchDefinition } from './support/benchDefinition';
import type { BenchOptions } from './support/options';
import { resultRows, writeResultFile } from './support/resultFile';
import { startServerProcess } from './support/serverProcess';
import { authHeaders } from '../tests/support/principal';
import { fillBlobWithRandomBytes } from '../tests/support/randomBlob';

const GOAL = { rss_growth_mb: 32, first_byte_ms: 200 };

const DownloadRow = z.object({
  path: z.enum(['streamed', 'buffered']),
  /** 1: the first large download the process serves; 2: the next one, on a warmed process. */
  download: z.number().int().positive(),
  mb: z.number().positive(),
  first_byte_ms: z.number().nonnegative(),
  seconds: z.number().nonnegative(),
  mb_per_s: z.number().nonnegative(),
  rss_before_mb: z.number().nonnegative(),
  rss_peak_mb: z.number().nonnegative(),
  rss_growth_mb: z.number(),
  /** The received bytes hash to what was stored. */
  intact: z.boolean(),
  /** Streamed row only: both goals met (meaningless at smoke size). */
  goal_met: z.boolean().optional(),
});
const DownloadResult = resultRows(DownloadRow);
type Row = z.infer<typeof DownloadRow>;

const appRoot = path.resolve(__dirname, '..', '..');
const MB = 1024 * 1024;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A process's resident set size, from /proc (Linux). */
function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Downloads `url` once, hashing as it reads, while sampling the server's RSS. */
async function measureDownload(
  url: string,
  headers: Record<string, string>,
  serverPid: number,
  clientMbPerS?: number,
): Promise<Omit<Row, 'path' | 'download' | 'mb' | 'intact'> & { sha256: string; bytes: number }> {
  const before = rssBytes(serverPid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(serverPid))), 5);
  const started = performance.now();
  try {
    const { firstByte, bytes, sha256 } = await new Promise<{
      firstByte: number;
      bytes: number;
      sha256: string;
    }>((resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`${url} answered ${res.statusCode}`));
          const hash = createHash('sha256');
          let firstByte = 0;
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            if (bytes === 0) firstByte = performance.now();
            bytes += chunk.length;
            hash.update(chunk);
            if (clientMbPerS !== undefined) {
              // A client slower than Blob Storage: reads paced to the given rate.
              res.pause();
              setTimeout(() => res.resume(), (chunk.length / MB / clientMbPerS) * 1000);
            }
          });
          res.on('end', () => resolve({ firstByte, bytes, sha256: hash.digest('hex') }));
          res.on('error', reject);
        })
        .on('error', reject);
    });
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, rssBytes(serverPid));
    return {
      first_byte_ms: round(firstByte - started),
      seconds: round(seconds, 2),
      mb_per_s: round(bytes / MB / seconds),
      rss_before_mb: round(before / MB),
      rss_peak_mb: round(peak / MB),
      rss_growth_mb: round((peak - before) / MB),
      sha256,
      bytes,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** A real job through the API: one document, exported as JSON, polled to completion. */
async function completedJob(baseUrl: string, headers: Record<string, string>): Promise<string> {
  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  await call('POST', '/api/v1/docs', {
    file_name: 'bench.json',
    document_type: 'invoice',
    extracted_data: { InvoiceId: 'BENCH-1' },
  });
  const { job_id: jobId } = (await call('POST', '/api/v1/export-jobs', {
    data_types: ['documents'],
    format: 'json',
  })) as { job_id: string };
  for (;;) {
    const { status } = (await call('GET', `/api/v1/export-jobs/${jobId}`)) as { status: string };
    if (status === 'completed') return jobId;
    if (status !== 'pending' && status !== 'running') throw new Error(`bench job ended ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function runDownloadBench(options: BenchOptions): Promise<string> {
  const mb = options.positiveInt('mb', { full: 200, smoke: 8 });
  const paced = options.string('client-mb-per-s') !== undefined;
  const clientMbPerS = paced ? options.positiveInt('client-mb-per-s', { full: 1, smoke: 1 }) : undefined;
  const [azurite, cosmos] = await Promise.all([startAzurite(), startCosmosEmulator()]);
  const blob = new BlobStore({ kind: 'connectionString', connectionString: azurite.connectionString });
  const env = {
    STORAGE: azurite.connectionString,
    COSMOS: cosmos.connectionString,
    COSMOS_DATABASE: `download_${Date.now()}`,
  };
  const host = await startServerProcess(path.join(appRoot, 'dist/host/main.js'), { env, cwd: appRoot });
  const buffered = await startServerProcess(path.join(__dirname, 'service/bufferedDownload.js'), {
    args: [azurite.connectionString],
    cwd: appRoot,
  });
  try {
    const email = 'bench.download@contoso.com';
    const headers = authHeaders(email);
    const jobId = await completedJob(host.url, headers);
    const [blobPath] = await blob.list('exports', `${email}/jobs/${jobId}/`);
    if (!blobPath) throw new Error(`job ${jobId} has no file`);
    const viaApi = `${host.url}/api/v1/export-jobs/${jobId}/download`;
    const direct = `${buffered.url}/?container=exports&path=${encodeURIComponent(blobPath)}`;
    // Warm-up on the small real file: code paths loaded before anything is measured.
    await measureDownload(viaApi, headers, host.pid);
    await measureDownload(direct, {}, buffered.pid);

    const stored = await fillBlobWithRandomBytes(blob, blobPath, mb);
    const rows: Row[] = [];
    const runs = [
      ['streamed', 1, viaApi, host.pid, headers],
      ['streamed', 2, viaApi, host.pid, headers],
      ['buffered', 1, direct, buffered.pid, {}],
      ['buffered', 2, direct, buffered.pid, {}],
    ] as const;
    for (const [name, nth, url, pid, hdrs] of runs) {
      const { sha256, bytes, ...figures } = await measureDownload(url, hdrs, pid, clientMbPerS);
      const row: Row = {
        path: name,
        download: nth,
        mb,
        ...figures,
        intact: sha256 === stored && bytes === mb * MB,
      };
      if (name === 'streamed')
        row.goal_met =
          row.intact && row.rss_growth_mb <= GOAL.rss_growth_mb && row.first_byte_ms <= GOAL.first_byte_ms;
      rows.push(row);
    }
    console.log(
      `\ndownload (${mb} MB job file; goal streamed: RSS growth ≤ ${GOAL.rss_growth_mb} MB, first byte ≤ ${GOAL.first_byte_ms} ms)`,
    );
    console.table(rows);
    return writeResultFile(options.resultsDir, 'download', DownloadResult, rows);
  } finally {
    await Promise.all([host.stop(), buffered.stop()]);
    await Promise.all([azurite.stop(), cosmos.stop()]);
  }
}

export const downloadBench: BenchDefinition = {
  valueOptions: ['mb', 'client-mb-per-s'],
  resultSchema: DownloadResult,
  run: runDownloadBench,
};
