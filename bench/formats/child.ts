/**
 * Runs one bench case in a fresh process (`node child.js <case> <rows>`), so its peak RSS is
 * its own, and prints one JSON line with the measurements.
 */
import { performance } from 'node:perf_hooks';
import { benchCase } from './benchCases';
import { recordPool } from './benchRecords';
import { FileSink } from './fileSink';

export interface ChildMeasurement {
  caseId: string;
  rows: number;
  seconds: number;
  bytes: number;
  /** Highest resident set size of the whole process. */
  peakRssMb: number;
  /** Peak minus the resident size just before writing began (records pool and code loaded). */
  rssGrowthMb: number;
}

const MB = 1024 * 1024;

async function main(caseId: string, rows: number): Promise<void> {
  const bench = benchCase(caseId);
  const pool = recordPool();
  const sink = new FileSink(caseId);
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  await bench.run(pool, rows, sink);
  const seconds = (performance.now() - start) / 1000;
  const bytes = sink.close();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const measurement: ChildMeasurement = {
    caseId,
    rows,
    seconds,
    bytes,
    peakRssMb: peakRss / MB,
    rssGrowthMb: (peakRss - rssBefore) / MB,
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

const [caseId, rows] = process.argv.slice(2);
main(caseId ?? '', Number(rows)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
