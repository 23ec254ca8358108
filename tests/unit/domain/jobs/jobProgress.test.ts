import {
  advanceCheckpoint,
  currentDataType,
  maxBlocksPerBlob,
  percent,
  planTotals,
  startingProgress,
  type JobRecord,
} from '../../../../shared/domain/jobs';
import { jobRecord, jobRequest, thrownBy } from './jobBuilders';

describe('planTotals', () => {
  it('when records are counted per data type, then each type rounds its batches up on its own', () => {
    const request = jobRequest({ data_types: ['documents', 'export_tracking'], batch_size: 100 });
    expect(planTotals(request, { documents: 250, export_tracking: 101 })).toEqual({
      total_records: 351,
      total_batches: 5,
    });
  });

  it('when a data type matched nothing, then it adds no batch', () => {
    const request = jobRequest({ data_types: ['documents', 'export_tracking'], batch_size: 100 });
    expect(planTotals(request, { documents: 0, export_tracking: 100 })).toEqual({
      total_records: 100,
      total_batches: 1,
    });
    expect(planTotals(request, {})).toEqual({ total_records: 0, total_batches: 0 });
  });

  it('when the batches exactly fill a file, then the plan stands', () => {
    const request = jobRequest({ batch_size: 10 });
    expect(planTotals(request, { documents: maxBlocksPerBlob * 10 }).total_batches).toBe(maxBlocksPerBlob);
  });

  it('when one batch more than a file holds is needed, then the job is refused as an invalid request', () => {
    const request = jobRequest({ batch_size: 10 });
    expect(thrownBy(() => planTotals(request, { documents: maxBlocksPerBlob * 10 + 1 }))).toMatchObject({
      code: 'invalid_request',
      status: 400,
      message: expect.stringContaining('Raise batch_size'),
    });
  });
});

describe('percent', () => {
  it('when nothing was to be done, then it is 100', () => {
    expect(percent(0, 0)).toBe(100);
  });

  it('when part is done, then it rounds down, so 100 only means everything', () => {
    expect(percent(999, 1000)).toBe(99);
    expect(percent(1, 3)).toBe(33);
  });

  it('when more was done than counted (records added since), then it stops at 100', () => {
    expect(percent(12, 10)).toBe(100);
  });
});

describe('startingProgress', () => {
  it('when a job starts, then it is at the first batch of its first type with a block count per type', () => {
    expect(startingProgress(['documents', 'export_tracking'])).toEqual({
      checkpoint: {
        type_index: 0,
        batch_index: 0,
        cursor: null,
        records_before: 0,
        rows_before: 0,
        batches_done: [0, 0],
        records_by_type: [0, 0],
        rows_by_type: [0, 0],
      },
      progress: { documents: 0, export_tracking: 0 },
      current_batch: 0,
      total_batches: 0,
      processed_records: 0,
    });
  });
});

describe('currentDataType', () => {
  const request = jobRequest({ data_types: ['export_tracking', 'documents'] });
  const at = (typeIndex: number) => ({
    request,
    checkpoint: { ...startingProgress(request.data_types).checkpoint, type_index: typeIndex },
  });

  it('when the checkpoint points at a type, then that is the one the next batch reads', () => {
    expect(currentDataType(at(0))).toBe('export_tracking');
    expect(currentDataType(at(1))).toBe('documents');
  });

  it('when every type is written, then there is none', () => {
    expect(currentDataType(at(2))).toBeUndefined();
  });
});

