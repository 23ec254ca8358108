import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/api';
import { newUser } from '../support/invoke';
import { startHost, type RunningHost } from '../support/localHost';

/**
 * What the user gave us is never lost or silently replaced (issue: integrity): phase 2 runs once
 * per workflow, edits too large to record are refused before any work, and the user's data never
 * travels through the orchestration's history. Through the local host over HTTP.
 */
let host: RunningHost;
beforeAll(async () => {
  host = await startHost({ COSMOS_DATABASE: `integrity_${randomUUID().slice(0, 8)}` });
}, 90_000);
afterAll(() => host?.stop());

async function documentWith(api: ApiClient, extracted: unknown): Promise<string> {
  const created = await api.post('/api/v1/docs', { file_name: 'ledger.json', extracted_data: extracted });
  expect(created.status).toBe(201);
  return created.json<{ document_id: string }>().document_id;
}

async function reviewed(api: ApiClient, documentId: string): Promise<string> {
  const response = await api.post(`/api/v1/docs/${documentId}/export`, { use_ai_review: true });
  expect(response.status).toBe(200);
  return response.json<{ export_workflow_id: string }>().export_workflow_id;
}

const submit = (api: ApiClient, documentId: string, body: Record<string, unknown>) =>
  api.post(`/api/v1/docs/${documentId}/export`, {
    use_ai_template_generation: true,
    format: 'json',
    ...body,
  });

interface WorkflowView {
  status: string;
  stages: { stage: number; modified_data?: unknown }[];
}

