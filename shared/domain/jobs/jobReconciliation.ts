import { z } from 'zod';
import { AppError } from '../../core/errors';
import { dataTypes, type DataType } from './jobRequestSchema';

/**
 * What a job tells its user it could not write exactly as given, and whether its file holds
 * every record it read. Warnings come from the file writers (and the column union), one entry per
 * code whatever their number, so a million cut cells cost one entry.
 */
export const jobWarningSchema = z.strictObject({
  code: z.string(),
  /** The first occurrence's message. */
  message: z.string(),
  count: z.number().int().positive(),
  /**
   * The first record concerned, by its 1-based position in the job's file (as stage 3 counts it),
   * where the writer can tell; `null` otherwise.
   */
  first_record: z.number().int().positive().nullable(),
});
export type JobWarning = z.infer<typeof jobWarningSchema>;

/** A warning as the writers (or the job itself) report one. */
export interface IncomingWarning {
  code: string;
  message: string;
  count: number;
  first_record?: number | null;
}

/** Per data type: records the job read from the store, and rows its file holds for them. */
export const reconciliationSchema = z.partialRecord(
  z.enum(dataTypes),
  z.strictObject({
    records_matched: z.number().int().nonnegative(),
    rows_written: z.number().int().nonnegative(),
  }),
);
export type Reconciliation = z.infer<typeof reconciliationSchema>;

/** `existing` with `incoming` added: counts summed by code, the first message and record kept. */
export function withWarnings(
  existing: readonly JobWarning[],
  incoming: readonly IncomingWarning[],
): JobWarning[] {
  const byCode = new Map(existing.map((w) => [w.code, { ...w }]));
  for (const warning of incoming) {
    if (warning.count <= 0) continue;
    const known = byCode.get(warning.code);
    if (known) {
      known.count += warning.count;
      known.first_record ??= warning.first_record ?? null;
    } else {
      byCode.set(warning.code, {
        code: warning.code,
        message: warning.message,
        count: warning.count,
        first_record: warning.first_record ?? null,
      });
    }
  }
  return [...byCode.values()];
}

/** The job's counts per data type, from its checkpoint (records read, file rows written). */
export function reconciliationOf(job: {
  request: { data_types: readonly DataType[] };
  checkpoint: { records_by_type: readonly number[]; rows_by_type: readonly number[] };
}): Reconciliation {
  const { records_by_type, rows_by_type } = job.checkpoint;
  return Object.fromEntries(
    job.request.data_types.map((dataType, i) => [
      dataType,
      { records_matched: records_by_type[i] ?? 0, rows_written: rows_by_type[i] ?? 0 },
    ]),
  );
}

/**
 * Fails unless the file holds exactly the records the job read, each as at least one row:
 * `written` is what the file writer took in per data type. A job whose counts disagree must
 * never be completed, so this is thrown (and not retried: the same staged data disagrees again).
 */
export function assertReconciled(
  job: {
    job_id: string;
    request: { data_types: readonly DataType[] };
    checkpoint: { records_by_type: readonly number[] };
  },
  written: { records_by_type: readonly number[]; rows_by_type: readonly number[] },
): void {
  const problems: string[] = [];
  job.request.data_types.forEach((dataType, i) => {
    const matched = job.checkpoint.records_by_type[i] ?? 0;
    const records = written.records_by_type[i] ?? 0;
    const rows = written.rows_by_type[i] ?? 0;
    if (records !== matched) problems.push(`${dataType}: ${matched} records matched, ${records} written`);
    else if (rows < records) problems.push(`${dataType}: ${records} records written as only ${rows} rows`);
  });
  if (problems.length > 0) {
    throw new AppError(
      'records_mismatch',
      `Export job ${job.job_id} was not completed: its file does not hold every record it read (${problems.join('; ')}).`,
    );
  }
}
