/** Every bench, by the name `node dist/bench/run.js <name>` takes; loaded only when run. */
import type { BenchDefinition } from './support/benchDefinition';

export const BENCHES: Readonly<Record<string, () => Promise<BenchDefinition>>> = {
  formats: async () => (await import('./formats')).formatsBench,
  workflow: async () => (await import('./workflow')).workflowBench,
  bulk: async () => (await import('./bulk')).bulkBench,
  load: async () => (await import('./load')).loadBench,
  engine: async () => (await import('./engine')).engineBench,
  download: async () => (await import('./download')).downloadBench,
};

export const BENCH_NAMES: readonly string[] = Object.keys(BENCHES);

export async function loadBench(name: string): Promise<BenchDefinition> {
  const load = BENCHES[name];
  if (load === undefined) throw new Error(`Unknown bench "${name}"; known: ${BENCH_NAMES.join(', ')}`);
  return load();
}
