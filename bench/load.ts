/**
 * `npm run bench -- load [--seconds N] [--users N] [--smoke] [--out DIR]`: simulated users, each
 * running full flows (create a document, phase 1, phase 2) back to back against the local host,
 * first 1 user, then N (32; 4 with --smoke), for N seconds each (60; 3 with --smoke). The host
 * runs in its own process (`node dist/host/main.js`, as `npm start`), the emulators and the load
 * in this one, so the host's figures are the product's. Each user also tries to read another
 * user's workflow: anything but 404 is a cross-user read. Writes load.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { startAzurite, startCosmosEmulator } from '../host/emulators';
import { authHeaders } from '../tests/support/principal';
import { percentile } from './service/instrument';
import type { BenchDefinition } from './support/benchDefinition';
import type { BenchOptions } from './support/options';
import { writeResultFile } from './support/resultFile';
import { startServerProcess } from './support/serverProcess';

const LoadResult = z.object({
  users: z.number().int().positive(),
  seconds: z.number().positive(),
  flows: z.number().int().nonnegative(),
  flows_per_s: z.number().nonnegative(),
  p50_ms: z.number().nonnegative(),
  p95_ms: z.number().nonnegative(),
  single_user_flows_per_s: z.number().nonnegative(),
  single_user_p95_ms: z.number().nonnegative(),
  /** The host process's CPU time (user + system) per completed flow, in each phase. */
  host_cpu_ms_per_flow: z.number().nonnegative(),
  single_user_host_cpu_ms_per_flow: z.number().nonnegative(),
  /** Requests the host sent the Cosmos emulator per completed flow (the user's peer check included). */
  cosmos_requests_per_flow: z.number().nonnegative(),
  single_user_cosmos_requests_per_flow: z.number().nonnegative(),
  /**
   * This process's CPU time per flow at N users: the emulators and the simulated users. Were it
   * near 1,000 ms per second of the phase, this process, not the host, would limit the figure.
   */
  bench_cpu_ms_per_flow: z.number().nonnegative(),
  /**
   * Durable status queries the host served per completed flow at N users, and with 1 user: what
   * waiting requests cost the task hub (they are woken by the activities' header writes and poll
   * only as a fallback).
   */
  status_queries_per_flow: z.number().nonnegative(),
  single_user_status_queries_per_flow: z.number().nonnegative(),
  /** flows_per_s / single_user_flows_per_s, measured in the same run (goal ≥ 2.5). */
  scaling: z.number().nonnegative(),
  errors_5xx: z.number().int().nonnegative(),
  cross_user_reads: z.number().int().nonnegative(),
});

const appRoot = path.resolve(__dirname, '..', '..');

interface Tally {
  latencies: number[];
  errors5xx: number;
  crossUserReads: number;
}

/** One simulated user: flows back to back until the deadline. */
async function user(
  baseUrl: string,
  index: number,
  deadline: number,
  tally: Tally,
  workflows: { own: string[]; peer: readonly string[] },
) {
  const headers = {
    ...authHeaders(`load-${index}@contoso.com`),
    'content-type': 'application/json',
  };
  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 500) tally.errors5xx++;
    return { status: response.status, text };
  };
  for (let flow = 0; performance.now() < deadline; flow++) {
    const started = performance.now();
    const created = await call('POST', '/api/v1/docs', {
      file_name: `invoice-${flow}.json`,
      document_type: 'invoice',
      extracted_data: { InvoiceId: `INV-${index}-${flow}`, Total: flow, Items: [{ sku: 'A', amount: flow }] },
    });
    if (created.status !== 201) continue;
    const { document_id } = JSON.parse(created.text) as { document_id: string };
    const review = await call('POST', `/api/v1/docs/${document_id}/export`, { use_ai_review: true });
    if (review.status !== 200) continue;
    const { export_workflow_id } = JSON.parse(review.text) as { export_workflow_id: string };
    const file = await call('POST', `/api/v1/docs/${document_id}/export`, {
      use_ai_template_generation: true,
      export_workflow_id,
      format: 'csv',
      data: { InvoiceId: `INV-${index}-${flow}`, Total: flow + 1, Items: [{ sku: 'A', amount: flow + 1 }] },
    });
    if (file.status !== 200) continue;
    tally.latencies.push(performance.now() - started);
    // Another user's workflow must answer exactly as a missing one.
    const peer = workflows.peer.at(-1);
    if (peer && (await call('GET', `/api/v1/exports/${peer}`)).status !== 404) tally.crossUserReads++;
    workflows.own.push(export_workflow_id);
  }
}

/** CPU time (user + system, ms) a process has used so far, from Linux's /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** What the host served so far, by kind (bench/support/requestTally.ts, preloaded into the host). */
async function servedRequests(hostUrl: string): Promise<Record<string, number>> {
  return (await (await fetch(`${hostUrl}/.bench/request-tally`)).json()) as Record<string, number>;
}

