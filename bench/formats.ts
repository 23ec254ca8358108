/**
 * File-format benchmark: every writer — ours and the baselines — runs in a fresh child process
 * on the same generated records; the table compares throughput and peak memory side by side
 * and is saved to bench/results/formats.json.
 *
 *   node dist/bench/run.js formats [--rows N] [--small-rows N] [--pdf-rows N] [--repeats N] [--only csv,xlsx]
 *
 * Defaults: 1,000,000 rows (CSV, JSON, XLSX and the baselines that cope), 100,000 for
 * papaparse and SheetJS (and ours again at that size, for their ratios), 100,000 for PDF; best
 * of 3 passes. Environment equivalents: BENCH_ROWS, BENCH_SMALL_ROWS, BENCH_PDF_ROWS,
 * BENCH_REPEATS, BENCH_ONLY.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchCase, RowScale } from './formats/benchCases';
import { BENCH_CASES } from './formats/benchCases';
import { ChildMeasurement } from './formats/measurement';
import { runBenchChild } from './support/benchChild';

interface BenchConfig {
  rows: Record<RowScale, number>;
  repeats: number;
  only: readonly string[] | undefined;
}

/** One line of bench/results/formats.json. */
export interface FormatBenchEntry {
  format: string;
  writer: string;
  rows: number;
  rows_per_s: number;
  mb_per_s: number;
  peak_rss_mb: number;
  rss_growth_mb: number;
  seconds: number;
  bytes: number;
  /** For our writer: the baseline it is compared with; null for a baseline's own line. */
  baseline: string | null;
  /** Our throughput over the baseline's, same run, same rows. */
  ratio: number | null;
  goal: number | null;
}

const CHILD = join(__dirname, 'formats', 'child.js');
const RESULTS = resolve(__dirname, '..', '..', 'bench', 'results', 'formats.json');
const CHILD_TIMEOUT_MS = 15 * 60 * 1000;

function option(args: readonly string[], name: string, env: string | undefined): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index !== -1) return args[index + 1];
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3) ?? env;
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

function readConfig(args: readonly string[]): BenchConfig {
  const env = process.env;
  const only = option(args, 'only', env.BENCH_ONLY);
  return {
    rows: {
      large: positiveInt(option(args, 'rows', env.BENCH_ROWS), 1_000_000, 'rows'),
      small: positiveInt(option(args, 'small-rows', env.BENCH_SMALL_ROWS), 100_000, 'small-rows'),
      pdf: positiveInt(option(args, 'pdf-rows', env.BENCH_PDF_ROWS), 100_000, 'pdf-rows'),
    },
    repeats: positiveInt(option(args, 'repeats', env.BENCH_REPEATS), 3, 'repeats'),
    only: only?.split(',').map((s) => s.trim()),
  };
}

function runChild(caseId: string, rows: number): Promise<ChildMeasurement> {
  return runBenchChild(
    {
      label: `formats case "${caseId} ${rows}"`,
      script: CHILD,
      args: [caseId, String(rows)],
      timeoutMs: CHILD_TIMEOUT_MS,
    },
    ChildMeasurement,
  );
}

/** Best run by throughput (the least disturbed by other work), with the highest peak RSS of all runs. */
function keepBest(previous: ChildMeasurement | undefined, next: ChildMeasurement): ChildMeasurement {
  if (previous === undefined) return next;
  const best = next.seconds < previous.seconds ? next : previous;
  return {
    ...best,
    peakRssMb: Math.max(previous.peakRssMb, next.peakRssMb),
    rssGrowthMb: Math.max(previous.rssGrowthMb, next.rssGrowthMb),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function entryFor(bench: BenchCase, m: ChildMeasurement): FormatBenchEntry {
  return {
    format: bench.format,
    writer: bench.writer,
    rows: m.rows,
    rows_per_s: Math.round(m.rows / m.seconds),
    mb_per_s: round(m.bytes / 1024 / 1024 / m.seconds, 1),
    peak_rss_mb: Math.round(m.peakRssMb),
    rss_growth_mb: Math.round(m.rssGrowthMb),
    seconds: round(m.seconds, 2),
    bytes: m.bytes,
    baseline: null,
    ratio: null,
    goal: null,
  };
}

function printTable(entries: readonly FormatBenchEntry[]): void {
  const header = [
    'format',
    'writer',
    'rows',
    'rows/s',
    'MB/s',
    'peak RSS MB',
    'RSS growth MB',
    'baseline',
    'ratio',
    'goal',
  ];
  const lines = entries.map((e) => [
    e.format,
    e.writer,
    e.rows.toLocaleString('en-US'),
    e.rows_per_s.toLocaleString('en-US'),
    e.mb_per_s.toFixed(1),
    String(e.peak_rss_mb),
    String(e.rss_growth_mb),
    e.baseline ?? '',
    e.ratio === null ? '' : `${e.ratio.toFixed(2)}×`,
    e.goal === null || e.ratio === null ? '' : `≥ ${e.goal}× ${e.ratio >= e.goal ? 'met' : 'NOT MET'}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

export async function runFormatsBench(args: readonly string[]): Promise<void> {
  const config = readConfig(args);
  const cases = BENCH_CASES.filter((c) => config.only === undefined || config.only.includes(c.format));
  const measured = new Map<string, ChildMeasurement>();
  // Whole passes over all cases, so a writer and its baseline are interleaved and share the
  // same moments of background load on a busy machine.
  for (let pass = 1; pass <= config.repeats; pass++) {
    for (const bench of cases) {
      const rows = config.rows[bench.scale];
      process.stderr.write(
        `pass ${pass}/${config.repeats} ${bench.id} (${rows.toLocaleString('en-US')} rows)… `,
      );
      const m = await runChild(bench.id, rows);
      process.stderr.write(
        `${Math.round(rows / m.seconds).toLocaleString('en-US')} rows/s, ${Math.round(m.peakRssMb)} MB\n`,
      );
      measured.set(bench.id, keepBest(measured.get(bench.id), m));
    }
  }
  const entries: FormatBenchEntry[] = [];
  for (const bench of cases) {
    const m = measured.get(bench.id);
    if (m === undefined) continue;
    const base = entryFor(bench, m);
    if (bench.compareWith === undefined) {
      entries.push(base);
      continue;
    }
    for (const { caseId, goal } of bench.compareWith) {
      const other = measured.get(caseId);
      const otherCase = BENCH_CASES.find((c) => c.id === caseId);
      if (other === undefined || otherCase === undefined) continue;
      const ratio = other.seconds / other.rows / (m.seconds / m.rows);
      entries.push({ ...base, baseline: otherCase.writer, ratio: round(ratio, 2), goal });
    }
  }
  printTable(entries);
  mkdirSync(resolve(RESULTS, '..'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(entries, null, 2)}\n`);
  console.log(`\nSaved ${RESULTS}`);
}