describe('advanceCheckpoint', () => {
  const twoTypes = jobRequest({ data_types: ['documents', 'export_tracking'], batch_size: 100 });
  const planned = (fields: Partial<JobRecord> = {}) =>
    jobRecord(
      {
        status: 'running',
        planned: true,
        counts: { documents: 250, export_tracking: 40 },
        total_batches: 4,
        ...fields,
      },
      twoTypes,
    );

  it('when the first batch is written, then the checkpoint moves past its last record and counts it', () => {
    const next = advanceCheckpoint(planned(), {
      kind: 'written',
      records: 100,
      rows: 130,
      lastId: 'doc-099',
    });
    expect(next).toEqual({
      checkpoint: {
        type_index: 0,
        batch_index: 1,
        cursor: 'doc-099',
        records_before: 100,
        rows_before: 130,
        batches_done: [1, 0],
        records_by_type: [100, 0],
        rows_by_type: [130, 0],
      },
      progress: { documents: 40, export_tracking: 0 },
      current_batch: 1,
      total_batches: 4,
      processed_records: 100,
    });
  });

  it('when a later batch of the type is written, then progress counts the records of the batches before it', () => {
    const first = advanceCheckpoint(planned(), {
      kind: 'written',
      records: 100,
      rows: 100,
      lastId: 'doc-099',
    });
    const second = advanceCheckpoint(
      { ...planned(), ...first },
      { kind: 'written', records: 100, rows: 100, lastId: 'doc-199' },
    );
    const third = advanceCheckpoint(
      { ...planned(), ...second },
      { kind: 'written', records: 50, rows: 50, lastId: 'doc-249' },
    );
    expect(second.progress.documents).toBe(80);
    expect(third).toMatchObject({
      checkpoint: {
        type_index: 0,
        batch_index: 3,
        cursor: 'doc-249',
        records_before: 250,
        batches_done: [3, 0],
      },
      progress: { documents: 100 },
      current_batch: 3,
      processed_records: 250,
    });
  });

  it('when a type has nothing left, then the checkpoint starts the next type and the finished type shows 100', () => {
    const written = advanceCheckpoint(planned(), {
      kind: 'written',
      records: 90,
      rows: 90,
      lastId: 'doc-089',
    });
    const next = advanceCheckpoint({ ...planned(), ...written }, { kind: 'exhausted' });
    expect(next).toEqual({
      checkpoint: {
        type_index: 1,
        batch_index: 0,
        cursor: null,
        // The file position carries over: the next type's rows follow this type's.
        records_before: 90,
        rows_before: 90,
        batches_done: [1, 0],
        records_by_type: [90, 0],
        rows_by_type: [90, 0],
      },
      progress: { documents: 100, export_tracking: 0 },
      current_batch: 1,
      total_batches: 4,
      processed_records: 90,
    });
  });

  it('when a type matched no record at all, then it is done at once without a block', () => {
    const next = advanceCheckpoint(planned({ counts: { documents: 0, export_tracking: 40 } }), {
      kind: 'exhausted',
    });
    expect(next.checkpoint).toMatchObject({ type_index: 1, batch_index: 0, batches_done: [0, 0] });
    expect(next.progress.documents).toBe(100);
    expect(next.current_batch).toBe(0);
  });

  it('when the second type is written, then its blocks are counted under it and the first type’s stay', () => {
    const onSecondType = planned({
      checkpoint: {
        type_index: 1,
        batch_index: 0,
        cursor: null,
        records_before: 250,
        rows_before: 250,
        batches_done: [3, 0],
        records_by_type: [250, 0],
        rows_by_type: [250, 0],
      },
      progress: { documents: 100, export_tracking: 0 },
      current_batch: 3,
      processed_records: 250,
    });
    const next = advanceCheckpoint(onSecondType, {
      kind: 'written',
      records: 40,
      rows: 40,
      lastId: 'stage-39',
    });
    expect(next).toMatchObject({
      checkpoint: {
        type_index: 1,
        batch_index: 1,
        cursor: 'stage-39',
        records_before: 290,
        batches_done: [3, 1],
        records_by_type: [250, 40],
        rows_by_type: [250, 40],
      },
      progress: { documents: 100, export_tracking: 100 },
      current_batch: 4,
      processed_records: 290,
    });
  });

  it('when more batches run than were planned (records added since), then the total grows with them', () => {
    const next = advanceCheckpoint(planned({ current_batch: 4, total_batches: 4 }), {
      kind: 'written',
      records: 10,
      rows: 10,
      lastId: 'doc-300',
    });
    expect(next).toMatchObject({ current_batch: 5, total_batches: 5 });
  });

  it('when the type was not counted, then its progress reads 100 rather than dividing by nothing', () => {
    const next = advanceCheckpoint(planned({ counts: {} }), {
      kind: 'written',
      records: 10,
      rows: 10,
      lastId: 'doc-009',
    });
    expect(next.progress.documents).toBe(100);
  });

  it('when batches are cut short by the byte budget, then progress counts the records they held', () => {
    const short = advanceCheckpoint(planned(), { kind: 'written', records: 7, rows: 7, lastId: 'doc-006' });
    const next = advanceCheckpoint(
      { ...planned(), ...short },
      { kind: 'written', records: 3, rows: 3, lastId: 'doc-009' },
    );
    expect(next).toMatchObject({ progress: { documents: 4 }, checkpoint: { records_by_type: [10, 0] } });
  });

  it('when a file holds all the blocks it can, then one more batch is refused, not lost', () => {
    const full = planned({ current_batch: maxBlocksPerBlob, total_batches: maxBlocksPerBlob });
    expect(() => advanceCheckpoint(full, { kind: 'written', records: 1, rows: 1, lastId: 'x' })).toThrow(
      /JOB_BATCH_MAX_BYTES/,
    );
  });

  it('when every type is written already, then there is no batch to advance', () => {
    const done = planned({ checkpoint: { ...planned().checkpoint, type_index: 2 } });
    expect(() => advanceCheckpoint(done, { kind: 'exhausted' })).toThrow(/no batch is left/);
  });
});
