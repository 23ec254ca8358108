import { z } from 'zod';

/** The JSON line bench/formats/child.ts prints for one case. */
export const ChildMeasurement = z.object({
  caseId: z.string(),
  rows: z.number().int().positive(),
  seconds: z.number().positive(),
  bytes: z.number().int().positive(),
  /** Highest resident set size of the whole process. */
  peakRssMb: z.number().positive(),
  /** Peak minus the resident size just before writing began (records pool and code loaded). */
  rssGrowthMb: z.number(),
});
export type ChildMeasurement = z.infer<typeof ChildMeasurement>;