describe('export integrity', () => {
  it('when two phase-2 submits race, then exactly one wins, the other gets 409 already_submitted, and stage 2 holds the winner', async () => {
    const api = apiClient(host.url, newUser('race'));
    const documentId = await documentWith(api, { invoice_id: 'INV-1', total: 10 });
    const workflowId = await reviewed(api, documentId);
    const edits = [
      { invoice_id: 'INV-1', total: 11, by: 'first tab' },
      { invoice_id: 'INV-1', total: 12, by: 'second tab' },
    ];
    const answers = await Promise.all(
      edits.map((data) => submit(api, documentId, { export_workflow_id: workflowId, data })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.findIndex((a) => a.status === 200);
    const loser = answers[1 - winner];
    expect(loser?.json()).toMatchObject({
      error: { code: 'already_submitted', message: expect.stringContaining(workflowId) },
    });
    expect(JSON.parse(answers[winner]?.bytes.toString('utf8') ?? '{}')).toMatchObject({
      records: [{ data: edits[winner] }],
    });

    const view = (await api.get(`/api/v1/exports/${workflowId}`)).json<WorkflowView>();
    expect(view.status).toBe('completed');
    expect(view.stages.find((s) => s.stage === 2)?.modified_data).toEqual(edits[winner]);

    // A later submit is refused the same way: the deliverable stays the winner's.
    const late = await submit(api, documentId, { export_workflow_id: workflowId, data: edits[1 - winner] });
    expect(late.status).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'already_submitted' } });
  });

  it('when edits could not be stored in a stage 2 record, then 413 names the limit and nothing is claimed or started', async () => {
    const api = apiClient(host.url, newUser('large'));
    // Each part fits the 512 KiB data limit; original + edited + a change per leaf does not fit 2 MB.
    const row = (i: number, text: string) => ({ n: i, text: text.repeat(52) });
    const count = Math.floor(520_000 / Buffer.byteLength(JSON.stringify(row(9999, 'ab')) + ','));
    const rows = (text: string) => Array.from({ length: count }, (_, i) => row(i, text));
    const original = { rows: rows('ab') };
    expect(Buffer.byteLength(JSON.stringify(original))).toBeLessThan(512 * 1024);
    const documentId = await documentWith(api, original);
    const workflowId = await reviewed(api, documentId);

    const tooLarge = await submit(api, documentId, {
      export_workflow_id: workflowId,
      data: { rows: rows('cd') },
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json()).toMatchObject({
      error: { code: 'payload_too_large', message: expect.stringMatching(/2 MB/) },
    });
    expect(tooLarge.headers.get('retry-after')).toBeNull();

    const oneShot = await submit(api, documentId, { data: { rows: rows('ef') } });
    expect(oneShot.status).toBe(413);
    const history = (await api.get(`/api/v1/exports/history?document_id=${documentId}`)).json<{
      items: { export_workflow_id: string }[];
    }>();
    expect(history.items.map((i) => i.export_workflow_id)).toEqual([workflowId]);

    // The workflow was not claimed: edits that fit still go through.
    const fits = await submit(api, documentId, {
      export_workflow_id: workflowId,
      data: { rows: original.rows.slice(0, 10) },
    });
    expect(fits.status).toBe(200);
  });

  it('when a workflow runs, then its orchestration history holds ids, never the user data', async () => {
    const api = apiClient(host.url, newUser('history'));
    const original = { note: `original-${randomUUID()}`, issued: '2024-03-01T10:00:00.000+02:00' };
    const documentId = await documentWith(api, original);
    const workflowId = await reviewed(api, documentId);
    const data = { ...original, note: `edited-${randomUUID()}`, due: '2024-04-01T00:00:00.000Z' };
    const file = await submit(api, documentId, {
      export_workflow_id: workflowId,
      data,
      transformation_instructions: `instructions-${randomUUID()}`,
    });
    expect(file.status).toBe(200);

    const status = await fetch(
      `${host.url}/runtime/webhooks/durabletask/instances/${workflowId}?showHistory=true&showHistoryOutput=true&showInput=true`,
    );
    const recorded = await status.text();
    expect(recorded).toContain(workflowId);
    for (const value of [original.note, data.note, data.due, original.issued])
      expect(recorded).not.toContain(value);

    // And the data comes back exactly as given, date-like strings included.
    const view = (await api.get(`/api/v1/exports/${workflowId}`)).json<WorkflowView>();
    expect(view.stages.find((s) => s.stage === 2)?.modified_data).toEqual(data);
  });

  it('when a format must cut a value, then the file says how many kinds of loss and stage 3 lists them', async () => {
    const api = apiClient(host.url, newUser('loss'));
    const long = 'x'.repeat(40_000);
    const documentId = await documentWith(api, { invoice_id: 'INV-9', notes: long });
    const workflowId = await reviewed(api, documentId);
    const xlsx = await submit(api, documentId, {
      export_workflow_id: workflowId,
      format: 'xlsx',
      data: { invoice_id: 'INV-9', notes: long },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('x-export-warnings')).toBe('1');
    const view = (await api.get(`/api/v1/exports/${workflowId}`)).json<{
      stages: { stage: number; deliverable?: { warnings: { code: string; count: number }[] } }[];
    }>();
    expect(view.stages.find((s) => s.stage === 3)?.deliverable?.warnings).toEqual([
      expect.objectContaining({ code: 'cell_truncated', count: 1 }),
    ]);
    const download = await api.get(`/api/v1/exports/${workflowId}/download`);
    expect(download.headers.get('x-export-warnings')).toBe('1');

    // CSV holds any length: the same data comes back whole, with no warning.
    const csv = await submit(api, documentId, { format: 'csv', data: { invoice_id: 'INV-9', notes: long } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('x-export-warnings')).toBe('0');
    expect(csv.bytes.toString('utf8')).toContain(long);
  });

  it('when edits hold text that starts like a formula, then the CSV neutralises it and the header and stage 3 say so', async () => {
    const api = apiClient(host.url, newUser('formula'));
    const data = { invoice_id: 'INV-3', note: '=HYPERLINK("http://example.invalid","click")' };
    const documentId = await documentWith(api, { invoice_id: 'INV-3', note: 'plain' });
    const workflowId = await reviewed(api, documentId);
    const csv = await submit(api, documentId, { export_workflow_id: workflowId, format: 'csv', data });
    expect(csv.status).toBe(200);
    expect(csv.bytes.toString('utf8')).toContain(`"'=HYPERLINK(""http://example.invalid"",""click"")"`);
    expect(csv.headers.get('x-export-warnings')).toBe('1');
    const view = (await api.get(`/api/v1/exports/${workflowId}`)).json<{
      stages: { stage: number; deliverable?: { warnings: { code: string; count: number }[] } }[];
    }>();
    expect(view.stages.find((s) => s.stage === 3)?.deliverable?.warnings).toEqual([
      expect.objectContaining({ code: 'formula_neutralised', count: 1, first_record: 1 }),
    ]);
  });

  it('when an export answers 202, then its status link answers at once, before stage 1 is recorded', async () => {
    const impatient = await startHost({
      COSMOS_DATABASE: `integrity_${randomUUID().slice(0, 8)}`,
      EXPORT_WAIT_LIMIT_MS: '1',
    });
    try {
      const api = apiClient(impatient.url, newUser('early'));
      const documentId = await documentWith(api, { invoice_id: 'INV-2', total: 3 });
      const started = await api.post(`/api/v1/docs/${documentId}/export`, { use_ai_review: true });
      expect(started.status).toBe(202);
      const link = started.headers.get('location') ?? '';
      const status = await api.get(link);
      expect(status.status).toBe(200);
      expect(['pending', 'awaiting_user_review']).toContain(status.json<{ status: string }>().status);
    } finally {
      await impatient.stop();
    }
  });
});
