import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../../shared/config';
import type { ScheduleRecord } from '../../../shared/services/schedules';
import { startFaultyProxy, type FaultyProxy, type Match } from '../../support/faultyProxy';
import { newUser } from '../../support/invoke';
import { startHarness, type DurableHarness } from '../durable/harness';

/**
 * The timer racing the API over one schedule, at the wire: the app talks to the Cosmos emulator
 * through a proxy that holds one schedule write back while another request overtakes it, or
 * answers it with an error (and one in front of the Durable runtime, to fail a start). Schedules
 * run on the real services and bulkExport orchestration.
 */
const cosmos = loadConfig(process.env).cosmos;
if (cosmos.kind !== 'key') throw new Error('tests run on the emulator');
const original = { COSMOS: process.env.COSMOS, COSMOS_DATABASE: process.env.COSMOS_DATABASE };
let proxy: FaultyProxy;
/** In front of the Durable runtime's HTTP API, to make an orchestration start fail. */
let durableProxy: FaultyProxy | undefined;
let harness: DurableHarness;
let services: Awaited<ReturnType<typeof import('../../../shared/app/compositionRoot').readyServices>>;
let control: import('../../../shared/ports/orchestration').OrchestrationControl;

beforeAll(async () => {
  proxy = await startFaultyProxy(cosmos.endpoint);
  // Before the app's services are first built in this file, so they talk through the proxy; a
  // database of its own, so no other file's schedules are due on these ticks.
  process.env.COSMOS = `AccountEndpoint=${proxy.url}/;AccountKey=${cosmos.key};`;
  process.env.COSMOS_DATABASE = `races_${randomUUID().slice(0, 8)}`;
  await import('../../../functions/bulkExport');
  services = await (await import('../../../shared/app/compositionRoot')).readyServices();
  harness = await startHarness({
    clientUrl: async (runtimeUrl) => (durableProxy = await startFaultyProxy(runtimeUrl)).url,
  });
  const { orchestrationControl } = await import('../../../shared/adapters/durable');
  control = orchestrationControl(harness.client);
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await proxy?.close();
  await durableProxy?.close();
  Object.assign(process.env, original);
});

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const day = 86_400_000;

/** A daily schedule created a day and a half ago: one slot is due now. */
async function dueSchedule(name = 'nightly') {
  const email = newUser('race');
  const { scheduleBodySchema } = await import('../../../shared/domain/scheduleRules');
  await services.documents.createFromData(
    { email },
    { file_name: 'a.json', document_type: 'invoice', extracted_data: { total: 1 } },
  );
  const body = scheduleBodySchema.parse({
    name,
    data_types: ['documents'],
    format: 'csv',
    frequency: 'daily',
    time_of_day: '02:00',
    timezone: 'Europe/Paris',
  });
  const schedule = await services.schedules.create({ email }, body, new Date(Date.now() - 1.5 * day));
  return { email, id: schedule.schedule_id };
}

/** The next write of the schedule (a replace, or an upsert or create of its id): on a tick, its claim. */
const writeOf =
  (id: string): Match =>
  (r) => {
    if (r.method === 'PUT') return r.path.endsWith(`/colls/export_schedules/docs/${encodeURIComponent(id)}`);
    if (r.method !== 'POST' || !r.path.endsWith('/colls/export_schedules/docs')) return false;
    return r.body.startsWith('{') && (JSON.parse(r.body) as { id?: unknown }).id === id;
  };

/** The write that moves `next_run` past `now`: the tick's last step, after the job started. */
const advanceOf =
  (id: string, now: Date): Match =>
  (r) => {
    if (!writeOf(id)(r)) return false;
    const { next_run } = JSON.parse(r.body) as Pick<ScheduleRecord, 'next_run'>;
    return next_run !== null && Date.parse(next_run) > now.getTime();
  };

/** The schedule as stored, or undefined once deleted. */
const stored = (email: string, id: string) =>
  services.cosmos.container<ScheduleRecord>('export_schedules').read(email, id);

const jobsOf = async (email: string) => (await services.exportJobs.list({ email }, 20)).items;

