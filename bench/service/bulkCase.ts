/** What one bulk bench case is and what it reports: shared by bench/bulk.ts and its child process. */
import { z } from 'zod';

/** ours = the real pipeline over a synthetic source; raw = NDJSON blocks; cosmos = the real pipeline over the emulator. */
export const BulkMode = z.enum(['ours', 'raw', 'cosmos']);
export type BulkMode = z.infer<typeof BulkMode>;

/** The JSON line a bulk case prints. */
export const BulkCaseResult = z.object({
  mode: BulkMode,
  format: z.string(),
  records: z.number().int().positive(),
  records_per_s: z.number().positive(),
  seconds: z.number().nonnegative(),
  peak_rss_mb: z.number().positive(),
  /** Jobs only: the longest time between two changes of the job's reported progress. */
  max_progress_gap_s: z.number().nonnegative().optional(),
});
export type BulkCaseResult = z.infer<typeof BulkCaseResult>;
