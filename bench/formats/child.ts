/**
 * Runs one bench case in a fresh process (`node child.js <case> <rows>`), so its peak RSS is
 * its own, and prints one JSON line with the measurements (see ./measurement.ts).
 */
import { performance } from 'node:perf_hooks';
import { runAsBenchChild } from '../support/benchChild';
import { benchCase } from './benchCases';
import { recordPool } from './benchRecords';
import { FileSink } from './fileSink';
import type { ChildMeasurement } from './measurement';

const MB = 1024 * 1024;

async function measure(caseId: string, rows: number): Promise<ChildMeasurement> {
  if (!Number.isInteger(rows) || rows <= 0) throw new Error(`rows must be a positive integer, got ${rows}`);
  const bench = benchCase(caseId);
  const pool = recordPool();
  const sink = new FileSink(caseId);
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  await bench.run(pool, rows, sink);
  const seconds = (performance.now() - start) / 1000;
  const bytes = sink.close();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return {
    caseId,
    rows,
    seconds,
    bytes,
    peakRssMb: peakRss / MB,
    rssGrowthMb: (peakRss - rssBefore) / MB,
  };
}

const [caseId = '', rows = ''] = process.argv.slice(2);
runAsBenchChild(`formats case "${caseId} ${rows}"`, () => measure(caseId, Number(rows)));