async function phase(
  host: { url: string; pid: number },
  cosmosRequests: () => number,
  users: number,
  seconds: number,
  peers: string[][],
) {
  const baseUrl = host.url;
  const cpuBefore = cpuMs(host.pid);
  const requestsBefore = cosmosRequests();
  const statusBefore = (await servedRequests(baseUrl)).durable_status ?? 0;
  const benchCpuBefore = process.cpuUsage();
  const tally: Tally = { latencies: [], errors5xx: 0, crossUserReads: 0 };
  const deadline = performance.now() + seconds * 1000;
  // Each user is shown the workflows of the user next to it.
  await Promise.all(
    Array.from({ length: users }, (_, i) =>
      user(baseUrl, i, deadline, tally, { own: peers[i] ?? [], peer: peers[(i + 1) % peers.length] ?? [] }),
    ),
  );
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const cpu = cpuMs(host.pid) - cpuBefore;
  const requests = cosmosRequests() - requestsBefore;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const statusQueries = ((await servedRequests(baseUrl)).durable_status ?? 0) - statusBefore;
  const perFlow = (total: number, digits: number) =>
    sorted.length > 0 ? Math.round((total / sorted.length) * 10 ** digits) / 10 ** digits : 0;
  return {
    flows: sorted.length,
    hostCpuMsPerFlow: perFlow(cpu, 0),
    cosmosRequestsPerFlow: perFlow(requests, 1),
    benchCpuMsPerFlow: perFlow((benchCpu.user + benchCpu.system) / 1000, 0),
    statusQueriesPerFlow: perFlow(statusQueries, 2),
    flows_per_s: Math.round((sorted.length / seconds) * 10) / 10,
    p50_ms: Math.round(percentile(sorted, 50)),
    p95_ms: Math.round(percentile(sorted, 95)),
    errors5xx: tally.errors5xx,
    crossUserReads: tally.crossUserReads,
  };
}

/**
 * The compiled host in its own process, with the request tally preloaded; `HOST_NODE_ARGS` adds
 * node flags for it alone (e.g. `--cpu-prof`).
 */
function startHostProcess(env: Record<string, string>) {
  const nodeArgs = [
    '--require',
    path.join(__dirname, 'support', 'requestTally.js'),
    ...(process.env.HOST_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  return startServerProcess(path.join(appRoot, 'dist/host/main.js'), { env, cwd: appRoot, nodeArgs });
}

async function runLoadBench(options: BenchOptions): Promise<string> {
  const users = options.positiveInt('users', { full: 32, smoke: 4 });
  const seconds = options.positiveInt('seconds', { full: 60, smoke: 3 });
  const [azurite, cosmos] = await Promise.all([startAzurite(), startCosmosEmulator()]);
  const host = await startHostProcess({
    STORAGE: azurite.connectionString,
    COSMOS: cosmos.connectionString,
    COSMOS_DATABASE: `load_${Date.now()}`,
  });
  try {
    const peers = Array.from({ length: users }, () => [] as string[]);
    await phase(host, cosmos.requests, 1, Math.min(3, seconds), peers); // warm-up
    const single = await phase(host, cosmos.requests, 1, seconds, peers);
    const many = await phase(host, cosmos.requests, users, seconds, peers);
    const result = {
      users,
      seconds,
      flows: many.flows,
      flows_per_s: many.flows_per_s,
      p50_ms: many.p50_ms,
      p95_ms: many.p95_ms,
      single_user_flows_per_s: single.flows_per_s,
      single_user_p95_ms: single.p95_ms,
      host_cpu_ms_per_flow: many.hostCpuMsPerFlow,
      single_user_host_cpu_ms_per_flow: single.hostCpuMsPerFlow,
      cosmos_requests_per_flow: many.cosmosRequestsPerFlow,
      single_user_cosmos_requests_per_flow: single.cosmosRequestsPerFlow,
      bench_cpu_ms_per_flow: many.benchCpuMsPerFlow,
      status_queries_per_flow: many.statusQueriesPerFlow,
      single_user_status_queries_per_flow: single.statusQueriesPerFlow,
      scaling: single.flows_per_s > 0 ? Math.round((many.flows_per_s / single.flows_per_s) * 100) / 100 : 0,
      errors_5xx: single.errors5xx + many.errors5xx,
      cross_user_reads: single.crossUserReads + many.crossUserReads,
    };
    console.log('\nload (full flows: create, phase 1, phase 2 CSV)');
    console.log(JSON.stringify(result, null, 2));
    return writeResultFile(options.resultsDir, 'load', LoadResult, result);
  } finally {
    await host.stop();
    await Promise.all([azurite.stop(), cosmos.stop()]);
  }
}

export const loadBench: BenchDefinition = {
  valueOptions: ['users', 'seconds'],
  resultSchema: LoadResult,
  run: runLoadBench,
};
