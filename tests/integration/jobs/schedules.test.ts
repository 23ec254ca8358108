import '../../../functions/bulkExport';
import { orchestrationControl } from '../../../shared/adapters/durable';
import { readyServices } from '../../../shared/app/compositionRoot';
import { scheduleBodySchema } from '../../../shared/domain/scheduleRules';
import { newUser } from '../../support/invoke';
import { startHarness, type DurableHarness } from '../durable/harness';

/** Scheduled exports on the real services and bulkExport orchestration, with a manual Durable clock. */
let harness: DurableHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const day = 86_400_000;

async function scheduleFor(email: string, createdAt: Date, body: Record<string, unknown> = {}) {
  const services = await readyServices();
  await services.documents.createFromData(
    { email },
    { file_name: 'a.json', document_type: 'invoice', extracted_data: { total: 1 } },
  );
  const parsed = scheduleBodySchema.parse({
    name: 'nightly',
    data_types: ['documents'],
    format: 'csv',
    frequency: 'daily',
    time_of_day: '02:00',
    timezone: 'Europe/Paris',
    ...body,
  });
  return services.schedules.create({ email }, parsed, createdAt);
}

describe('scheduled exports', () => {
  it('when the timer fires twice for one slot, then the slot runs once and its file lands under the schedule', async () => {
    const services = await readyServices();
    const email = newUser('sched');
    const now = new Date();
    const schedule = await scheduleFor(email, new Date(now.getTime() - 1.5 * day));
    const control = orchestrationControl(harness.client);

    expect(await services.schedules.runDue(now, control, silent)).toBe(1);
    expect(await services.schedules.runDue(now, control, silent)).toBe(0);
    await harness.fireAllTimers();

    const jobs = (await services.exportJobs.list({ email }, 10)).items;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      trigger: 'schedule',
      schedule_id: schedule.schedule_id,
      status: 'completed',
    });
    expect(jobs[0]?.job_id).toMatch(new RegExp(`^schedule-${schedule.schedule_id}-\\d{8}T\\d{6}Z$`));
    const files = await services.blob.list('scheduled-exports', `${email}/${schedule.schedule_id}/`);
    expect(files).toEqual([expect.stringMatching(/\/\d{4}-\d{2}-\d{2}T\d{4}\.csv$/)]);

    const after = await services.schedules.get({ email }, schedule.schedule_id);
    expect(after.last_status).toBe('completed');
    expect(Date.parse(after.next_run ?? '')).toBeGreaterThan(now.getTime());
  });

  it('when several slots were missed, then only the latest runs, once', async () => {
    const services = await readyServices();
    const email = newUser('missed');
    const now = new Date();
    const schedule = await scheduleFor(email, new Date(now.getTime() - 5 * day));
    const control = orchestrationControl(harness.client);
    expect(await services.schedules.runDue(now, control, silent)).toBe(1);
    expect(await services.schedules.runDue(new Date(now.getTime() + 60_000), control, silent)).toBe(0);
    await harness.fireAllTimers();
    expect((await services.exportJobs.list({ email }, 10)).items).toHaveLength(1);
    expect(
      Date.parse((await services.schedules.get({ email }, schedule.schedule_id)).last_run ?? ''),
    ).toBeGreaterThan(now.getTime() - day);
  });

  it('when a schedule is inactive, then the timer leaves it alone; run now still runs it', async () => {
    const services = await readyServices();
    const email = newUser('idle');
    const schedule = await scheduleFor(email, new Date(Date.now() - 3 * day), { active: false });
    expect(schedule.next_run).toBeNull();
    const control = orchestrationControl(harness.client);
    expect(await services.schedules.runDue(new Date(), control, silent)).toBe(0);
    const job = await services.schedules.runNow({ email }, schedule.schedule_id, new Date(), control);
    await harness.fireAllTimers();
    expect((await services.exportJobs.get({ email }, job.job_id)).status).toBe('completed');
  });

  it('when another user asks for a schedule, then it is a 404; their list is empty', async () => {
    const services = await readyServices();
    const email = newUser('owner');
    const schedule = await scheduleFor(email, new Date());
    const eve = { email: newUser('eve') };
    await expect(services.schedules.get(eve, schedule.schedule_id)).rejects.toMatchObject({ status: 404 });
    await expect(
      services.schedules.update(eve, schedule.schedule_id, { name: 'x' }, new Date()),
    ).rejects.toMatchObject({ status: 404 });
    await expect(services.schedules.delete(eve, schedule.schedule_id)).rejects.toMatchObject({ status: 404 });
    expect((await services.schedules.list(eve, 10)).items).toEqual([]);
  });

  it('when a schedule is changed to monthly on day 31, then next_run is the month’s last day at that time', async () => {
    const services = await readyServices();
    const email = newUser('monthly');
    const schedule = await scheduleFor(email, new Date('2026-02-01T00:00:00Z'));
    const updated = await services.schedules.update(
      { email },
      schedule.schedule_id,
      { frequency: 'monthly', day_of_month: 31, timezone: 'UTC' },
      new Date('2026-02-10T00:00:00Z'),
    );
    expect(updated.next_run).toBe('2026-02-28T02:00:00.000Z');
  });
});
