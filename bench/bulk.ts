/**
 * `npm run bench -- bulk [--records N] [--cosmos-records M] [--smoke] [--out DIR]`: the bulk
 * export pipeline — the real orchestration, file writers and Blob (Azurite) path over a
 * synthetic record source — against a raw pipeline writing the same records as unformatted
 * NDJSON blocks to the same store, each case in a fresh process; then one end-to-end job through
 * the Cosmos emulator. Writes bulk.json to bench/results/ (bench/results/smoke/ with --smoke).
 */
import path from 'node:path';
import { z } from 'zod';
import { runBenchChild } from './support/benchChild';
import type { BenchDefinition } from './support/benchDefinition';
import type { BenchOptions } from './support/options';
import { resultRows, writeResultFile } from './support/resultFile';
import { BulkCaseResult, type BulkMode } from './service/bulkCase';

const CHILD = path.join(__dirname, 'service', 'bulkChild.js');
const PIPELINE_FORMATS = ['csv', 'xlsx'] as const;
const COSMOS_ROW = 'csv (through the Cosmos emulator)';

/** One line of bulk.json. */
const BulkRow = z.object({
  format: z.string(),
  records: z.number().int().positive(),
  records_per_s: z.number().positive(),
  peak_rss_mb: z.number().positive(),
  /** The raw NDJSON pipeline's throughput in the same run; null for the Cosmos row. */
  raw_records_per_s: z.number().positive().nullable(),
  /** records_per_s over raw_records_per_s. */
  ratio: z.number().positive().nullable(),
  max_progress_gap_s: z.number().nonnegative().nullable(),
});
type BulkRow = z.infer<typeof BulkRow>;

const BulkResults = resultRows(BulkRow).refine(
  (rows) => [...PIPELINE_FORMATS, COSMOS_ROW].every((format) => rows.some((r) => r.format === format)),
  { message: `bulk.json needs a row for each of ${[...PIPELINE_FORMATS, COSMOS_ROW].join(', ')}` },
);

function runCase(mode: BulkMode, format: string, records: number, smoke: boolean): Promise<BulkCaseResult> {
  return runBenchChild(
    {
      label: `bulk case "${mode} ${format} ${records}"`,
      script: CHILD,
      args: [mode, format, String(records)],
      timeoutMs: (smoke ? 3 : 30) * 60_000,
    },
    BulkCaseResult,
  );
}

function printTable(raw: BulkCaseResult, rows: readonly BulkRow[]): void {
  console.log(
    `\nbulk export pipeline (raw NDJSON blocks: ${raw.records_per_s} records/s, peak RSS ${raw.peak_rss_mb} MB)`,
  );
  console.log(
    'format                              records   records/s  peak RSS MB  ratio to raw  max progress gap s',
  );
  for (const r of rows) {
    console.log(
      `${r.format.padEnd(34)}  ${String(r.records).padStart(8)}  ${String(r.records_per_s).padStart(10)}  ${String(r.peak_rss_mb).padStart(11)}  ${String(r.ratio ?? '-').padStart(12)}  ${String(r.max_progress_gap_s ?? '-').padStart(18)}`,
    );
  }
}

async function runBulkBench(options: BenchOptions): Promise<string> {
  const records = options.positiveInt('records', { full: 1_000_000, smoke: 2_000 });
  const cosmosRecords = options.positiveInt('cosmos-records', { full: 20_000, smoke: 300 });
  const raw = await runCase('raw', 'ndjson', records, options.smoke);
  const rows: BulkRow[] = [];
  for (const format of PIPELINE_FORMATS) {
    const ours = await runCase('ours', format, records, options.smoke);
    rows.push({
      format,
      records,
      records_per_s: ours.records_per_s,
      peak_rss_mb: ours.peak_rss_mb,
      raw_records_per_s: raw.records_per_s,
      ratio: Math.round((ours.records_per_s / raw.records_per_s) * 100) / 100,
      max_progress_gap_s: ours.max_progress_gap_s ?? null,
    });
  }
  const cosmos = await runCase('cosmos', 'csv', cosmosRecords, options.smoke);
  rows.push({
    format: COSMOS_ROW,
    records: cosmosRecords,
    records_per_s: cosmos.records_per_s,
    peak_rss_mb: cosmos.peak_rss_mb,
    raw_records_per_s: null,
    ratio: null,
    max_progress_gap_s: cosmos.max_progress_gap_s ?? null,
  });
  printTable(raw, rows);
  return writeResultFile(options.resultsDir, 'bulk', BulkResults, rows);
}

export const bulkBench: BenchDefinition = {
  valueOptions: ['records', 'cosmos-records'],
  resultSchema: BulkResults,
  run: runBulkBench,
};
