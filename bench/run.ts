/**
 * Benchmark dispatcher: `node dist/bench/run.js [name] [options]`. Each bench lives in its
 * own module; without a name every bench runs in turn.
 */
import { failIfExitingUnfinished, holdEventLoopUntil } from './support/eventLoop';

type Bench = (args: readonly string[]) => Promise<void>;

const BENCHES: Readonly<Record<string, () => Promise<Bench>>> = {
  formats: async () => (await import('./formats')).runFormatsBench,
  workflow: async () => (await import('./workflow')).runWorkflowBench,
  bulk: async () => (await import('./bulk')).runBulkBench,
};

async function main(argv: readonly string[]): Promise<void> {
  const [first, ...rest] = argv;
  const named = first !== undefined && !first.startsWith('-');
  const names = named ? [first] : Object.keys(BENCHES);
  const args = named ? rest : argv;
  for (const name of names) {
    const load = BENCHES[name];
    if (load === undefined)
      throw new Error(`Unknown bench "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    await (
      await load()
    )(args);
  }
}

let finished = false;
failIfExitingUnfinished('bench/run.js', () => finished);
holdEventLoopUntil(main(process.argv.slice(2))).then(
  () => (finished = true),
  (error: unknown) => {
    finished = true;
    console.error(error);
    process.exitCode = 1;
  },
);
