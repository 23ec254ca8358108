import {
  assertReconciled,
  jobWarningSchema,
  reconciliationOf,
  reconciliationSchema,
  withWarnings,
} from '../../../../shared/domain/jobs';
import { jobRecord, jobRequest, thrownBy } from './jobBuilders';

describe('withWarnings', () => {
  it('when warnings of one code come from several batches, then they are one entry with the counts summed and the first message and record kept', () => {
    const first = withWarnings(
      [],
      [{ code: 'cell_truncated', message: 'Cell A2 was cut', count: 2, first_record: 1 }],
    );
    const both = withWarnings(first, [
      { code: 'cell_truncated', message: 'Cell B9 was cut', count: 3, first_record: 7 },
      { code: 'formula_neutralised', message: 'A formula', count: 1 },
      { code: 'glyph_missing', message: 'none', count: 0 },
    ]);
    expect(both).toEqual([
      { code: 'cell_truncated', message: 'Cell A2 was cut', count: 5, first_record: 1 },
      { code: 'formula_neutralised', message: 'A formula', count: 1, first_record: null },
    ]);
    expect(first[0]?.count).toBe(2);
    expect(both.map((w) => jobWarningSchema.parse(w))).toEqual(both);
  });
});

describe('reconciliation', () => {
  const request = jobRequest({ data_types: ['documents', 'export_tracking'] });
  const job = jobRecord(
    {
      checkpoint: {
        ...jobRecord({}, request).checkpoint,
        records_by_type: [120, 4],
        rows_by_type: [0, 0],
      },
    },
    request,
  );

  it('when the job has read records, then each data type shows what it matched and what the file holds', () => {
    expect(reconciliationOf(job)).toEqual({
      documents: { records_matched: 120, rows_written: 0 },
      export_tracking: { records_matched: 4, rows_written: 0 },
    });
    expect(reconciliationSchema.safeParse(reconciliationOf(job)).success).toBe(true);
  });

  it('when the file holds every record read, some as several rows, then the counts agree', () => {
    expect(() => assertReconciled(job, { records_by_type: [120, 4], rows_by_type: [300, 4] })).not.toThrow();
  });

  it('when the file holds fewer records than were read, then the job fails with records_mismatch naming the type', () => {
    const error = thrownBy(() =>
      assertReconciled(job, { records_by_type: [119, 4], rows_by_type: [119, 4] }),
    );
    expect(error).toMatchObject({
      code: 'records_mismatch',
      message: expect.stringContaining('documents: 120 records matched, 119 written'),
    });
  });

  it('when records make fewer rows than records, then the counts disagree too', () => {
    expect(
      thrownBy(() => assertReconciled(job, { records_by_type: [120, 4], rows_by_type: [120, 3] })),
    ).toMatchObject({
      code: 'records_mismatch',
      message: expect.stringContaining('export_tracking: 4 records written as only 3 rows'),
    });
  });
});
