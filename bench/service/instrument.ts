/**
 * Where a request's time goes, measured by wrapping the adapters' methods (bench only: the app
 * never does this). Sums are per category; callers read and reset them around each run.
 */
export type Category = 'cosmos' | 'blob' | 'generation' | 'ai';

export const spent: Record<Category, number> = { cosmos: 0, blob: 0, generation: 0, ai: 0 };

export function resetSpent(): void {
  for (const key of Object.keys(spent) as Category[]) spent[key] = 0;
}

type AnyFunction = (...args: unknown[]) => unknown;

/** Wraps every named async method of `target` so its time adds to `category`. */
export function timeMethods(target: object, names: readonly string[], category: Category): void {
  const record = target as Record<string, AnyFunction>;
  for (const name of names) {
    const original = record[name];
    if (typeof original !== 'function') throw new Error(`No method ${name} to time`);
    record[name] = async function timed(this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        spent[category] += performance.now() - started;
      }
    };
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}
