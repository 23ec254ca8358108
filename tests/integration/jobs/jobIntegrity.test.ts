import { buffer } from 'node:stream/consumers';
import { loadConfig } from '../../../shared/config';
import { startFaultyProxy, type FaultyProxy } from '../../support/faultyProxy';
import { newUser } from '../../support/invoke';
import { startHarness, type DurableHarness } from '../durable/harness';

/**
 * What keeps a job's file whole: batches bounded by bytes, a job whose counts disagree never
 * completed, and a resume that cannot race the failed orchestration's own end. The real
 * orchestration and activities, Cosmos behind a fault-injecting proxy, the manual clock.
 */
const cosmos = loadConfig(process.env).cosmos;
if (cosmos.kind !== 'key') throw new Error('tests run on the emulator');
const originalCosmos = process.env.COSMOS;
const batchMaxBytes = 1024 * 1024;
let proxy: FaultyProxy;
let harness: DurableHarness;
let services: Awaited<ReturnType<typeof import('../../../shared/app/compositionRoot').readyServices>>;

beforeAll(async () => {
  proxy = await startFaultyProxy(cosmos.endpoint);
  // Before the app's services are first built in this file: through the proxy, with a small budget.
  process.env.COSMOS = `AccountEndpoint=${proxy.url}/;AccountKey=${cosmos.key};`;
  process.env.JOB_BATCH_MAX_BYTES = String(batchMaxBytes);
  await import('../../../functions/bulkExport');
  services = await (await import('../../../shared/app/compositionRoot')).readyServices();
  harness = await startHarness();
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await proxy?.close();
  process.env.COSMOS = originalCosmos;
  delete process.env.JOB_BATCH_MAX_BYTES;
});

async function seed(owner: string, count: number, data: (i: number) => Record<string, unknown>) {
  const documents = services.cosmos.container('documents');
  const ids = Array.from({ length: count }, (_, i) => `doc-${String(i).padStart(3, '0')}`);
  await Promise.all(
    ids.map((id, i) =>
      documents.create({
        id,
        document_id: id,
        owner_email: owner,
        file_name: `d${i}.json`,
        document_type: 'invoice',
        status: 'extracted',
        extracted_data: data(i),
        created_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      }),
    ),
  );
  return ids;
}

async function createJob(owner: string, fields: Record<string, unknown>) {
  const { jobRequestSchema } = await import('../../../shared/domain/jobs');
  const request = jobRequestSchema.parse({ data_types: ['documents'], ...fields });
  return services.exportJobs.create({ email: owner }, request, { now: new Date() });
}

async function start(owner: string, jobId: string) {
  await harness.client.startNew('bulkExport', {
    instanceId: jobId,
    input: { owner_email: owner, job_id: jobId },
  });
}

async function ndjsonIds(job: {
  target: { container: 'exports' | 'scheduled-exports' };
  file: { blob_path: string } | null;
}) {
  if (!job.file) throw new Error('the job has no file');
  const bytes = await buffer((await services.blob.get(job.target.container, job.file.blob_path)).stream);
  return bytes
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { document_id: string }).document_id);
}

describe('a job’s batches, counts and resume', () => {
  it('when records are large, then batches stop at the byte budget before batch_size and the file holds each record once', async () => {
    const owner = newUser('bytes');
    // About 200 KiB each: five fit a 1 MiB budget, though batch_size asks for 100.
    const ids = await seed(owner, 20, (i) => ({ n: i, notes: `${i}`.padEnd(200 * 1024, 'x') }));
    const job = await createJob(owner, { format: 'ndjson', batch_size: 100 });
    await start(owner, job.job_id);
    await harness.fireAllTimers();

    const done = await services.exportJobs.get({ email: owner }, job.job_id);
    expect(done).toMatchObject({ status: 'completed', processed_records: 20, progress: { documents: 100 } });
    expect(done.current_batch).toBeGreaterThanOrEqual(4);
    expect(done.total_batches).toBe(done.current_batch);
    expect(await ndjsonIds(done)).toEqual(ids);
  });

  it('when the file would not hold every record the job read, then the job fails with records_mismatch and is never completed', async () => {
    const owner = newUser('mismatch');
    await seed(owner, 30, (i) => ({ n: i }));
    const job = await createJob(owner, { format: 'csv', batch_size: 10 });
    const ref = { owner_email: owner, job_id: job.job_id };
    let outcome = await services.exportJobs.plan(ref);
    while (!outcome.done) outcome = await services.exportJobs.runBatch(ref);
    // The record says one more document was read than was staged (a lost write, say).
    const stored = await services.exportJobs.get({ email: owner }, job.job_id);
    await services.cosmos.container('export_jobs').replaceIfUnchanged({
      ...stored,
      checkpoint: { ...stored.checkpoint, records_by_type: [31] },
    });

    await start(owner, job.job_id);
    await harness.fireAllTimers();
    const failed = await services.exportJobs.get({ email: owner }, job.job_id);
    expect(failed).toMatchObject({
      status: 'failed',
      error_code: 'records_mismatch',
      error_message: expect.stringContaining('documents: 31 records matched, 30 written'),
      file: null,
    });
    expect(await services.blob.list('exports', `${owner}/jobs/${job.job_id}/export-`)).toEqual([]);
  });

  it('when a failed job is resumed while its orchestration is still running, then 409 job_busy leaves it failed; once it ended, resume completes it', async () => {
    const owner = newUser('busy');
    const ids = await seed(owner, 30, (i) => ({ n: i }));
    const job = await createJob(owner, { format: 'ndjson', batch_size: 10 });
    // The second batch's progress write fails once: its retry waits on the (manual) clock.
    proxy.failNext(
      (r) =>
        r.method === 'PUT' &&
        r.path.includes(`/export_jobs/docs/${job.job_id}`) &&
        r.body.includes('"batch_index":2'),
      1,
    );
    await start(owner, job.job_id);
    await harness.settle();
    expect((await harness.client.getStatus(job.job_id)).runtimeStatus).toBe('Running');
    // As when markFailed has recorded the failure and the orchestrator has not yet ended.
    await services.exportJobs.markFailed(
      { owner_email: owner, job_id: job.job_id },
      { message: 'The source was unavailable.' },
    );

    const { orchestrationControl } = await import('../../../shared/adapters/durable');
    const control = orchestrationControl(harness.client);
    await expect(services.exportJobs.resume({ email: owner }, job.job_id, control)).rejects.toMatchObject({
      code: 'job_busy',
      status: 409,
      message: expect.stringContaining(job.job_id),
    });
    expect(await services.exportJobs.get({ email: owner }, job.job_id)).toMatchObject({
      status: 'failed',
      error_message: 'The source was unavailable.',
    });

    await harness.fireAllTimers();
    expect((await harness.client.getStatus(job.job_id)).runtimeStatus).not.toBe('Running');
    await services.exportJobs.resume({ email: owner }, job.job_id, control);
    await harness.fireAllTimers();
    const done = await services.exportJobs.get({ email: owner }, job.job_id);
    expect(done.status).toBe('completed');
    expect(await ndjsonIds(done)).toEqual(ids);
  });
});
