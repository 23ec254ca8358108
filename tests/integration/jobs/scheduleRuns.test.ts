import { randomUUID } from 'node:crypto';
import '../../../functions/bulkExport';
import { readyServices } from '../../../shared/app/compositionRoot';
import { jobRequestSchema, type JobRequest } from '../../../shared/domain/jobs';
import { newUser } from '../../support/invoke';
import { startHarness, type DurableHarness } from '../durable/harness';

/** How a scheduled job's end reaches its schedule, on the real orchestration and a manual Durable clock. */
let harness: DurableHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

/** A schedule as far as recording a run reads it: its owner, id, and latest run (`jobId`, pending). */
async function scheduleOf(email: string, jobId: string) {
  const schedules = (await readyServices()).cosmos.container('export_schedules');
  const id = `sched-${randomUUID().slice(0, 8)}`;
  await schedules.create({
    id,
    schedule_id: id,
    owner_email: email,
    type: 'export_schedule',
    last_job_id: jobId,
    last_status: 'pending',
  });
  return {
    id,
    stored: () => schedules.read(email, id),
    lastStatus: async () => (await schedules.read(email, id))?.last_status,
  };
}

async function runScheduledJob(email: string, scheduleId: string, jobId: string, request: JobRequest) {
  const services = await readyServices();
  const job = await services.exportJobs.create({ email }, request, {
    id: jobId,
    trigger: 'schedule',
    schedule_id: scheduleId,
    now: new Date(),
  });
  await harness.client.startNew('bulkExport', {
    instanceId: job.job_id,
    input: { owner_email: email, job_id: job.job_id },
  });
  await harness.fireAllTimers();
  return services.exportJobs.get({ email }, job.job_id);
}

const ndjson = () => jobRequestSchema.parse({ data_types: ['documents'], format: 'ndjson' });

describe('schedule runs', () => {
  it('when a scheduled job completes, then its schedule records the run as completed', async () => {
    const email = newUser('runs');
    const jobId = randomUUID();
    const schedule = await scheduleOf(email, jobId);
    const job = await runScheduledJob(email, schedule.id, jobId, ndjson());
    expect(job.status).toBe('completed');
    expect(await schedule.stored()).toMatchObject({ last_job_id: jobId, last_status: 'completed' });
  });

  it('when a scheduled job fails, then the job says why with an error id and its schedule records the run as failed', async () => {
    const email = newUser('fails');
    const jobId = randomUUID();
    const schedule = await scheduleOf(email, jobId);
    // A field name the request schema would refuse: planning the job throws on every attempt.
    const unplannable = {
      ...jobRequestSchema.parse({ data_types: ['documents'], format: 'csv' }),
      filters: { fields: { 'not a field': 1 } },
    };
    const job = await runScheduledJob(email, schedule.id, jobId, unplannable);
    expect(job).toMatchObject({
      status: 'failed',
      error_message: expect.stringContaining('not a field'),
      error_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect((await harness.client.getStatus(job.job_id)).runtimeStatus).toBe('Failed');
    expect(await schedule.lastStatus()).toBe('failed');
  });

  it('when an older run ends after a newer one started, then the schedule still shows the newer run', async () => {
    const email = newUser('older');
    const newer = randomUUID();
    const schedule = await scheduleOf(email, newer);
    const older = await runScheduledJob(email, schedule.id, randomUUID(), ndjson());
    expect(older.status).toBe('completed');
    expect(await schedule.stored()).toMatchObject({ last_job_id: newer, last_status: 'pending' });
  });

  it('when a schedule is deleted while its run is under way, then the run ends and the schedule stays deleted', async () => {
    const services = await readyServices();
    const email = newUser('gone');
    const jobId = randomUUID();
    const schedule = await scheduleOf(email, jobId);
    const job = await services.exportJobs.create({ email }, ndjson(), {
      id: jobId,
      trigger: 'schedule',
      schedule_id: schedule.id,
      now: new Date(),
    });
    await harness.client.startNew('bulkExport', {
      instanceId: jobId,
      input: { owner_email: email, job_id: jobId },
    });
    await services.cosmos.container('export_schedules').delete(email, schedule.id);
    await harness.fireAllTimers();
    expect((await services.exportJobs.get({ email }, job.job_id)).status).toBe('completed');
    expect(await schedule.stored()).toBeUndefined();
  });
});
