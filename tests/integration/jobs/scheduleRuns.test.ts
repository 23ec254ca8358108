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

/** A schedule as far as recording a run reads it: its owner, id and last status. */
async function scheduleOf(email: string) {
  const schedules = (await readyServices()).cosmos.container('export_schedules');
  const id = `sched-${email.slice(0, 12)}`;
  await schedules.create({
    id,
    schedule_id: id,
    owner_email: email,
    type: 'export_schedule',
    last_status: 'pending',
  });
  return { id, lastStatus: async () => (await schedules.read(email, id))?.last_status };
}

async function runScheduledJob(email: string, scheduleId: string, request: JobRequest) {
  const services = await readyServices();
  const job = await services.exportJobs.create({ email }, request, {
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

describe('schedule runs', () => {
  it('when a scheduled job completes, then its schedule records the run as completed', async () => {
    const email = newUser('runs');
    const schedule = await scheduleOf(email);
    const job = await runScheduledJob(
      email,
      schedule.id,
      jobRequestSchema.parse({ data_types: ['documents'], format: 'ndjson' }),
    );
    expect(job.status).toBe('completed');
    expect(await schedule.lastStatus()).toBe('completed');
  });

  it('when a scheduled job fails, then the job says why with an error id and its schedule records the run as failed', async () => {
    const email = newUser('fails');
    const schedule = await scheduleOf(email);
    // A field name the request schema would refuse: planning the job throws on every attempt.
    const unplannable = {
      ...jobRequestSchema.parse({ data_types: ['documents'], format: 'csv' }),
      filters: { fields: { 'not a field': 1 } },
    };
    const job = await runScheduledJob(email, schedule.id, unplannable);
    expect(job).toMatchObject({
      status: 'failed',
      error_message: expect.stringContaining('not a field'),
      error_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect((await harness.client.getStatus(job.job_id)).runtimeStatus).toBe('Failed');
    expect(await schedule.lastStatus()).toBe('failed');
  });
});
