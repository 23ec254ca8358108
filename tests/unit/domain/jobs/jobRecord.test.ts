import { fileMetadata, newJobRecord } from '../../../../shared/domain/jobs';
import { createdAt, jobRecord, jobRequest } from './jobBuilders';

describe('newJobRecord', () => {
  it('when an API caller creates a job, then it is pending and its file goes under the caller’s jobs', () => {
    const job = newJobRecord({ email: 'ann@contoso.com' }, jobRequest({ format: 'xlsx' }), {
      id: '0123abcd-ffff',
      now: createdAt,
    });
    expect(job).toMatchObject({
      id: '0123abcd-ffff',
      job_id: '0123abcd-ffff',
      type: 'export_job',
      owner_email: 'ann@contoso.com',
      trigger: 'api',
      status: 'pending',
      planned: false,
      target: {
        container: 'exports',
        path: 'ann@contoso.com/jobs/0123abcd-ffff/export-2026-03-04-0123abcd.xlsx',
        file_name: 'export-2026-03-04-0123abcd.xlsx',
      },
      counts: {},
      checkpoint: { type_index: 0, batch_index: 0, cursor: null, batches_done: [0] },
      progress: { documents: 0 },
      total_records: 0,
      created_at: '2026-03-04T05:06:07.000Z',
      updated_at: '2026-03-04T05:06:07.000Z',
      started_at: null,
      completed_at: null,
      file: null,
      expires_at: null,
      error_message: null,
      error_id: null,
    });
    expect(job).not.toHaveProperty('owner_oid');
    expect(job).not.toHaveProperty('schedule_id');
  });

  it('when the caller has an object id, then the job is stamped with it', () => {
    const job = newJobRecord({ email: 'ann@contoso.com', oid: 'oid-1' }, jobRequest(), {
      id: 'job-1',
      now: createdAt,
    });
    expect(job.owner_oid).toBe('oid-1');
  });

  it('when the file is compressed, then its name says so', () => {
    const job = newJobRecord(
      { email: 'ann@contoso.com' },
      jobRequest({ format: 'ndjson', compression: 'gzip' }),
      {
        id: 'job-1',
        now: createdAt,
      },
    );
    expect(job.target.file_name).toBe('export-2026-03-04-job-1.ndjson.gz');
  });

  it('when a schedule runs, then the job names its schedule and keeps the schedule’s target', () => {
    const target = {
      container: 'scheduled-exports' as const,
      path: 'ann@contoso.com/sched-1/2026-03-04T0200.csv',
      file_name: '2026-03-04T0200.csv',
    };
    const job = newJobRecord(
      { email: 'ann@contoso.com' },
      jobRequest({ data_types: ['documents', 'export_tracking'] }),
      {
        id: 'schedule-sched-1-20260304T020000Z',
        trigger: 'schedule',
        schedule_id: 'sched-1',
        target,
        now: createdAt,
      },
    );
    expect(job).toMatchObject({
      job_id: 'schedule-sched-1-20260304T020000Z',
      trigger: 'schedule',
      schedule_id: 'sched-1',
      target,
      checkpoint: { batches_done: [0, 0] },
      progress: { documents: 0, export_tracking: 0 },
    });
  });
});

describe('fileMetadata', () => {
  const generatedAt = new Date('2026-03-05T00:00:00.000Z');

  it('when the request asks for no metadata, then there is none', () => {
    expect(fileMetadata(jobRecord(), generatedAt)).toBeUndefined();
  });

  it('when the request asks for metadata, then it describes the selection and the records written', () => {
    const request = jobRequest({
      include_metadata: true,
      filters: { status: 'extracted' },
      end_date: '2026-03-01',
    });
    expect(fileMetadata(jobRecord({ processed_records: 42 }, request), generatedAt)).toEqual({
      job_id: 'job-0001-abcd',
      data_types: ['documents'],
      filters: { status: 'extracted' },
      start_date: null,
      end_date: '2026-03-01',
      generated_at: '2026-03-05T00:00:00.000Z',
      records: 42,
    });
  });

  it('when no filters were given, then the metadata says so with an empty object', () => {
    const request = jobRequest({ include_metadata: true });
    expect(fileMetadata(jobRecord({}, request), generatedAt)).toMatchObject({
      filters: {},
      start_date: null,
    });
  });
});
