/**
 * `npm run bench:smoke`, or `node dist/bench/smoke.js [name…] [--out DIR]`: every bench (or the
 * named ones) at smoke size, each as a user runs it — `node dist/bench/run.js <name> --smoke
 * --out DIR` in a process of its own — then checks that it exited 0 and wrote a fresh result file
 * that parses and matches the bench's schema. Runs them all, then exits 1 if any failed, so a
 * bench that stops running, or stops writing what it claims to, fails CI instead of rotting.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { BENCH_NAMES, loadBench } from './registry';
import { SMOKE_RESULTS_DIR } from './support/options';
import { readResultFile, resultFilePath } from './support/resultFile';

/** Generous for a size that takes seconds, so only a hang (or a full-size run by mistake) hits it. */
const BENCH_TIMEOUT_MS = 5 * 60_000;
const RUN_SCRIPT = path.join(__dirname, 'run.js');

interface Outcome {
  name: string;
  seconds: number;
  /** Why it failed; undefined when it passed. */
  failure?: string;
  rows?: number;
}

interface Exit {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
}

function runAtSmokeSize(name: string, outDir: string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_SCRIPT, name, '--smoke', '--out', outDir], {
      stdio: 'inherit',
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, BENCH_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut });
    });
  });
}

async function smoke(name: string, outDir: string): Promise<Outcome> {
  const bench = await loadBench(name);
  const file = resultFilePath(outDir, name);
  // A file left by an earlier run must not pass for this run's.
  rmSync(file, { force: true });
  const started = performance.now();
  const { code, signal, timedOut } = await runAtSmokeSize(name, outDir);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (timedOut) return { name, seconds, failure: `still running after ${BENCH_TIMEOUT_MS / 1000} s: killed` };
  if (signal !== null) return { name, seconds, failure: `killed by ${signal}` };
  if (code !== 0) return { name, seconds, failure: `exited with code ${code}` };
  try {
    const rows: unknown = readResultFile(file, bench.resultSchema);
    return { name, seconds, rows: Array.isArray(rows) ? rows.length : undefined };
  } catch (error) {
    return { name, seconds, failure: error instanceof Error ? error.message : String(error) };
  }
}

function parseArguments(argv: readonly string[]): { names: readonly string[]; outDir: string } {
  const names: string[] = [];
  let outDir = SMOKE_RESULTS_DIR;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--out') {
      const value = argv[++i];
      if (value === undefined) throw new Error('--out needs a value');
      outDir = path.resolve(value);
    } else if (arg.startsWith('-')) {
      throw new Error(`Unknown option ${arg}; smoke.js takes bench names and --out DIR`);
    } else {
      if (!BENCH_NAMES.includes(arg))
        throw new Error(`Unknown bench "${arg}"; known: ${BENCH_NAMES.join(', ')}`);
      names.push(arg);
    }
  }
  return { names: names.length > 0 ? names : BENCH_NAMES, outDir };
}

async function main(): Promise<void> {
  const { names, outDir } = parseArguments(process.argv.slice(2));
  const outcomes: Outcome[] = [];
  for (const name of names) {
    console.log(`\n=== bench smoke: ${name} ===`);
    outcomes.push(await smoke(name, outDir));
  }
  console.log('\nbench smoke results');
  for (const o of outcomes) {
    const verdict =
      o.failure === undefined
        ? `ok, ${o.rows ?? '?'} rows in ${resultFilePath(outDir, o.name)}`
        : `FAILED: ${o.failure}`;
    console.log(`  ${o.name.padEnd(9)} ${String(o.seconds).padStart(6)} s  ${verdict}`);
  }
  const total = outcomes.reduce((sum, o) => sum + o.seconds, 0);
  console.log(`  total     ${total.toFixed(1).padStart(6)} s`);
  if (outcomes.some((o) => o.failure !== undefined)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
