import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type Emulator } from '../../host/emulators';
import { apiClient, downloadedCsvRecords, endedWorkflow, jobWhen, seedInvoices } from '../support/api';
import { startHostOn, type RunningHost } from '../support/localHost';

/**
 * Crash recovery on the real engine: the host and its engine bridge are killed with SIGKILL in
 * the middle of a bulk job and while a workflow awaits review; Azurite (the extension's Azure
 * Storage, kept on disk) and Cosmos DB live on. A new host finishes the job with every record
 * exactly once, and the workflow still takes its edits.
 */
const taskHub = `crash${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const storageDir = mkdtempSync(path.join(os.tmpdir(), 'exportrail-crash-'));
let azurite: Emulator;
let env: Record<string, string>;
let host: RunningHost | undefined;

beforeAll(async () => {
  azurite = await startAzurite({ services: 'all', location: storageDir });
  env = {
    STORAGE: azurite.connectionString,
    AzureWebJobsStorage: azurite.connectionString,
    DURABLE_TASK_HUB: taskHub,
    COSMOS_DATABASE: `crash_${randomUUID().slice(0, 8)}`,
    // A dead worker's queue messages come back after this (5 minutes by default; 1 is the least):
    // short here, so the restarted host picks them up within the test.
    AzureWebJobs__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout: '00:01:00',
    AzureWebJobs__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout: '00:01:00',
  };
}, 60_000);
afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
  rmSync(storageDir, { recursive: true, force: true });
});

/** kill -9 of the host and of the bridge process it started. */
async function crash(running: RunningHost): Promise<void> {
  const bridgePid = running.bridgePid();
  expect(bridgePid).toEqual(expect.any(Number));
  try {
    process.kill(bridgePid as number, 'SIGKILL');
  } catch {
    // already gone with its host
  }
  await running.stop('SIGKILL');
}

interface Job {
  status: string;
  processed_records: number;
  total_records: number;
}

describe('crash recovery on the Durable extension', () => {
  it('when host and bridge are killed mid-job and mid-review, then after a restart the job completes with every record once and the review goes on', async () => {
    host = await startHostOn('extension', env);
    const api = () => apiClient((host as RunningHost).url, 'crash.user@contoso.com');
    const ids = await seedInvoices(api(), 300, 'c');

    const documentId = (
      await api().post('/api/v1/docs', {
        file_name: 'inv.pdf',
        document_type: 'invoice',
        extracted_data: { InvoiceId: 'INV-9', CustomerName: 'FABRIKAM', InvoiceTotal: 5 },
      })
    ).json<{ document_id: string }>().document_id;
    const review = await api().post(`/api/v1/docs/${documentId}/export`, {
      use_ai_review: true,
      format: 'json',
    });
    expect(review.status).toBe(200);
    const { export_workflow_id: workflowId } = review.json<{ export_workflow_id: string }>();

    const created = await api().post('/api/v1/export-jobs', {
      data_types: ['documents'],
      format: 'csv',
      batch_size: 10,
    });
    expect(created.status).toBe(202);
    const { job_id: jobId } = created.json<{ job_id: string }>();
    const midway = await jobWhen<Job>(api(), jobId, (job) => job.processed_records >= 20, 120_000);
    expect(midway.status).toBe('running');
    expect(midway.processed_records).toBeLessThan(midway.total_records);

    await crash(host);
    host = await startHostOn('extension', env);

    const done = await jobWhen<Job>(api(), jobId, undefined, 240_000);
    expect(done).toMatchObject({ status: 'completed', processed_records: 301, total_records: 301 });
    const file = await downloadedCsvRecords(api(), jobId);
    expect(file.status).toBe(200);
    const { records } = file;
    const exported = records.map((r) => r.document_id);
    expect(exported).toHaveLength(301);
    expect(new Set(exported).size).toBe(301);
    expect([...exported].sort()).toEqual([...ids, documentId].sort());

    const edits = await api().post(`/api/v1/docs/${documentId}/export`, {
      use_ai_template_generation: true,
      export_workflow_id: workflowId,
      format: 'json',
      data: { InvoiceId: 'INV-9', CustomerName: 'Fabrikam', InvoiceTotal: 5 },
    });
    expect(edits.status).toBe(200);
    expect(edits.bytes.toString('utf8')).toContain('Fabrikam');
    expect(await endedWorkflow(api(), workflowId)).toMatchObject({
      status: 'completed',
      runtime_status: 'Completed',
    });
  }, 600_000);
});
