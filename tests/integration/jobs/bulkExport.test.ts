import { buffer } from 'node:stream/consumers';
import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import { loadConfig } from '../../../shared/config';
import { startFaultyProxy, type FaultyProxy } from '../../support/faultyProxy';
import { newUser } from '../../support/invoke';
import { extractPdfText } from '../../support/pdfText';
import { startHarness, type DurableHarness } from '../durable/harness';

/**
 * Bulk export jobs on the real orchestration and activities, the Cosmos emulator (behind a
 * fault-injecting proxy) and Azurite, with the local Durable runtime's manual clock.
 */
const cosmos = loadConfig(process.env).cosmos;
if (cosmos.kind !== 'key') throw new Error('tests run on the emulator');
const originalCosmos = process.env.COSMOS;
let proxy: FaultyProxy;
let harness: DurableHarness;
let services: Awaited<ReturnType<typeof import('../../../shared/app/compositionRoot').readyServices>>;

const owner = newUser('bulk');
const total = 5000;
const id = (i: number) => `doc-${String(i).padStart(5, '0')}`;
const createdAt = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();

beforeAll(async () => {
  proxy = await startFaultyProxy(cosmos.endpoint);
  // Before the app's services are first built in this file, so they talk through the proxy.
  process.env.COSMOS = `AccountEndpoint=${proxy.url}/;AccountKey=${cosmos.key};`;
  await import('../../../functions/bulkExport');
  services = await (await import('../../../shared/app/compositionRoot')).readyServices();
  harness = await startHarness();
  const documents = services.cosmos.container('documents');
  for (let start = 0; start < total; start += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, total - start) }, (_, k) => {
        const i = start + k;
        return documents.create({
          id: id(i),
          document_id: id(i),
          owner_email: owner,
          file_name: `f${i}.json`,
          document_type: i % 2 === 0 ? 'invoice' : 'receipt',
          status: 'extracted',
          extracted_data: { n: i, total: i * 1.5, customer: 'Acme, "Ltd"', paid: i % 3 === 0 },
          created_at: createdAt(i),
          updated_at: createdAt(i),
        });
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await proxy?.close();
  process.env.COSMOS = originalCosmos;
});

async function runJob(request: Record<string, unknown>, as = owner) {
  const { jobRequestSchema } = await import('../../../shared/domain/jobs');
  const job = await services.exportJobs.create({ email: as }, jobRequestSchema.parse(request), {
    now: new Date(),
  });
  await harness.client.startNew('bulkExport', {
    instanceId: job.job_id,
    input: { owner_email: as, job_id: job.job_id },
  });
  await harness.fireAllTimers();
  return services.exportJobs.get({ email: as }, job.job_id);
}

async function fileOf(job: {
  target: { container: 'exports' | 'scheduled-exports' };
  file: { blob_path: string } | null;
}) {
  if (!job.file) throw new Error('the job has no file');
  return buffer((await services.blob.get(job.target.container, job.file.blob_path)).stream);
}

const allIds = Array.from({ length: total }, (_, i) => id(i)).sort();
// A 5,000-record job takes a few seconds alone, several times that while other suites share the cores.

