/**
 * Benchmark dispatcher: `node dist/bench/run.js [name] [--smoke] [--out DIR] [options]`. Each
 * bench lives in its own module (bench/registry.ts); without a name every bench runs in turn.
 * `--smoke` runs each at a size that takes seconds and writes to bench/results/smoke/.
 */
import { BENCH_NAMES, loadBench } from './registry';
import { failIfExitingUnfinished, holdEventLoopUntil } from './support/eventLoop';
import { BenchOptions } from './support/options';

async function main(argv: readonly string[]): Promise<void> {
  const [first, ...rest] = argv;
  const named = first !== undefined && !first.startsWith('-');
  const names = named ? [first] : BENCH_NAMES;
  const args = named ? rest : argv;
  const benches = await Promise.all(names.map(async (name) => ({ name, bench: await loadBench(name) })));
  // One parse for all of them, so an option that none of them reads fails before any runs.
  const options = new BenchOptions(
    args,
    benches.flatMap(({ bench }) => bench.valueOptions),
  );
  for (const { name, bench } of benches) {
    const file = await bench.run(options);
    console.log(`\n${name}: saved ${file}`);
    if (options.smoke)
      console.log(
        '(smoke size: proves the bench runs end to end; its figures and goal verdicts mean nothing)',
      );
  }
}

let finished = false;
failIfExitingUnfinished('bench/run.js', () => finished);
holdEventLoopUntil(main(process.argv.slice(2))).then(
  () => {
    finished = true;
    // Every result file is written: what a bench leaves listening must not keep the run going
    // (the workflow bench hosts the app in this process, and @azure/functions' HTTP-stream proxy
    // has no way to be closed).
    process.exit(0);
  },
  (error: unknown) => {
    finished = true;
    console.error(error);
    process.exit(1);
  },
);
