import { jobRequestSchema } from '../../../../shared/domain/jobs';
import { memoryJobs, runJobSteps } from './memoryStores';

const owner = 'ann@contoso.com';
const documents = Array.from({ length: 30 }, (_, i) => ({
  id: `doc-${String(i).padStart(3, '0')}`,
  owner_email: owner,
  document_id: `doc-${String(i).padStart(3, '0')}`,
  extracted_data: { n: i },
}));

async function scheduledJob(stores: ReturnType<typeof memoryJobs>, format = 'csv') {
  const request = jobRequestSchema.parse({ data_types: ['documents'], format, batch_size: 10 });
  const job = await stores.service.create({ email: owner }, request, {
    trigger: 'schedule',
    schedule_id: 'weekly',
    now: new Date(),
  });
  return { job, ref: { owner_email: owner, job_id: job.job_id } };
}

describe('a job that fails', () => {
  it('when markFailed is retried after it recorded the failure, then it reports the error id stored on the job', async () => {
    const stores = memoryJobs(documents);
    const { ref } = await scheduledJob(stores);
    await stores.service.plan(ref);

    const first = await stores.service.markFailed(ref, { message: 'Blob Storage is unavailable' });
    const retried = await stores.service.markFailed(ref, { message: 'Blob Storage is unavailable' });
    const job = await stores.service.get({ email: owner }, ref.job_id);

    expect(first).toMatchObject({ status: 'failed', error_id: expect.any(String) });
    expect(retried.error_id).toBe(first.error_id);
    expect(job).toMatchObject({ status: 'failed', error_id: first.error_id });
  });

  it('when a cancel lands while the file is written, then the job stays cancelled and its schedule is not told the run failed', async () => {
    const stores = memoryJobs(documents);
    const { job, ref } = await scheduledJob(stores);
    stores.files.beforeFileWrite = async (_container, path) => {
      if (path === job.target.path) await stores.jobs.change(owner, job.job_id, { status: 'cancelled' });
    };

    const ended = await runJobSteps(stores.service, ref);

    expect(ended.failed).toMatchObject({ status: 'cancelled', error_id: null });
    expect((await stores.service.get({ email: owner }, ref.job_id)).status).toBe('cancelled');
    expect(stores.scheduleRuns.runs).toEqual([]);
  });

  it('when the schedule cannot be told, then a failed job still reports its own failure and a finished one its completion', async () => {
    const stores = memoryJobs(documents);
    stores.scheduleRuns.failing = true;
    const failing = await scheduledJob(stores);
    await stores.service.plan(failing.ref);
    await expect(
      stores.service.markFailed(failing.ref, { message: 'The source is unavailable' }),
    ).resolves.toMatchObject({
      status: 'failed',
      message: 'The source is unavailable',
      schedule_recorded: false,
    });

    const finishing = await scheduledJob(stores);
    await expect(runJobSteps(stores.service, finishing.ref)).resolves.toMatchObject({
      finalized: { status: 'completed', schedule_recorded: false },
    });
  });

  it('when a scheduled job ends, then its schedule records the job and the status it ended with', async () => {
    const stores = memoryJobs(documents);
    const completed = await scheduledJob(stores);
    await runJobSteps(stores.service, completed.ref);
    const failed = await scheduledJob(stores);
    await stores.service.plan(failed.ref);
    await stores.service.markFailed(failed.ref, { message: 'The source is unavailable' });

    expect(stores.scheduleRuns.runs).toEqual([
      { scheduleId: 'weekly', jobId: completed.ref.job_id, status: 'completed' },
      { scheduleId: 'weekly', jobId: failed.ref.job_id, status: 'failed' },
    ]);
  });
});
