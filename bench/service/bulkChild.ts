/**
 * One bulk-export bench case in a fresh process (so peak RSS is this case's):
 *   node dist/bench/service/bulkChild.js ours <format> <records>    the real pipeline, synthetic source
 *   node dist/bench/service/bulkChild.js raw ndjson <records>       unformatted NDJSON blocks, same Blob store
 *   node dist/bench/service/bulkChild.js cosmos <format> <records>  the real pipeline over the Cosmos emulator
 * A fourth argument names the Durable engine (`local`, the default, or `extension`).
 * Prints one JSON line with the figures (see ./bulkCase.ts), through runAsBenchChild, so it
 * cannot exit 0 without it.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { cosmosEmulatorConnectionString } from '../../host/emulators';
import { durableEngineSetting, type DurableEngine } from '../../host/localHost';
import type { OwnedQuery, OwnedRecord } from '../../shared/ports/records';
import { blockId } from '../../shared/domain/jobs';
import { readyServices, type AppServices } from '../../shared/app/compositionRoot';
import { ExportJobsService, type RecordSource } from '../../shared/services/exportJobs';
import { authHeaders } from '../../tests/support/principal';
import { runAsBenchChild } from '../support/benchChild';
import { startInProcessHost } from '../support/inProcessHost';
import { BulkMode, type BulkCaseResult } from './bulkCase';

const owner = 'bench@contoso.com';

/** A document row as the documents container holds it, made from its index (12 fields once flattened). */
function record(i: number): OwnedRecord & Record<string, unknown> {
  const id = `rec-${String(i).padStart(9, '0')}`;
  return {
    id,
    document_id: id,
    owner_email: owner,
    file_name: `invoice-${i}.pdf`,
    document_type: i % 3 === 0 ? 'receipt' : 'invoice',
    status: 'extracted',
    extracted_data: {
      customer: `Customer ${i % 997}, "Ltd" — Ünïcødé 株式会社`,
      email: `buyer${i % 5000}@example.com`,
      amount: Math.round((i % 100_000) * 1.37) / 100,
      notes: i % 10 === 0 ? 'line one\nline two' : 'ok',
    },
    created_at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    updated_at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
  };
}

/** Records made on demand in id order, answering the same keyset queries a container does. */
class SyntheticSource implements RecordSource {
  constructor(private readonly total: number) {}
  count(): Promise<number> {
    return Promise.resolve(this.total);
  }
  take(_owner: string, query: OwnedQuery & { max: number }) {
    const cursor = query.parameters?.find((p) => p.name === '@cursor')?.value;
    const start = typeof cursor === 'string' ? Number(cursor.slice(4)) + 1 : 0;
    const end = Math.min(this.total, start + query.max);
    return Promise.resolve(Array.from({ length: Math.max(0, end - start) }, (_, k) => record(start + k)));
  }
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** A case's timing figures; the mode, format, record count and peak RSS are added around them. */
type Figures = Pick<BulkCaseResult, 'records_per_s' | 'seconds' | 'max_progress_gap_s'>;

async function runRaw(records: number): Promise<Figures> {
  const services = await readyServices();
  const started = performance.now();
  const ids: string[] = [];
  for (let batch = 0; batch * 1000 < records; batch++) {
    const rows: string[] = [];
    for (let i = batch * 1000; i < Math.min(records, (batch + 1) * 1000); i++)
      rows.push(JSON.stringify(record(i)));
    const id = blockId({ typeIndex: 0, batchIndex: batch });
    await services.blob.stageBlock('exports', 'bench/raw.ndjson', id, Buffer.from(`${rows.join('\n')}\n`));
    ids.push(id);
  }
  await services.blob.commitBlocks('exports', 'bench/raw.ndjson', ids, 'application/x-ndjson');
  const seconds = (performance.now() - started) / 1000;
  return { records_per_s: Math.round(records / seconds), seconds: Math.round(seconds * 10) / 10 };
}

async function seedCosmos(records: number): Promise<void> {
  const documents = (await readyServices()).cosmos.container('documents');
  for (let start = 0; start < records; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, records - start) }, (_, k) => documents.create(record(start + k))),
    );
  }
}

