/**
 * `npm run bench -- bulk [--records N] [--cosmos-records M]`: the bulk export pipeline — the real
 * orchestration, file writers and Blob (Azurite) path over a synthetic record source — against a
 * raw pipeline writing the same records as unformatted NDJSON blocks to the same store, each case
 * in a fresh process; then one end-to-end job through the Cosmos emulator. Writes
 * bench/results/bulk.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runBenchChild } from './support/benchChild';
import { BulkCaseResult, type BulkMode } from './service/bulkCase';

function runCase(mode: BulkMode, format: string, records: number): Promise<BulkCaseResult> {
  return runBenchChild(
    {
      label: `bulk case "${mode} ${format} ${records}"`,
      script: path.join(__dirname, 'service', 'bulkChild.js'),
      args: [mode, format, String(records)],
      timeoutMs: 30 * 60_000,
    },
    BulkCaseResult,
  );
}

function option(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

export async function runBulkBench(args: readonly string[]): Promise<void> {
  const records = option(args, '--records', 1_000_000);
  const cosmosRecords = option(args, '--cosmos-records', 20_000);
  const raw = await runCase('raw', 'ndjson', records);
  const rows = [];
  for (const format of ['csv', 'xlsx']) {
    const ours = await runCase('ours', format, records);
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
  const cosmos = await runCase('cosmos', 'csv', cosmosRecords);
  rows.push({
    format: 'csv (through the Cosmos emulator)',
    records: cosmosRecords,
    records_per_s: cosmos.records_per_s,
    peak_rss_mb: cosmos.peak_rss_mb,
    raw_records_per_s: null,
    ratio: null,
    max_progress_gap_s: cosmos.max_progress_gap_s ?? null,
  });

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
  const out = path.resolve(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'bulk.json'), `${JSON.stringify(rows, null, 2)}\n`);
}
