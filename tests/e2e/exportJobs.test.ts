import { CosmosClient } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../shared/config';
import { apiClient, jobWhen, seedInvoices } from '../support/api';
import { newUser } from '../support/invoke';
import { startHost, type RunningHost } from '../support/localHost';

/** Bulk export jobs and schedules through the local host over HTTP. */
const database = `jobs_${randomUUID().slice(0, 8)}`;
let host: RunningHost;
beforeAll(async () => {
  host = await startHost({ COSMOS_DATABASE: database });
}, 90_000);
afterAll(() => host?.stop());

describe('export jobs over HTTP', () => {
  it('when a job is created, then it answers 202 with links, reports progress, and downloads the file', async () => {
    const api = apiClient(host.url, newUser('ann'));
    await seedInvoices(api, 25);
    const created = await api.post('/api/v1/export-jobs', {
      data_types: ['documents'],
      format: 'csv',
      batch_size: 10,
    });
    expect(created.status).toBe(202);
    const {
      job_id: jobId,
      status,
      links,
    } = created.json<{ job_id: string; status: string; links: { self: string; download: string } }>();
    expect(status).toBe('pending');
    expect(created.headers.get('location')).toBe(links.self);

    const job = await jobWhen<{ status: string; file: { sha256: string } }>(api, jobId);
    expect(job).toMatchObject({
      status: 'completed',
      progress: { documents: 100 },
      current_batch: 3,
      total_batches: 3,
      processed_records: 25,
      total_records: 25,
      file: { file_name: expect.stringMatching(/\.csv$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      warnings: [],
      reconciliation: { documents: { records_matched: 25, rows_written: 25 } },
      error_code: null,
    });
    const file = await api.get(links.download);
    expect(file.status).toBe(200);
    expect(file.bytes.toString('utf8').trim().split('\r\n')).toHaveLength(26);
    expect(file.headers.get('x-content-sha256')).toBe(job.file.sha256);
    const list = (await api.get('/api/v1/export-jobs')).json<{ items: { job_id: string }[] }>();
    expect(list.items.map((j) => j.job_id)).toEqual([jobId]);
    expect((await api.post(`/api/v1/export-jobs/${jobId}/cancel`)).status).toBe(409);
    expect((await api.post(`/api/v1/export-jobs/${jobId}/resume`)).status).toBe(409);
  });

  it('when a value is longer than an Excel cell holds, then the job completes and its warnings say what was cut, and how often', async () => {
    const api = apiClient(host.url, newUser('long'));
    await api.post('/api/v1/docs', {
      file_name: 'long.json',
      document_type: 'contract',
      extracted_data: { clause: 'x'.repeat(40_000), short: 'ok' },
    });
    const { job_id: jobId } = (
      await api.post('/api/v1/export-jobs', { data_types: ['documents'], format: 'xlsx' })
    ).json<{ job_id: string }>();
    const job = await jobWhen(api, jobId);
    expect(job).toMatchObject({
      status: 'completed',
      reconciliation: { documents: { records_matched: 1, rows_written: 1 } },
      warnings: [{ code: 'cell_truncated', count: 1, message: expect.any(String) }],
    });
  });

  it('when the job file has expired, then housekeeping deletes it and download answers 410', async () => {
    const email = newUser('exp');
    const api = apiClient(host.url, email);
    await seedInvoices(api, 2);
    const { job_id: jobId } = (
      await api.post('/api/v1/export-jobs', { data_types: ['documents'], format: 'json' })
    ).json<{ job_id: string }>();
    await jobWhen(api, jobId);

    const cosmos = loadConfig(process.env).cosmos;
    if (cosmos.kind !== 'key') throw new Error('tests run on the emulator');
    const client = new CosmosClient({
      endpoint: cosmos.endpoint,
      key: cosmos.key,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    const item = client.database(database).container('export_jobs').item(jobId, email);
    const { resource } = await item.read<Record<string, unknown>>();
    await item.replace({ ...resource, expires_at: '2020-01-01T00:00:00.000Z' }); // time passes
    client.dispose();

    expect((await fetch(`${host.url}/admin/functions/housekeeping`, { method: 'POST' })).status).toBe(202);
    expect((await api.get(`/api/v1/export-jobs/${jobId}`)).json()).toMatchObject({ status: 'expired' });
    const download = await api.get(`/api/v1/export-jobs/${jobId}/download`);
    expect(download.status).toBe(410);
    expect(download.json()).toMatchObject({ error: { code: 'gone' } });
  });

  it('when a job request is invalid, then 400 names each field and nothing is recorded', async () => {
    const api = apiClient(host.url, newUser('bad'));
    const cases: [Record<string, unknown>, string][] = [
      [{ data_types: ['invoices'], format: 'csv' }, 'data_types.0'],
      [{ data_types: ['documents'], format: 'docx' }, 'format'],
      [{ data_types: ['documents'], format: 'csv', batch_size: 5 }, 'batch_size'],
      [
        { data_types: ['documents'], format: 'csv', start_date: '2026-02-01', end_date: '2026-01-01' },
        'end_date',
      ],
      [
        { data_types: ['documents'], format: 'csv', filters: { fields: { 'a"] OR 1=1 --': 1 } } },
        'filters.fields',
      ],
      [{ data_types: ['documents'], format: 'csv', owner_email: 'x@y.z' }, ''],
    ];
    for (const [body, field] of cases) {
      const response = await api.post('/api/v1/export-jobs', body);
      expect(response.status).toBe(400);
      if (field) expect(JSON.stringify(response.json())).toContain(`"field":"${field}`);
    }
    expect((await api.get('/api/v1/export-jobs')).json()).toEqual({ items: [], continuation: null });
    expect((await api.get(`/api/v1/export-jobs/${randomUUID()}`)).status).toBe(404);
  });
});

describe('export schedules over HTTP', () => {
  it('when a schedule is created, read, changed, run and deleted, then each step answers as documented', async () => {
    const api = apiClient(host.url, newUser('sam'));
    await seedInvoices(api, 3);
    const created = await api.post('/api/v1/export-schedules', {
      name: 'Weekly invoices',
      data_types: ['documents'],
      format: 'xlsx',
      frequency: 'weekly',
      day_of_week: 'monday',
      time_of_day: '07:30',
      timezone: 'America/New_York',
    });
    expect(created.status).toBe(201);
    const schedule = created.json<{ schedule_id: string; next_run: string; active: boolean }>();
    expect(schedule.active).toBe(true);
    expect(new Date(schedule.next_run).getUTCDay()).toBe(1);

    const patched = await api.request('PATCH', `/api/v1/export-schedules/${schedule.schedule_id}`, {
      time_of_day: '25:00',
    });
    expect(patched.status).toBe(400);
    expect(JSON.stringify(patched.json())).toContain('"field":"time_of_day"');
    const paused = await api.request('PATCH', `/api/v1/export-schedules/${schedule.schedule_id}`, {
      active: false,
    });
    expect(paused.json()).toMatchObject({ active: false, next_run: null });

    const run = await api.post(`/api/v1/export-schedules/${schedule.schedule_id}/run`);
    expect(run.status).toBe(202);
    const job = await jobWhen(api, run.json<{ job_id: string }>().job_id);
    expect(job).toMatchObject({
      status: 'completed',
      trigger: 'schedule',
      schedule_id: schedule.schedule_id,
    });

    expect((await api.get('/api/v1/export-schedules')).json<{ items: unknown[] }>().items).toHaveLength(1);
    expect((await api.request('DELETE', `/api/v1/export-schedules/${schedule.schedule_id}`)).status).toBe(
      204,
    );
    expect((await api.get(`/api/v1/export-schedules/${schedule.schedule_id}`)).status).toBe(404);
  });

  it('when a weekly schedule is changed to daily, then day_of_week is gone and later changes are checked against daily', async () => {
    const api = apiClient(host.url, newUser('wkd'));
    const created = await api.post('/api/v1/export-schedules', {
      name: 'Invoices',
      data_types: ['documents'],
      format: 'csv',
      frequency: 'weekly',
      day_of_week: 'monday',
      time_of_day: '07:30',
      timezone: 'UTC',
    });
    const path = `/api/v1/export-schedules/${created.json<{ schedule_id: string }>().schedule_id}`;
    const fieldsOf = (response: { json: <T>() => T }) =>
      response.json<{ error: { details: { field: string }[] } }>().error.details.map((d) => d.field);

    const daily = await api.request('PATCH', path, { frequency: 'daily' });
    expect(daily.status).toBe(200);
    expect(daily.json()).toMatchObject({ frequency: 'daily', time_of_day: '07:30' });
    expect(daily.json()).not.toHaveProperty('day_of_week');
    // Daily: the next run is at most a day away, whatever the weekday.
    const nextRun = Date.parse(daily.json<{ next_run: string }>().next_run);
    expect(nextRun - Date.now()).toBeLessThanOrEqual(86_400_000);
    expect(new Date(nextRun).toISOString()).toMatch(/T07:30:00\.000Z$/);
    expect((await api.get(path)).json()).not.toHaveProperty('day_of_week');

    const renamed = await api.request('PATCH', path, { name: 'Daily invoices' });
    expect(renamed.status).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Daily invoices', frequency: 'daily' });

    const dayOnDaily = await api.request('PATCH', path, { day_of_week: 'friday' });
    expect(dayOnDaily.status).toBe(400);
    expect(fieldsOf(dayOnDaily)).toEqual(['day_of_week']);
    const monthlyWithoutDay = await api.request('PATCH', path, { frequency: 'monthly' });
    expect(monthlyWithoutDay.status).toBe(400);
    expect(fieldsOf(monthlyWithoutDay)).toEqual(['day_of_month']);
    expect((await api.get(path)).json()).toMatchObject({ name: 'Daily invoices', frequency: 'daily' });

    const weekly = await api.request('PATCH', path, { frequency: 'weekly', day_of_week: 3 });
    expect(weekly.json()).toMatchObject({ frequency: 'weekly', day_of_week: 'wednesday' });
    expect(new Date(weekly.json<{ next_run: string }>().next_run).getUTCDay()).toBe(3);
  });

  it('when a schedule body is invalid, then 400 names the fields', async () => {
    const api = apiClient(host.url, newUser('val'));
    const response = await api.post('/api/v1/export-schedules', {
      name: '',
      data_types: ['documents'],
      format: 'csv',
      frequency: 'monthly',
      time_of_day: '7am',
      timezone: 'Mars/Olympus',
      color: 'red',
    });
    expect(response.status).toBe(400);
    const fields = response
      .json<{ error: { details: { field: string }[] } }>()
      .error.details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'time_of_day', 'timezone', 'color']));
  });
});