describe('a tick racing a DELETE', () => {
  it('when the schedule is deleted while the tick claims its slot, then it stays deleted and no job runs', async () => {
    const { email, id } = await dueSchedule();
    const now = new Date();
    const claim = proxy.holdNext(writeOf(id));
    const tick = services.schedules.runDue(now, control, silent);
    await claim.reached;
    await services.schedules.delete({ email }, id);
    claim.release();
    await tick;

    expect(await stored(email, id)).toBeUndefined();
    expect(await jobsOf(email)).toEqual([]);
    await services.schedules.runDue(new Date(now.getTime() + 60_000), control, silent);
    expect(await stored(email, id)).toBeUndefined();
    expect(await jobsOf(email)).toEqual([]);
  });

  it('when the schedule is deleted after the tick started its job, then the job runs once and the schedule stays deleted', async () => {
    const { email, id } = await dueSchedule();
    const now = new Date();
    const advance = proxy.holdNext(advanceOf(id, now));
    const tick = services.schedules.runDue(now, control, silent);
    await advance.reached;
    await services.schedules.delete({ email }, id);
    advance.release();
    await tick;
    await harness.fireAllTimers();

    expect(await stored(email, id)).toBeUndefined();
    await services.schedules.runDue(new Date(now.getTime() + 60_000), control, silent);
    await harness.fireAllTimers();
    expect(await stored(email, id)).toBeUndefined();
    const jobs = await jobsOf(email);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ schedule_id: id, status: 'completed' });
  });
});

describe('a tick racing a pause', () => {
  it('when the schedule is paused while the tick claims its slot, then it stays paused and no job runs', async () => {
    const { email, id } = await dueSchedule();
    const now = new Date();
    const claim = proxy.holdNext(writeOf(id));
    const tick = services.schedules.runDue(now, control, silent);
    await claim.reached;
    const paused = await services.schedules.update({ email }, id, { active: false }, new Date());
    expect(paused).toMatchObject({ active: false, next_run: null });
    claim.release();
    await tick;

    expect(await stored(email, id)).toMatchObject({ active: false, next_run: null, last_run: null });
    expect(await jobsOf(email)).toEqual([]);
  });

  it('when the schedule is paused after the tick started its job, then the claimed slot runs and the schedule stays paused', async () => {
    const { email, id } = await dueSchedule();
    const now = new Date();
    const advance = proxy.holdNext(advanceOf(id, now));
    const tick = services.schedules.runDue(now, control, silent);
    await advance.reached;
    await services.schedules.update({ email }, id, { active: false }, new Date());
    advance.release();
    await tick;
    await harness.fireAllTimers();

    expect(await stored(email, id)).toMatchObject({ active: false, next_run: null });
    await services.schedules.runDue(new Date(now.getTime() + 60_000), control, silent);
    expect(await stored(email, id)).toMatchObject({ active: false, next_run: null });
    expect(await jobsOf(email)).toHaveLength(1);
  });
});

describe('two ticks racing one slot', () => {
  it('when a second tick runs the slot while the first one’s claim is held, then one job runs and the first tick stops', async () => {
    const { email, id } = await dueSchedule();
    const now = new Date();
    const firstClaim = proxy.holdNext(writeOf(id));
    const first = services.schedules.runDue(now, control, silent);
    await firstClaim.reached;
    await services.schedules.runDue(now, control, silent);
    firstClaim.release();
    await first;
    await harness.fireAllTimers();

    const jobs = await jobsOf(email);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'completed' });
    expect(await services.blob.list('scheduled-exports', `${email}/${id}/`)).toHaveLength(1);
    expect(Date.parse((await stored(email, id))?.next_run ?? '')).toBeGreaterThan(now.getTime());
  });

  it('when a second tick finds the slot claimed but not yet advanced, then it does not start it again', async () => {
    const { email, id } = await dueSchedule();
    const now = new Date();
    const firstAdvance = proxy.holdNext(advanceOf(id, now));
    const first = services.schedules.runDue(now, control, silent);
    await firstAdvance.reached;
    // The job is recorded and started; the second tick sees a due next_run and no new slot.
    await services.schedules.runDue(now, control, silent);
    firstAdvance.release();
    await first;
    await harness.fireAllTimers();

    const jobs = await jobsOf(email);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'completed' });
    expect(await stored(email, id)).toMatchObject({ last_job_id: jobs[0]?.job_id, last_status: 'completed' });
  });
});

