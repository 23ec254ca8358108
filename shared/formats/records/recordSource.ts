/** One record to export: a plain JSON-like object (nested objects and arrays allowed). */
export type ExportRecord = Readonly<Record<string, unknown>>;

/**
 * What the writers accept: records one by one or in batches (a bulk job reads pages of
 * records), synchronously or not. Arrays among the items are batches.
 */
export type RecordInput =
  Iterable<ExportRecord | readonly ExportRecord[]> | AsyncIterable<ExportRecord | readonly ExportRecord[]>;

/**
 * Rows are formatted a slice at a time so the per-record work stays synchronous (no await per
 * record) while the output produced between two yields stays small.
 */
export const SLICE_SIZE = 1024;

function isAsyncIterable(input: RecordInput): input is AsyncIterable<ExportRecord | readonly ExportRecord[]> {
  return typeof (input as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

function isBatch(item: ExportRecord | readonly ExportRecord[]): item is readonly ExportRecord[] {
  return Array.isArray(item);
}

function* slices(batch: readonly ExportRecord[]): Generator<readonly ExportRecord[]> {
  if (batch.length <= SLICE_SIZE) {
    if (batch.length > 0) yield batch;
    return;
  }
  for (let start = 0; start < batch.length; start += SLICE_SIZE) yield batch.slice(start, start + SLICE_SIZE);
}

/** Normalises any {@link RecordInput} into non-empty slices of at most {@link SLICE_SIZE} records. */
export async function* recordSlices(input: RecordInput): AsyncGenerator<readonly ExportRecord[]> {
  if (!isAsyncIterable(input)) {
    // A synchronous source is read without an await per record: that is most of the speed.
    let pending: ExportRecord[] = [];
    for (const item of input) {
      if (isBatch(item)) {
        if (pending.length > 0) yield pending;
        pending = [];
        yield* slices(item);
      } else {
        pending.push(item);
        if (pending.length === SLICE_SIZE) {
          yield pending;
          pending = [];
        }
      }
    }
    if (pending.length > 0) yield pending;
    return;
  }
  let pending: ExportRecord[] = [];
  for await (const item of input) {
    if (isBatch(item)) {
      if (pending.length > 0) yield pending;
      pending = [];
      yield* slices(item);
    } else {
      pending.push(item);
      if (pending.length === SLICE_SIZE) {
        yield pending;
        pending = [];
      }
    }
  }
  if (pending.length > 0) yield pending;
}

/** The first records of a stream, read ahead, and the whole stream again including them. */
export interface Lookahead {
  sample: readonly ExportRecord[];
  slices: AsyncGenerator<readonly ExportRecord[]>;
}

/**
 * Reads slices until at least `minRecords` records (or the end) so columns, types and widths
 * can be decided before the first byte is written, then replays them.
 */
export async function lookahead(
  source: AsyncGenerator<readonly ExportRecord[]>,
  minRecords: number,
): Promise<Lookahead> {
  const buffered: (readonly ExportRecord[])[] = [];
  let count = 0;
  let exhausted = false;
  while (count < minRecords) {
    const next = await source.next();
    if (next.done === true) {
      exhausted = true;
      break;
    }
    buffered.push(next.value);
    count += next.value.length;
  }
  async function* replay(): AsyncGenerator<readonly ExportRecord[]> {
    yield* buffered;
    if (!exhausted) yield* source;
  }
  // Exactly the first records, however the input was batched, so the output never depends on batching.
  return { sample: buffered.flat().slice(0, minRecords), slices: replay() };
}