async function runJob(baseUrl: string, format: string, records: number): Promise<Figures> {
  const headers = { 'content-type': 'application/json', ...authHeaders(owner) };
  const started = performance.now();
  const created = await fetch(`${baseUrl}/api/v1/export-jobs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ data_types: ['documents'], format, batch_size: 1000 }),
  });
  if (!created.ok)
    throw new Error(`POST /api/v1/export-jobs answered ${created.status}: ${await created.text()}`);
  const { job_id: jobId } = (await created.json()) as { job_id: string };
  let lastProgress = -1;
  let lastChange = performance.now();
  let maxGap = 0;
  for (;;) {
    const polled = await fetch(`${baseUrl}/api/v1/export-jobs/${jobId}`, { headers });
    if (!polled.ok)
      throw new Error(`GET /api/v1/export-jobs/${jobId} answered ${polled.status}: ${await polled.text()}`);
    const job = (await polled.json()) as {
      status: string;
      processed_records: number;
      scanned_records?: number;
      finalized_records?: number;
      error_message: string | null;
    };
    const now = performance.now();
    const progress = job.processed_records + (job.scanned_records ?? 0) + (job.finalized_records ?? 0);
    if (progress !== lastProgress || job.status === 'completed') {
      maxGap = Math.max(maxGap, now - lastChange);
      lastChange = now;
      lastProgress = progress;
    }
    if (job.status === 'completed') {
      // A job that exported fewer records would make the figures meaningless.
      if (job.processed_records !== records)
        throw new Error(`job completed with ${job.processed_records} of ${records} records`);
      break;
    }
    if (job.status === 'failed') throw new Error(`job failed: ${job.error_message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    records_per_s: Math.round(records / seconds),
    seconds: Math.round(seconds * 10) / 10,
    max_progress_gap_s: Math.round(maxGap / 100) / 10,
  };
}

/**
 * The Cosmos emulator in a process of its own, so the host's peak RSS is the host's alone (the
 * emulator keeps every document in memory and copies them on every query). Like Azurite in
 * host/emulators.ts it runs behind a bootstrap that exits when the IPC channel to this process
 * closes, so it never outlives a case that crashes or is killed.
 */
async function startSeparateCosmos(): Promise<{ connectionString: string; stop: () => Promise<void> }> {
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const bootstrap = "process.on('disconnect', () => process.exit(0)); require(process.argv[1]);";
  const child = spawn(
    process.execPath,
    [
      '-e',
      bootstrap,
      require.resolve('@vercel/cosmosdb-server/lib/cli.js'),
      '--no-ssl',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  const startedBy = performance.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the Cosmos emulator stopped before answering (${child.exitCode ?? child.signalCode})`);
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (performance.now() > startedBy) {
      await stop();
      throw new Error('the Cosmos emulator did not answer within 30 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { connectionString: cosmosEmulatorConnectionString(port), stop };
}

function caseFromArguments(argv: readonly string[]): {
  mode: BulkMode;
  format: string;
  records: number;
  engine: DurableEngine;
} {
  const [mode = 'ours', format = 'csv', count = '100000', engine = 'local'] = argv;
  const records = Number(count);
  if (!Number.isInteger(records) || records <= 0)
    throw new Error(`records must be a positive integer, got "${count}"`);
  return { mode: BulkMode.parse(mode), format, records, engine: durableEngineSetting(engine) };
}

async function measureCase(argv: readonly string[]): Promise<BulkCaseResult> {
  const { mode, format, records, engine } = caseFromArguments(argv);
  const separateCosmos = mode === 'cosmos' ? await startSeparateCosmos() : undefined;
  try {
    const host = await startInProcessHost({ engine, cosmos: separateCosmos?.connectionString });
    let figures: Figures;
    try {
      figures = mode === 'raw' ? await runRaw(records) : await runPipeline(host.url, mode, format, records);
    } finally {
      await host.stop();
    }
    return { mode, format, records, ...figures, peak_rss_mb: peakRssMb() };
  } finally {
    await separateCosmos?.stop();
  }
}

/** The real export job, over the synthetic source (ours) or over the Cosmos emulator (cosmos). */
async function runPipeline(baseUrl: string, mode: 'ours' | 'cosmos', format: string, records: number) {
  const services = await readyServices();
  if (mode === 'ours') {
    const synthetic = new SyntheticSource(records);
    // Bench only: the same jobs service, reading from the synthetic source instead of Cosmos.
    Object.defineProperty(services, 'exportJobs' satisfies keyof AppServices, {
      value: new ExportJobsService({
        jobs: services.cosmos.container('export_jobs'),
        sources: { documents: synthetic, export_tracking: synthetic },
        files: services.blob,
        retentionDays: { api: 1, schedule: 1 },
        scheduleRuns: services.schedules,
        batchMaxBytes: services.config.limits.jobBatchMaxBytes,
      }),
    });
  } else {
    await seedCosmos(records);
  }
  return runJob(baseUrl, format, records);
}

runAsBenchChild(`bulk case ${process.argv.slice(2).join(' ')}`, () => measureCase(process.argv.slice(2)));
