import { BlobServiceClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import { startAzurite, type Emulator } from '../../host/emulators';
import { apiClient, downloadedCsvRecords, endedWorkflow, jobWhen, seedInvoices } from '../support/api';
import { newUser } from '../support/invoke';
import { startHostOn, type RunningHost } from '../support/localHost';

/**
 * The app on Microsoft's Durable extension (DURABLE_ENGINE=extension, through the engine bridge)
 * over HTTP: the three-stage workflow and a bulk job, on an Azurite with Blob, Queue and Table
 * that this test owns, so it can see the extension's task hub there.
 */
const taskHub = `ext${randomUUID().replace(/-/g, '').slice(0, 12)}`;
let azurite: Emulator;
let host: RunningHost;

beforeAll(async () => {
  azurite = await startAzurite({ services: 'all' });
  host = await startHostOn('extension', {
    STORAGE: azurite.connectionString,
    AzureWebJobsStorage: azurite.connectionString,
    DURABLE_TASK_HUB: taskHub,
    COSMOS_DATABASE: `ext_${randomUUID().slice(0, 8)}`,
  });
}, 300_000);
afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
});

const invoice = {
  InvoiceId: 'INV-200',
  CustomerName: 'CONTOSO LTD',
  InvoiceTotal: 110,
  Items: [
    { Description: 'Consulting', Amount: 60 },
    { Description: 'Training', Amount: 50 },
  ],
};

async function durableHistory(instanceId: string) {
  const response = await fetch(
    `${host.url}/runtime/webhooks/durabletask/instances/${instanceId}?showHistory=true`,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as { runtimeStatus: string; historyEvents: { EventType: string }[] };
}

describe('the app on the Durable extension', () => {
  it('when a user reviews, edits and exports, then the workflow runs its three stages on the extension', async () => {
    const api = apiClient(host.url, newUser('ext'));
    const documentId = (
      await api.post('/api/v1/docs', {
        file_name: 'inv.pdf',
        document_type: 'invoice',
        extracted_data: invoice,
      })
    ).json<{ document_id: string }>().document_id;

    const stage1 = await api.post(`/api/v1/docs/${documentId}/export`, {
      use_ai_review: true,
      format: 'csv',
    });
    expect(stage1.status).toBe(200);
    const { export_workflow_id: workflowId } = stage1.json<{ export_workflow_id: string }>();
    expect(stage1.json()).toMatchObject({ status: 'awaiting_user_review', stage: 1 });
    expect((await api.get(`/api/v1/exports/${workflowId}`)).json()).toMatchObject({
      status: 'awaiting_user_review',
      runtime_status: 'Running',
    });

    const edited = { ...invoice, CustomerName: 'Contoso Ltd' };
    const file = await api.post(`/api/v1/docs/${documentId}/export`, {
      use_ai_template_generation: true,
      export_workflow_id: workflowId,
      format: 'csv',
      data: edited,
    });
    expect(file.status).toBe(200);
    const rows = Papa.parse<string[]>(file.bytes.toString('utf8').replace(/^\uFEFF/, ''), {
      skipEmptyLines: true,
    }).data;
    expect(rows.flat()).toContain('Contoso Ltd');

    const done = await endedWorkflow<{ runtime_status?: string; stages: unknown[] }>(api, workflowId);
    expect(done).toMatchObject({ status: 'completed', runtime_status: 'Completed' });
    expect(done.stages).toHaveLength(3);

    // The extension's own record of it: the review window's timer and the edit event.
    const history = await durableHistory(workflowId);
    expect(history.runtimeStatus).toBe('Completed');
    const types = history.historyEvents.map((e) => e.EventType);
    expect(types).toEqual(
      expect.arrayContaining(['ExecutionStarted', 'TimerCreated', 'EventRaised', 'ExecutionCompleted']),
    );
  });

  it('when a bulk job runs, then every record is in the file once, and the task hub is in Azure Storage', async () => {
    const api = apiClient(host.url, newUser('bulk'));
    const ids = await seedInvoices(api, 33, 'r');
    const created = await api.post('/api/v1/export-jobs', {
      data_types: ['documents'],
      format: 'csv',
      batch_size: 10,
    });
    expect(created.status).toBe(202);
    const { job_id: jobId } = created.json<{ job_id: string }>();

    const job = await jobWhen(api, jobId);
    expect(job).toMatchObject({ status: 'completed', processed_records: 33, total_batches: 4 });

    const file = await downloadedCsvRecords(api, jobId);
    expect(file.status).toBe(200);
    const { records } = file;
    const exported = records.map((r) => r.document_id);
    expect([...exported].sort()).toEqual([...ids].sort());

    // The extension keeps its task hub in the storage account it was given (its app lease container).
    const containers: string[] = [];
    for await (const c of BlobServiceClient.fromConnectionString(azurite.connectionString).listContainers())
      containers.push(c.name);
    expect(containers).toContain(`${taskHub.toLowerCase()}-applease`);
  });
});
