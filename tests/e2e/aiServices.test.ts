import { summarizeLocally } from '../../shared/domain/summary';
import { apiClient } from '../support/api';
import {
  startDocumentIntelligenceServer,
  type DocumentIntelligenceServer,
} from '../support/documentIntelligenceServer';
import { newUser } from '../support/invoke';
import { startHost, type RunningHost } from '../support/localHost';
import { startOpenAiServer, type OpenAiServer } from '../support/openaiServer';

/**
 * The host configured for Azure OpenAI and Document Intelligence, both answered by local servers
 * speaking their wire formats from Microsoft's published examples.
 */
let openai: OpenAiServer;
let documentIntelligence: DocumentIntelligenceServer;
let host: RunningHost;

beforeAll(async () => {
  [openai, documentIntelligence] = await Promise.all([
    startOpenAiServer(),
    startDocumentIntelligenceServer(),
  ]);
  host = await startHost({
    AZURE_OPENAI_ENDPOINT: openai.endpoint,
    AZURE_OPENAI_DEPLOYMENT: 'gpt-4o-mini',
    AZURE_OPENAI_API_KEY: 'local-test-key',
    DOCUMENT_INTELLIGENCE_ENDPOINT: documentIntelligence.endpoint,
    DOCUMENT_INTELLIGENCE_API_KEY: 'local-test-key',
  });
}, 90_000);
afterAll(async () => {
  await host?.stop();
  await Promise.all([openai?.close(), documentIntelligence?.close()]);
});

describe('with Azure OpenAI and Document Intelligence configured', () => {
  it('when health is asked, then both AI services are reported configured', async () => {
    const health = await fetch(`${host.url}/api/v1/health`);
    expect(await health.json()).toMatchObject({
      dependencies: { openai: 'configured', document_intelligence: 'configured' },
    });
  });

  it('when an invoice PDF is uploaded, extracted and reviewed, then the fields and the model summary are recorded', async () => {
    const api = apiClient(host.url, newUser('kim'));
    const upload = await api.post(
      '/api/v1/docs?file_name=INV-100.pdf&document_type=invoice',
      '%PDF-1.7 scanned invoice',
      {
        'content-type': 'application/pdf',
      },
    );
    expect(upload.status).toBe(201);
    const documentId = upload.json<{ document_id: string }>().document_id;
    const extracted = await api.post(`/api/v1/docs/${documentId}/extract`);
    expect(extracted.json()).toMatchObject({
      extraction_method: 'document_intelligence:prebuilt-invoice',
      extraction_confidence: 1,
      extracted_data: { InvoiceId: 'INV-100', InvoiceTotal: 110, CustomerName: 'MICROSOFT CORPORATION' },
    });

    const data = extracted.json<{ extracted_data: Record<string, unknown> }>().extracted_data;
    const summary = summarizeLocally({
      document_type: 'invoice',
      file_name: 'INV-100.pdf',
      data: { InvoiceId: 'INV-100' },
    });
    // The model answers prose twice (the activity's first attempt fails validation), then JSON.
    openai.answer('Ahoy matey!', 'Arr, no JSON here', JSON.stringify(summary));
    const review = await api.post(`/api/v1/docs/${documentId}/export`, { use_ai_review: true });
    expect(review.status).toBe(200);
    const workflowId = review.json<{ export_workflow_id: string; ai_summary: unknown }>().export_workflow_id;
    expect(review.json<{ ai_summary: unknown }>().ai_summary).toEqual(summary);

    const workflow = (await api.get(`/api/v1/exports/${workflowId}`)).json<{
      stages: Record<string, unknown>[];
    }>();
    expect(workflow.stages).toHaveLength(1);
    expect(workflow.stages[0]).toMatchObject({
      ai_metadata: { model: 'gpt-4o-mini', tokens: { prompt: 33, completion: 557, total: 590 } },
      original_extracted_data: data,
    });
  });
});
