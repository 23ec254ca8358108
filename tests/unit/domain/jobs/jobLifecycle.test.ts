import {
  cancelledJob,
  completedJob,
  downloadableJob,
  failedJob,
  isInProgress,
  maxBlocksPerBlob,
  plannedJob,
  resumedJob,
  type JobStatus,
} from '../../../../shared/domain/jobs';
import { jobRecord, jobRequest, thrownBy } from './jobBuilders';

const now = new Date('2026-03-05T10:00:00.000Z');
const statuses: JobStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled', 'expired'];
const file = {
  file_name: 'f.csv',
  file_size: 3,
  sha256: 'ab',
  rows: 1,
  mime_type: 'text/csv; charset=utf-8',
  blob_path: 'p/f.csv',
};

describe('isInProgress', () => {
  it('when a job is pending or running, then it is in progress; otherwise not', () => {
    expect(statuses.filter((status) => isInProgress({ status }))).toEqual(['pending', 'running']);
  });
});

describe('plannedJob', () => {
  const counts = { documents: 2500 };

  it('when a job is planned, then it runs with its totals, started now', () => {
    const planned = plannedJob(jobRecord({ _etag: 'v1' }), counts, now);
    expect(planned).toMatchObject({
      status: 'running',
      planned: true,
      counts,
      total_records: 2500,
      total_batches: 3,
      started_at: '2026-03-05T10:00:00.000Z',
      _etag: 'v1',
    });
  });

  it('when a job resumed before it was planned is planned, then it keeps its first start time', () => {
    const planned = plannedJob(jobRecord({ started_at: '2026-03-01T00:00:00.000Z' }), counts, now);
    expect(planned.started_at).toBe('2026-03-01T00:00:00.000Z');
  });

  it('when the job needs more blocks than a file holds, then planning refuses it', () => {
    const tooMany = { documents: (maxBlocksPerBlob + 1) * 1000 };
    expect(thrownBy(() => plannedJob(jobRecord(), tooMany, now))).toMatchObject({
      code: 'invalid_request',
    });
  });
});

describe('completedJob', () => {
  it('when the file is written, then the job records it, shows 100 everywhere and expires after its retention', () => {
    const request = jobRequest({ data_types: ['documents', 'export_tracking'], compression: true });
    const running = jobRecord(
      { status: 'running', progress: { documents: 100, export_tracking: 99 } },
      request,
    );
    expect(completedJob(running, { size: 10, sha256: 'cd', rows: 4 }, now, 7)).toMatchObject({
      status: 'completed',
      completed_at: '2026-03-05T10:00:00.000Z',
      expires_at: '2026-03-12T10:00:00.000Z',
      progress: { documents: 100, export_tracking: 100 },
      file: {
        file_name: running.target.file_name,
        blob_path: running.target.path,
        file_size: 10,
        sha256: 'cd',
        rows: 4,
        mime_type: 'application/gzip',
      },
    });
  });
});

describe('failedJob', () => {
  it('when work in progress fails, then the job says why (at most 2,000 characters) with the error id', () => {
    const failed = failedJob(jobRecord({ status: 'running' }), { message: 'x'.repeat(3000) }, 'err-1');
    expect(failed).toMatchObject({ status: 'failed', error_id: 'err-1', error_code: 'job_failed' });
    expect(failed?.error_message).toHaveLength(2000);
  });

  it('when the fault has a code of its own, then the job carries it', () => {
    const failed = failedJob(
      jobRecord({ status: 'running' }),
      { message: 'm', code: 'records_mismatch' },
      'e',
    );
    expect(failed?.error_code).toBe('records_mismatch');
  });

  it('when the job has finished, was cancelled or failed already, then it keeps its state', () => {
    for (const status of ['completed', 'failed', 'cancelled', 'expired'] as const)
      expect(failedJob(jobRecord({ status }), { message: 'late' }, 'err-2')).toBeUndefined();
  });
});

describe('cancelledJob', () => {
  it('when a pending, running or failed job is cancelled, then it is cancelled now', () => {
    for (const status of ['pending', 'running', 'failed'] as const)
      expect(cancelledJob(jobRecord({ status }), now)).toMatchObject({
        status: 'cancelled',
        completed_at: '2026-03-05T10:00:00.000Z',
      });
  });

  it('when a finished job is cancelled, then it is a conflict naming its status', () => {
    for (const status of ['completed', 'cancelled', 'expired'] as const)
      expect(thrownBy(() => cancelledJob(jobRecord({ status }), now))).toMatchObject({
        status: 409,
        message: expect.stringContaining(`is ${status}`),
      });
  });
});

describe('resumedJob', () => {
  const failed = { status: 'failed' as const, error_message: 'boom', error_id: 'err-1' };

  it('when a planned job that failed is resumed, then it runs again and forgets the error', () => {
    expect(resumedJob(jobRecord({ ...failed, planned: true }))).toMatchObject({
      status: 'running',
      error_message: null,
      error_id: null,
    });
  });

  it('when a job failed before it was planned, then it goes back to pending so planning runs', () => {
    expect(resumedJob(jobRecord({ ...failed, planned: false })).status).toBe('pending');
  });

  it('when a job that did not fail is resumed, then it is a conflict', () => {
    for (const status of ['pending', 'running', 'completed', 'cancelled', 'expired'] as const)
      expect(thrownBy(() => resumedJob(jobRecord({ status })))).toMatchObject({ status: 409 });
  });
});

describe('downloadableJob', () => {
  const later = '2026-03-06T00:00:00.000Z';

  it('when the job is completed and within retention, then its file is there to download', () => {
    expect(downloadableJob(jobRecord({ status: 'completed', file, expires_at: later }), now).file).toEqual(
      file,
    );
  });

  it('when the file is past its retention or expired, then it is gone (410)', () => {
    const pastRetention = jobRecord({ status: 'completed', file, expires_at: now.toISOString() });
    expect(thrownBy(() => downloadableJob(pastRetention, now))).toMatchObject({ status: 410 });
    const expired = jobRecord({ status: 'expired', file, expires_at: later });
    expect(thrownBy(() => downloadableJob(expired, now))).toMatchObject({ code: 'gone' });
  });

  it('when the job has not completed, then there is no file yet (409)', () => {
    expect(thrownBy(() => downloadableJob(jobRecord({ status: 'running' }), now))).toMatchObject({
      status: 409,
      message: expect.stringContaining('no file yet'),
    });
  });
});
