import type { z } from 'zod';
import type { BenchOptions } from './options';

/** What bench/run.ts and bench/smoke.ts need to know about a bench. */
export interface BenchDefinition {
  /** The options (without `--`) it reads that take a value, besides the common `--out`. */
  valueOptions: readonly string[];
  /** The shape of its result file, checked when it is written and by the smoke run. */
  resultSchema: z.ZodType;
  /** Runs it at the size the options ask for; resolves to the result file it wrote. */
  run(options: BenchOptions): Promise<string>;
}
