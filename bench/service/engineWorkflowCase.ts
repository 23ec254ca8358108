/** What one engine workflow case reports: shared by bench/engine.ts and its child process. */
import { z } from 'zod';

export const EngineWorkflowResult = z.object({
  engine: z.enum(['local', 'extension']),
  runs: z.number().int().positive(),
  phase1_p50_ms: z.number().nonnegative(),
  phase1_p95_ms: z.number().nonnegative(),
  phase2_p50_ms: z.number().nonnegative(),
  phase2_p95_ms: z.number().nonnegative(),
});
export type EngineWorkflowResult = z.infer<typeof EngineWorkflowResult>;