describe('bulk export jobs', () => {
  it('when 5,000 documents are exported as CSV, then every row reads back in order with its values and progress reached 100', async () => {
    const job = await runJob({ data_types: ['documents'], format: 'csv', batch_size: 1000 });
    expect(job).toMatchObject({
      status: 'completed',
      total_records: total,
      processed_records: total,
      total_batches: 5,
      progress: { documents: 100 },
    });
    const bytes = await fileOf(job);
    expect(job.file?.file_size).toBe(bytes.length);
    const parsed = Papa.parse<Record<string, string>>(bytes.toString('utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.data.map((r) => r.document_id)).toEqual(allIds);
    const row = parsed.data.find((r) => r.document_id === id(42));
    expect(row).toMatchObject({
      'extracted_data.customer': 'Acme, "Ltd"',
      'extracted_data.total': '63',
      'extracted_data.paid': 'true',
    });
  }, 90_000);

  it('when exported as JSON, NDJSON and gzip, then each reads back to the same records', async () => {
    const asJson = await runJob({ data_types: ['documents'], format: 'json', include_metadata: true });
    const json = JSON.parse((await fileOf(asJson)).toString('utf8')) as {
      metadata: { records: number };
      records: { document_id: string; extracted_data: { n: number } }[];
    };
    expect(json.metadata.records).toBe(total);
    expect(json.records.map((r) => r.document_id)).toEqual(allIds);
    expect(json.records.find((r) => r.document_id === id(7))?.extracted_data.n).toBe(7);

    const asNdjson = await runJob({
      data_types: ['documents'],
      format: 'ndjson',
      compression: 'gzip',
      batch_size: 700,
    });
    expect(asNdjson.file?.file_name).toMatch(/\.ndjson\.gz$/);
    const { gunzipSync } = await import('node:zlib');
    const lines = gunzipSync(await fileOf(asNdjson))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { document_id: string }).document_id)).toEqual(allIds);
  }, 90_000);

  it('when exported as XLSX, then SheetJS reads every row back with numbers and booleans typed', async () => {
    const job = await runJob({ data_types: ['documents'], format: 'xlsx' });
    const workbook = XLSX.read(await fileOf(job), { type: 'buffer' });
    const sheet = workbook.Sheets[workbook.SheetNames[0] ?? ''];
    const rows = sheet ? XLSX.utils.sheet_to_json<Record<string, unknown>>(sheet) : [];
    expect(rows.map((r) => r.document_id)).toEqual(allIds);
    expect(rows[3]).toMatchObject({
      'extracted_data.n': 3,
      'extracted_data.paid': true,
      'extracted_data.total': 4.5,
    });
  }, 90_000);

  it('when exported as PDF, then the extracted text holds every document id once', async () => {
    const job = await runJob({
      data_types: ['documents'],
      format: 'pdf',
      filters: { document_type: 'invoice' },
    });
    const [pdf] = await extractPdfText([await fileOf(job)]);
    const found = (pdf?.pages.join('\n').replace(/\s+/g, '') ?? '').match(/doc-\d{5}/g) ?? [];
    expect(found).toEqual(allIds.filter((_, i) => i % 2 === 0));
  }, 90_000);

  it('when filters and a date range are given, then only matching records are exported', async () => {
    const job = await runJob({
      data_types: ['documents'],
      format: 'ndjson',
      filters: { document_type: 'receipt', fields: { 'extracted_data.paid': true } },
      start_date: createdAt(100),
      end_date: createdAt(400),
    });
    const expected = allIds.filter((_, i) => i >= 100 && i <= 400 && i % 2 === 1 && i % 3 === 0);
    const lines = (await fileOf(job)).toString('utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { document_id: string }).document_id)).toEqual(expected);
    expect(job.total_records).toBe(expected.length);
  });

  it('when another user runs a job, then it exports none of these records and cannot see the first user’s jobs', async () => {
    const other = newUser('other');
    const job = await runJob({ data_types: ['documents', 'export_tracking'], format: 'json' }, other);
    expect(job.total_records).toBe(0);
    expect(JSON.parse((await fileOf(job)).toString('utf8'))).toEqual([]);
    await expect(
      services.exportJobs.get(
        { email: other },
        (await services.exportJobs.list({ email: owner }, 1)).items[0]?.job_id ?? 'x',
      ),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('when the email was reassigned, then the job leaves out records stamped with the previous holder’s id', async () => {
    const email = newUser('reassigned');
    const documents = services.cosmos.container('documents');
    const base = {
      owner_email: email,
      file_name: 'x.json',
      document_type: 'invoice',
      status: 'extracted',
      created_at: createdAt(1),
      updated_at: createdAt(1),
    };
    await documents.create({ ...base, id: 'old-1', document_id: 'old-1', owner_oid: 'previous-holder' });
    await documents.create({ ...base, id: 'new-1', document_id: 'new-1', owner_oid: 'current-holder' });
    await documents.create({ ...base, id: 'unstamped-1', document_id: 'unstamped-1' });
    const { jobRequestSchema } = await import('../../../shared/domain/jobs');
    const caller = { email, oid: 'current-holder' };
    const job = await services.exportJobs.create(
      caller,
      jobRequestSchema.parse({ data_types: ['documents'], format: 'ndjson' }),
      { now: new Date() },
    );
    await harness.client.startNew('bulkExport', {
      instanceId: job.job_id,
      input: { owner_email: email, job_id: job.job_id },
    });
    await harness.fireAllTimers();
    const done = await services.exportJobs.get(caller, job.job_id);
    const ids = (await fileOf(done))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { document_id: string }).document_id);
    expect(ids).toEqual(['new-1', 'unstamped-1']);
  });

  it('when nothing matches a CSV job, then it completes with an empty file instead of failing', async () => {
    const job = await runJob({
      data_types: ['documents'],
      format: 'csv',
      filters: { document_type: 'no-such-type' },
    });
    expect(job).toMatchObject({ status: 'completed', total_records: 0, file: { rows: 0 } });
  });

  it('when a batch fails after writing its part and the job is resumed, then every record is in the file exactly once', async () => {
    const { jobRequestSchema } = await import('../../../shared/domain/jobs');
    const job = await services.exportJobs.create(
      { email: owner },
      jobRequestSchema.parse({ data_types: ['documents'], format: 'csv', batch_size: 500 }),
      { now: new Date() },
    );
    // The progress write after batch 3 (its block already staged) fails on every attempt.
    proxy.failNext(
      (r) =>
        r.method === 'PUT' &&
        r.path.includes(`/export_jobs/docs/${job.job_id}`) &&
        r.body.includes('"batch_index":3'),
      3,
    );
    await harness.client.startNew('bulkExport', {
      instanceId: job.job_id,
      input: { owner_email: owner, job_id: job.job_id },
    });
    await harness.fireAllTimers();
    const failed = await services.exportJobs.get({ email: owner }, job.job_id);
    expect(failed).toMatchObject({
      status: 'failed',
      processed_records: 1000,
      error_message: expect.stringMatching(/.+/),
      error_id: expect.any(String),
    });

    const resumed = await services.exportJobs.prepareResume({ email: owner }, job.job_id);
    await harness.client.startNew('bulkExport', {
      instanceId: resumed.job_id,
      input: { owner_email: owner, job_id: job.job_id },
    });
    await harness.fireAllTimers();
    const done = await services.exportJobs.get({ email: owner }, job.job_id);
    expect(done.status).toBe('completed');
    const parsed = Papa.parse<Record<string, string>>((await fileOf(done)).toString('utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.data.map((r) => r.document_id)).toEqual(allIds);
  }, 90_000);

  it('when a job is cancelled mid-way, then it is marked cancelled and no file is left behind', async () => {
    const { jobRequestSchema } = await import('../../../shared/domain/jobs');
    const job = await services.exportJobs.create(
      { email: owner },
      jobRequestSchema.parse({ data_types: ['documents'], format: 'csv', batch_size: 500 }),
      { now: new Date() },
    );
    const held = proxy.holdNext(
      (r) =>
        r.method === 'PUT' &&
        r.path.includes(`/export_jobs/docs/${job.job_id}`) &&
        r.body.includes('"batch_index":3'),
    );
    await harness.client.startNew('bulkExport', {
      instanceId: job.job_id,
      input: { owner_email: owner, job_id: job.job_id },
    });
    await held.reached;

    const { orchestrationControl } = await import('../../../shared/adapters/durable');
    const control = orchestrationControl(harness.client);
    const cancelled = await services.exportJobs.cancel({ email: owner }, job.job_id, () =>
      control.terminateIfRunning(job.job_id, 'test'),
    );
    held.release();
    await harness.fireAllTimers();

    expect(cancelled.status).toBe('cancelled');
    expect((await services.exportJobs.get({ email: owner }, job.job_id)).status).toBe('cancelled');
    expect((await harness.client.getStatus(job.job_id)).runtimeStatus).toBe('Terminated');
    expect(await services.blob.list('exports', `${owner}/jobs/${job.job_id}/`)).toEqual([]);
  });
});
