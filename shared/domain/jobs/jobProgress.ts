import { invalidRequest } from '../../core/errors';
import type { DataType, JobRequest } from './jobRequestSchema';

/** Where a job is in its work: the next batch to run and the key it continues after. */
export interface JobCheckpoint {
  type_index: number;
  batch_index: number;
  /** Last record id written for the current data type (records are read in id order). */
  cursor: string | null;
  records_before: number;
  /** File rows written so far (line items can make several rows of one record). */
  rows_before: number;
  /** Batches written per data type, in `data_types` order: they name the staged blocks. */
  batches_done: number[];
  /** Records read per data type, in `data_types` order: what the job matched (`records_matched`). */
  records_by_type: number[];
  /**
   * File rows written per data type (`rows_written`): by each batch for JSON and NDJSON, by the
   * final pass for the formats written in one (CSV, XLSX, PDF), which stage records until then.
   */
  rows_by_type: number[];
}

/** What a batch moves, always in one write, so the job record never says more or less than was staged. */
export interface JobProgress {
  checkpoint: JobCheckpoint;
  /** Percent done per data type. */
  progress: Partial<Record<DataType, number>>;
  current_batch: number;
  total_batches: number;
  processed_records: number;
}

/** What one batch found: nothing left of its data type, or records staged as the file's next block. */
export type BatchResult =
  | { kind: 'exhausted' }
  | {
      kind: 'written';
      records: number;
      /** File rows this batch wrote: none for a format written in one final pass. */
      rows: number;
      lastId: string;
    };

/** Azure commits at most 50,000 blocks into one blob; header and footer take two. */
export const maxBlocksPerBlob = 49_000;

/** Percent done, rounded down so 100 means every record is written. */
export function percent(done: number, total: number): number {
  return total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 100));
}

/** The same percentage for every data type of the job. */
export function progressOfAll(
  dataTypes: readonly DataType[],
  value: number,
): Partial<Record<DataType, number>> {
  return Object.fromEntries(dataTypes.map((dataType) => [dataType, value]));
}

/** A job before its first batch. */
export function startingProgress(dataTypes: readonly DataType[]): JobProgress {
  return {
    checkpoint: {
      type_index: 0,
      batch_index: 0,
      cursor: null,
      records_before: 0,
      rows_before: 0,
      batches_done: dataTypes.map(() => 0),
      records_by_type: dataTypes.map(() => 0),
      rows_by_type: dataTypes.map(() => 0),
    },
    progress: progressOfAll(dataTypes, 0),
    current_batch: 0,
    total_batches: 0,
    processed_records: 0,
  };
}

/**
 * The job's size once its records are counted. Each batch is one staged block of the file, so a
 * job needing more batches than a file holds blocks is refused before any is written.
 */
export function planTotals(
  request: Pick<JobRequest, 'data_types' | 'batch_size'>,
  counts: Partial<Record<DataType, number>>,
): { total_records: number; total_batches: number } {
  const total_records = request.data_types.reduce((sum, t) => sum + (counts[t] ?? 0), 0);
  const total_batches = request.data_types.reduce(
    (sum, t) => sum + Math.ceil((counts[t] ?? 0) / request.batch_size),
    0,
  );
  if (total_batches > maxBlocksPerBlob) {
    throw invalidRequest(
      `The job needs ${total_batches} batches; a file holds at most ${maxBlocksPerBlob}. Raise batch_size.`,
    );
  }
  return { total_records, total_batches };
}

/** The data type the next batch reads; `undefined` once every data type is written. */
export function currentDataType(job: {
  request: Pick<JobRequest, 'data_types'>;
  checkpoint: JobCheckpoint;
}): DataType | undefined {
  return job.request.data_types[job.checkpoint.type_index];
}

/**
 * The progress after one batch. An exhausted data type is done: the checkpoint moves to the
 * start of the next one. A written batch moves the checkpoint past its last record, and counts
 * its records, its file rows and its block.
 */
export function advanceCheckpoint(
  job: JobProgress & {
    request: Pick<JobRequest, 'data_types' | 'batch_size'>;
    counts: Partial<Record<DataType, number>>;
  },
  batch: BatchResult,
): JobProgress {
  const { checkpoint } = job;
  const dataType = currentDataType(job);
  if (dataType === undefined) throw new Error('Every data type of the job is written: no batch is left.');

  if (batch.kind === 'exhausted') {
    return {
      checkpoint: { ...checkpoint, type_index: checkpoint.type_index + 1, batch_index: 0, cursor: null },
      progress: { ...job.progress, [dataType]: 100 },
      current_batch: job.current_batch,
      total_batches: job.total_batches,
      processed_records: job.processed_records,
    };
  }

  if (job.current_batch >= maxBlocksPerBlob) {
    throw invalidRequest(
      `The job needs more than ${maxBlocksPerBlob} batches; a file holds at most that many. Raise batch_size or JOB_BATCH_MAX_BYTES.`,
    );
  }
  const index = checkpoint.type_index;
  const batchesDone = [...checkpoint.batches_done];
  batchesDone[index] = checkpoint.batch_index + 1;
  const recordsByType = addAt(checkpoint.records_by_type, index, batch.records);
  const doneOfType = recordsByType[index] ?? 0;
  return {
    checkpoint: {
      ...checkpoint,
      batch_index: checkpoint.batch_index + 1,
      cursor: batch.lastId,
      records_before: checkpoint.records_before + batch.records,
      rows_before: checkpoint.rows_before + batch.rows,
      batches_done: batchesDone,
      records_by_type: recordsByType,
      rows_by_type: addAt(checkpoint.rows_by_type, index, batch.rows),
    },
    current_batch: job.current_batch + 1,
    // Records added after planning, or batches cut short by the byte budget, make more batches than counted.
    total_batches: Math.max(job.total_batches, job.current_batch + 1),
    processed_records: job.processed_records + batch.records,
    progress: { ...job.progress, [dataType]: percent(doneOfType, job.counts[dataType] ?? doneOfType) },
  };
}

/** `values` with `amount` added at `index`. */
function addAt(values: readonly number[], index: number, amount: number): number[] {
  const next = [...values];
  next[index] = (next[index] ?? 0) + amount;
  return next;
}
