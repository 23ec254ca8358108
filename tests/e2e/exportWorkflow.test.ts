import { CosmosClient } from '@azure/cosmos';
import { BlobServiceClient } from '@azure/storage-blob';
import { createHash, randomUUID } from 'node:crypto';
import * as XLSX from 'xlsx';
import { loadConfig } from '../../shared/config';
import { apiClient, endedWorkflow, type ApiClient } from '../support/api';
import { startFaultyProxy, type FaultyProxy } from '../support/faultyProxy';
import { startHost, type RunningHost } from '../support/localHost';
import { newUser } from '../support/invoke';

/**
 * The three-stage workflow through the local host over HTTP, on the jest run's emulators with a
 * fault-injecting proxy in front of Cosmos DB. The AI is the local summarizer.
 */
const database = `wf_${randomUUID().slice(0, 8)}`;
const cosmos = loadConfig(process.env).cosmos;
if (cosmos.kind !== 'key') throw new Error('tests run on the emulator');
let proxy: FaultyProxy;
let host: RunningHost;

const invoice = {
  InvoiceId: 'INV-100',
  CustomerName: 'MICROSOFT CORPORATION',
  SubTotal: 100,
  TotalTax: 10,
  InvoiceTotal: 110,
  Items: [
    { Description: 'Consulting', Amount: 60 },
    { Description: 'Training', Amount: 40 },
  ],
};

beforeAll(async () => {
  proxy = await startFaultyProxy(cosmos.endpoint);
  host = await startHost({
    COSMOS: `AccountEndpoint=${proxy.url}/;AccountKey=${cosmos.key};`,
    COSMOS_DATABASE: database,
  });
}, 90_000);
afterAll(async () => {
  await host?.stop();
  await proxy?.close();
});

async function newInvoice(api: ApiClient): Promise<string> {
  const created = await api.post('/api/v1/docs', {
    file_name: 'invoice-100.pdf',
    document_type: 'invoice',
    extracted_data: invoice,
  });
  expect(created.status).toBe(201);
  return created.json<{ document_id: string }>().document_id;
}

async function review(api: ApiClient, documentId: string) {
  const response = await api.post(`/api/v1/docs/${documentId}/export`, {
    use_ai_review: true,
    format: 'csv',
  });
  expect(response.status).toBe(200);
  return response.json<{
    export_workflow_id: string;
    status: string;
    stage: number;
    ai_summary: Record<string, unknown>;
    links: Record<string, string>;
  }>();
}

const edited = {
  ...invoice,
  CustomerName: 'Microsoft Corporation',
  Items: [...invoice.Items, { Description: 'Support', Amount: 20 }],
};