describe('a tick racing a PATCH', () => {
  it('when a rename lands while the tick claims its slot, then the tick reads again, runs the slot once and keeps the new name', async () => {
    const { email, id } = await dueSchedule('nightly');
    const now = new Date();
    const claim = proxy.holdNext(writeOf(id));
    const tick = services.schedules.runDue(now, control, silent);
    await claim.reached;
    await services.schedules.update({ email }, id, { name: 'renamed' }, new Date());
    claim.release();
    expect(await tick).toBe(1);

    const after = await stored(email, id);
    expect(after).toMatchObject({ name: 'renamed', active: true, last_status: 'pending' });
    expect(Date.parse(after?.next_run ?? '')).toBeGreaterThan(now.getTime());
    expect(await jobsOf(email)).toHaveLength(1);
  });

  it('when a change of time lands after the tick started its job, then the tick does not undo it', async () => {
    const { email, id } = await dueSchedule('nightly');
    const now = new Date();
    const advance = proxy.holdNext(advanceOf(id, now));
    const tick = services.schedules.runDue(now, control, silent);
    await advance.reached;
    const changed = await services.schedules.update(
      { email },
      id,
      { name: 'evening', time_of_day: '21:15', timezone: 'UTC' },
      new Date(),
    );
    advance.release();
    await tick;

    const after = await stored(email, id);
    expect(after).toMatchObject({ name: 'evening', time_of_day: '21:15', timezone: 'UTC' });
    expect(after?.next_run).toBe(changed.next_run);
    expect(after?.next_run).toMatch(/T21:15:00\.000Z$/);
    expect(await jobsOf(email)).toHaveLength(1);
  });
});

describe('a tick that cannot finish', () => {
  it('when recording the slot’s job fails, then the next tick starts it, once', async () => {
    const { email, id } = await dueSchedule();
    const now = new Date();
    proxy.failNext((r) => r.method === 'POST' && r.path.endsWith('/colls/export_jobs/docs'), 1);
    expect(await services.schedules.runDue(now, control, silent)).toBe(0);
    expect(await jobsOf(email)).toEqual([]);
    const claimed = await stored(email, id);
    expect(Date.parse(claimed?.next_run ?? '')).toBeLessThanOrEqual(now.getTime());

    expect(await services.schedules.runDue(new Date(now.getTime() + 60_000), control, silent)).toBe(1);
    await harness.fireAllTimers();
    const jobs = await jobsOf(email);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ job_id: claimed?.last_job_id, status: 'completed' });
  });

  it('when the slot’s orchestration fails to start, then the next tick starts the same job again', async () => {
    const { email, id } = await dueSchedule();
    const now = new Date();
    if (!durableProxy) throw new Error('the Durable client goes through the proxy');
    durableProxy.failNext((r) => r.method === 'POST' && r.path.includes('/orchestrators/bulkExport'), 1);
    expect(await services.schedules.runDue(now, control, silent)).toBe(0);
    expect(durableProxy.failures()).toBe(1);
    const [failed] = await jobsOf(email);
    expect(failed).toMatchObject({
      status: 'failed',
      error_message: expect.stringMatching(/could not be started/),
    });

    expect(await services.schedules.runDue(new Date(now.getTime() + 60_000), control, silent)).toBe(1);
    await harness.fireAllTimers();
    const jobs = await jobsOf(email);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ job_id: failed?.job_id, status: 'completed', error_message: null });
    expect(await stored(email, id)).toMatchObject({ last_job_id: failed?.job_id, last_status: 'completed' });
    expect(Date.parse((await stored(email, id))?.next_run ?? '')).toBeGreaterThan(now.getTime());
  });

  it('when every claim of a schedule loses, then the tick gives up on it after 5 tries and still runs the others', async () => {
    const stuck = await dueSchedule('stuck');
    const other = await dueSchedule('other');
    const now = new Date();
    const errors: string[] = [];
    const log = { ...silent, error: (line: unknown) => errors.push(String(line)) };
    proxy.failNext(writeOf(stuck.id), 5, 412);
    expect(await services.schedules.runDue(now, control, log)).toBe(1);
    expect(proxy.failures()).toBeGreaterThanOrEqual(5);
    expect(errors.join('\n')).toMatch(/schedule_run_failed[\s\S]*kept changing/);
    expect(await jobsOf(stuck.email)).toEqual([]);
    expect(await jobsOf(other.email)).toHaveLength(1);
    await services.schedules.delete({ email: stuck.email }, stuck.id);
    await harness.fireAllTimers();
  });
});
