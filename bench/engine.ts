/**
 * `npm run bench -- engine [--runs N] [--records N] [--smoke] [--out DIR]`: the same work on
 * both Durable engines in one run — the local runtime (host/durable/) and Microsoft's Durable
 * extension through the engine bridge (needs the .NET SDK) — each case in a fresh process with
 * its own emulators: the workflow's phase 1 and phase 2 round trips (CSV, 200-line-item
 * invoice, N runs after 2 warm-ups; 30, 2 with --smoke) and a bulk CSV job of N records
 * (100,000; 2,000 with --smoke) over the synthetic source of the bulk bench. Writes engine.json
 * to bench/results/ (bench/results/smoke/ with --smoke).
 */
import path from 'node:path';
import { z } from 'zod';
import { BulkCaseResult } from './service/bulkCase';
import { EngineWorkflowResult } from './service/engineWorkflowCase';
import { runBenchChild } from './support/benchChild';
import type { BenchDefinition } from './support/benchDefinition';
import type { BenchOptions } from './support/options';
import { resultRows, writeResultFile } from './support/resultFile';

const engines = ['local', 'extension'] as const;

/** One line of engine.json: one engine's figures, and its ratios to the local runtime's in the same run. */
const EngineRow = EngineWorkflowResult.extend({
  bulk_records: z.number().int().positive(),
  bulk_records_per_s: z.number().positive(),
  /** phase2_p50_ms over the local runtime's. */
  phase2_p50_ratio_to_local: z.number().positive(),
  /** bulk_records_per_s over the local runtime's. */
  bulk_ratio_to_local: z.number().positive(),
});
type EngineRow = z.infer<typeof EngineRow>;

const EngineResults = resultRows(EngineRow).refine(
  (rows) => engines.every((engine) => rows.some((r) => r.engine === engine)),
  { message: `engine.json needs a row for each of ${engines.join(', ')}` },
);

const ratio = (value: number, base: number) => Math.round((value / Math.max(base, 1)) * 100) / 100;

async function runEngineBench(options: BenchOptions): Promise<string> {
  const runs = options.positiveInt('runs', { full: 30, smoke: 2 });
  const records = options.positiveInt('records', { full: 100_000, smoke: 2_000 });
  const timeoutMs = (options.smoke ? 4 : 30) * 60_000;
  const measured: { workflow: EngineWorkflowResult; bulk: BulkCaseResult }[] = [];
  for (const engine of engines) {
    const workflow = await runBenchChild(
      {
        label: `engine workflow case "${engine}"`,
        script: path.join(__dirname, 'service', 'engineWorkflowChild.js'),
        args: [engine, String(runs)],
        timeoutMs,
      },
      EngineWorkflowResult,
    );
    const bulk = await runBenchChild(
      {
        label: `engine bulk case "${engine} csv ${records}"`,
        script: path.join(__dirname, 'service', 'bulkChild.js'),
        args: ['ours', 'csv', String(records), engine],
        timeoutMs,
      },
      BulkCaseResult,
    );
    measured.push({ workflow, bulk });
  }
  const local = measured[0] as (typeof measured)[number];
  const rows: EngineRow[] = measured.map(({ workflow, bulk }) => ({
    ...workflow,
    bulk_records: records,
    bulk_records_per_s: bulk.records_per_s,
    phase2_p50_ratio_to_local: ratio(workflow.phase2_p50_ms, local.workflow.phase2_p50_ms),
    bulk_ratio_to_local: ratio(bulk.records_per_s, local.bulk.records_per_s),
  }));

  console.log(`\nDurable engines (workflow: CSV, ${runs} runs; bulk: ${records} CSV records)`);
  console.log(
    'engine     phase1 p50  phase1 p95  phase2 p50  phase2 p95  bulk records/s  phase2 p50 ×local  bulk ×local',
  );
  for (const r of rows) {
    console.log(
      `${r.engine.padEnd(9)}  ${String(r.phase1_p50_ms).padStart(10)}  ${String(r.phase1_p95_ms).padStart(10)}  ${String(r.phase2_p50_ms).padStart(10)}  ${String(r.phase2_p95_ms).padStart(10)}  ${String(r.bulk_records_per_s).padStart(14)}  ${String(r.phase2_p50_ratio_to_local).padStart(17)}  ${String(r.bulk_ratio_to_local).padStart(11)}`,
    );
  }
  return writeResultFile(options.resultsDir, 'engine', EngineResults, rows);
}

export const engineBench: BenchDefinition = {
  valueOptions: ['runs', 'records'],
  resultSchema: EngineResults,
  run: runEngineBench,
};