describe('three-stage export workflow', () => {
  it('when a user reviews, edits and exports, then each stage is recorded and the CSV comes back with its hash', async () => {
    const api = apiClient(host.url, newUser('ana'));
    const documentId = await newInvoice(api);
    const stage1 = await review(api, documentId);
    expect(stage1).toMatchObject({
      status: 'awaiting_user_review',
      stage: 1,
      links: { status: `/api/v1/exports/${stage1.export_workflow_id}` },
    });
    expect(Object.keys(stage1.ai_summary).sort()).toEqual([
      'financials',
      'key_fields',
      'overview',
      'recommendations',
      'risks',
    ]);
    expect(JSON.stringify(stage1.links)).not.toMatch(/runtime\/webhooks|code=/);

    const waiting = await api.get(`/api/v1/exports/${stage1.export_workflow_id}`);
    expect(waiting.json()).toMatchObject({
      status: 'awaiting_user_review',
      runtime_status: 'Running',
      stages: [{ stage: 1 }],
    });

    const editingStarted = new Date(Date.now() - 95_000).toISOString();
    const file = await api.post(`/api/v1/docs/${documentId}/export`, {
      use_ai_template_generation: true,
      export_workflow_id: stage1.export_workflow_id,
      format: 'csv',
      data: edited,
      editing_started_at: editingStarted,
      edit_count: 4,
      transformation_instructions: 'Keep amounts as numbers',
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="invoice-100-standard\.csv"/,
    );
    expect(file.headers.get('x-export-workflow-id')).toBe(stage1.export_workflow_id);
    expect(file.headers.get('x-content-sha256')).toBe(createHash('sha256').update(file.bytes).digest('hex'));
    expect(file.bytes.toString('utf8')).toContain('Support');

    const done = await endedWorkflow<{
      status: string;
      runtime_status: string;
      stages: Record<string, unknown>[];
    }>(api, stage1.export_workflow_id);
    expect(done).toMatchObject({ status: 'completed', runtime_status: 'Completed' });
    const [s1, s2, s3] = done.stages;
    expect(s1).toMatchObject({
      id: `${stage1.export_workflow_id}:1`,
      stage_name: 'initial_ai_summary',
      ai_metadata: { model: 'local-summarizer' },
      extraction_method: 'provided',
    });
    expect(s2).toMatchObject({
      stage_name: 'user_modifications',
      stage_1_id: `${stage1.export_workflow_id}:1`,
      changes: {
        modifications: [
          { path: '$.CustomerName', old_value: 'MICROSOFT CORPORATION', new_value: 'Microsoft Corporation' },
        ],
        additions: [{ path: '$.Items[2]', new_value: { Description: 'Support', Amount: 20 } }],
        counts: { modifications: 1, additions: 1, deletions: 0, total: 2 },
      },
      user_preferences: {
        format: 'csv',
        document_template: 'standard',
        transformation_instructions: 'Keep amounts as numbers',
      },
      user_action_metrics: { edit_count: 4 },
    });
    expect(
      (s2?.user_action_metrics as { editing_time_seconds: number }).editing_time_seconds,
    ).toBeGreaterThanOrEqual(95);
    expect(s3).toMatchObject({
      stage_name: 'final_deliverable',
      status: 'completed',
      deliverable: {
        format: 'csv',
        file_size: file.bytes.length,
        sha256: file.headers.get('x-content-sha256'),
      },
      traceability: [
        `${stage1.export_workflow_id}:1`,
        `${stage1.export_workflow_id}:2`,
        `${stage1.export_workflow_id}:3`,
      ],
    });
    expect(s3?.workflow_metrics).toMatchObject({
      total_duration_ms: expect.any(Number),
      generation_ms: expect.any(Number),
    });

    const again = await api.post(`/api/v1/docs/${documentId}/export`, {
      use_ai_template_generation: true,
      export_workflow_id: stage1.export_workflow_id,
      format: 'csv',
      data: edited,
    });
    expect(again.status).toBe(409);

    const download = await api.get(`/api/v1/exports/${stage1.export_workflow_id}/download`);
    expect(download.bytes.equals(file.bytes)).toBe(true);
    const redirect = await api.get(`/api/v1/exports/${stage1.export_workflow_id}/download?redirect=true`);
    expect(redirect.status).toBe(302);
    const sas = new URL(redirect.headers.get('location') ?? '');
    expect(sas.searchParams.get('sp')).toBe('r');
    expect(Buffer.from(await (await fetch(sas)).arrayBuffer()).equals(file.bytes)).toBe(true);
  });

  it('when phase 2 comes without a workflow id, then one new workflow runs all three stages for each format', async () => {
    const api = apiClient(host.url, newUser('bob'));
    const documentId = await newInvoice(api);
    const body = { use_ai_template_generation: true, data: edited };

    const asJson = await api.post(`/api/v1/docs/${documentId}/export`, {
      ...body,
      format: 'json',
      document_template: 'detailed_analysis',
    });
    expect(asJson.status).toBe(200);
    expect(asJson.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const parsed = asJson.json<{
      metadata: { export_workflow_id: string };
      records: { summary: unknown; data: unknown; changes: { counts: { total: number } } }[];
    }>();
    expect(parsed.records[0]?.data).toEqual(edited);
    expect(parsed.records[0]?.changes.counts.total).toBe(2);

    const asXlsx = await api.post(`/api/v1/docs/${documentId}/export`, { ...body, format: 'excel' });
    expect(asXlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = XLSX.read(asXlsx.bytes, { type: 'buffer' });
    const firstSheet = workbook.Sheets[workbook.SheetNames[0] ?? ''];
    const rows = firstSheet ? XLSX.utils.sheet_to_json<Record<string, unknown>>(firstSheet) : [];
    expect(rows.length).toBe(3);

    const asPdf = await api.post(`/api/v1/docs/${documentId}/export`, {
      ...body,
      format: 'pdf',
      document_template: 'executive_summary',
    });
    expect(asPdf.headers.get('content-type')).toBe('application/pdf');
    expect(asPdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    const history = (await api.get(`/api/v1/exports/history?document_id=${documentId}`)).json<{
      items: { status: string; format: string }[];
    }>();
    expect(history.items.map((i) => [i.status, i.format])).toEqual([
      ['completed', 'pdf'],
      ['completed', 'xlsx'],
      ['completed', 'json'],
    ]);
  });

  it('when the stage 3 record write fails twice at the wire, then the retried activity leaves exactly one record and one file', async () => {
    const api = apiClient(host.url, newUser('carl'));
    const documentId = await newInvoice(api);
    const { export_workflow_id: id } = await review(api, documentId);
    proxy.failNext(
      (r) =>
        r.method === 'POST' && r.path.includes('/colls/export_tracking/docs') && r.body.includes(`"${id}:3"`),
      2,
    );

    const file = await api.post(`/api/v1/docs/${documentId}/export`, {
      use_ai_template_generation: true,
      export_workflow_id: id,
      format: 'json',
      data: edited,
    });
    expect(file.status).toBe(200);
    expect(proxy.failures()).toBeGreaterThanOrEqual(2);

    const client = new CosmosClient({
      endpoint: cosmos.endpoint,
      key: cosmos.key,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    const { resources } = await client
      .database(database)
      .container('export_tracking')
      .items.query({
        query: 'SELECT c.id FROM c WHERE c.export_workflow_id = @id',
        parameters: [{ name: '@id', value: id }],
      })
      .fetchAll();
    client.dispose();
    expect(resources.map((r: { id: string }) => r.id).sort()).toEqual([id, `${id}:1`, `${id}:2`, `${id}:3`]);

    const blobs: string[] = [];
    const exports = BlobServiceClient.fromConnectionString(process.env.STORAGE ?? '').getContainerClient(
      'exports',
    );
    for await (const blob of exports.listBlobsFlat({ prefix: `${api.email}/${id}/` })) blobs.push(blob.name);
    expect(blobs).toEqual([`${api.email}/${id}/invoice-100-standard.json`]);
  });

  it('when another user tries every export endpoint, then each answers 404 and their history is empty', async () => {
    const owner = apiClient(host.url, newUser('dana'));
    const documentId = await newInvoice(owner);
    const { export_workflow_id: id } = await review(owner, documentId);
    const eve = apiClient(host.url, newUser('eve'));
    const attempts = [
      eve.get(`/api/v1/docs/${documentId}`),
      eve.post(`/api/v1/docs/${documentId}/export`, { use_ai_review: true }),
      eve.post(`/api/v1/docs/${documentId}/export`, {
        use_ai_template_generation: true,
        export_workflow_id: id,
        format: 'csv',
        data: {},
      }),
      eve.get(`/api/v1/exports/${id}`),
      eve.get(`/api/v1/exports/${id}/download`),
      eve.post(`/api/v1/exports/${id}/regenerate`, {}),
      eve.get(`/api/v1/exports/${id}/compare/${id}`),
    ];
    for (const attempt of await Promise.all(attempts)) expect(attempt.status).toBe(404);
    expect((await eve.get('/api/v1/exports/history')).json()).toEqual({ items: [], continuation: null });
  });

  it('when input is bad, then each gets a clear error and nothing is recorded', async () => {
    const api = apiClient(host.url, newUser('fay'));
    const documentId = await newInvoice(api);
    const path = `/api/v1/docs/${documentId}/export`;
    const phase2 = { use_ai_template_generation: true, format: 'csv', data: invoice };
    const cases: [unknown, number, string?][] = [
      ['{not json', 400],
      [{ use_ai_review: false }, 400],
      [{ ...phase2, format: 'docx' }, 400, 'format'],
      [{ ...phase2, document_template: 'fancy' }, 400, 'document_template'],
      [{ ...phase2, template_customization: { title: 'x' } }, 400, 'template_customization'],
      [{ ...phase2, export_workflow_id: 'not-a-uuid' }, 400, 'export_workflow_id'],
      [{ ...phase2, export_workflow_id: randomUUID() }, 404],
      [{ ...phase2, data: { blob: 'x'.repeat(600 * 1024) } }, 413, 'data'],
    ];
    for (const [body, status, field] of cases) {
      const response = await api.post(path, body);
      expect({ body, status: response.status }).toEqual({ body, status });
      if (field) expect(JSON.stringify(response.json())).toContain(`"field":"${field}"`);
    }
    expect((await api.get('/api/v1/exports/history')).json()).toEqual({ items: [], continuation: null });
  });

  it('when a workflow is regenerated as PDF and compared, then only the preferences and file differ', async () => {
    const api = apiClient(host.url, newUser('gil'));
    const documentId = await newInvoice(api);
    const first = await api.post(`/api/v1/docs/${documentId}/export`, {
      use_ai_template_generation: true,
      format: 'csv',
      data: edited,
    });
    const a = first.headers.get('x-export-workflow-id') ?? '';
    const second = await api.post(`/api/v1/exports/${a}/regenerate`, {
      format: 'pdf',
      document_template: 'executive_summary',
    });
    expect(second.status).toBe(200);
    const b = second.headers.get('x-export-workflow-id') ?? '';
    expect(b).not.toBe(a);
    expect((await api.get(`/api/v1/exports/${b}`)).json()).toMatchObject({
      regenerated_from: a,
      format: 'pdf',
      document_template: 'executive_summary',
    });

    const comparison = (await api.get(`/api/v1/exports/${a}/compare/${b}`)).json<{
      data_changes: { counts: { total: number } };
      preference_changes: { modifications: { path: string }[] };
      same_deliverable_content: boolean;
    }>();
    expect(comparison.data_changes.counts.total).toBe(0);
    expect(comparison.preference_changes.modifications.map((m) => m.path).sort()).toEqual([
      '$.document_template',
      '$.format',
    ]);
    expect(comparison.same_deliverable_content).toBe(false);
  });

  it('when a user has 120 workflows, then history pages through all of them newest first without repeats', async () => {
    const api = apiClient(host.url, newUser('hal'));
    const documentId = await newInvoice(api);
    const created: string[] = [];
    for (let i = 0; i < 120; i++) created.push((await review(api, documentId)).export_workflow_id);
    const seen: string[] = [];
    let continuation: string | null = null;
    do {
      const query: string = continuation ? `&continuation=${encodeURIComponent(continuation)}` : '';
      const page = (await api.get(`/api/v1/exports/history?limit=50${query}`)).json<{
        items: { export_workflow_id: string }[];
        continuation: string | null;
      }>();
      expect(page.items.length).toBeLessThanOrEqual(50);
      seen.push(...page.items.map((i) => i.export_workflow_id));
      continuation = page.continuation;
    } while (continuation);
    expect(seen).toEqual([...created].reverse());
    const filtered = (await api.get('/api/v1/exports/history?status=completed')).json<{ items: unknown[] }>();
    expect(filtered.items).toEqual([]);
  }, 120_000);
});
