import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { authenticated, json, readJson } from '../shared/http/endpoint';
import { deliverableResponse, exportLinks, stillRunning } from '../shared/http/exportResponses';
import { exportBody, type ReviewResponse } from '../shared/http/schemas';
import { httpTrigger } from '../shared/http/contract/operations';

/**
 * POST /api/v1/docs/{document_id}/export
 * Phase 1 `{"use_ai_review": true}` → 200 with the stage 1 summary (202 if it takes longer).
 * Phase 2 `{"use_ai_template_generation": true, format, data, ...}` → 200 with the file (202 if longer).
 */
export const exportDocument = authenticated(
  ['document_id'],
  async ({ caller, params, services, orchestration, http }) => {
    const body = await readJson(http, exportBody);
    const documentId = params.document_id;
    if ('use_ai_review' in body) {
      const outcome = await services.exportRequests.startReview(orchestration(), caller, documentId, body);
      if (outcome.kind === 'pending') return stillRunning(outcome.workflow_id);
      return json(200, {
        export_workflow_id: outcome.workflow_id,
        status: 'awaiting_user_review',
        stage: 1,
        ai_summary: outcome.ai_summary,
        links: exportLinks(outcome.workflow_id, documentId),
      } satisfies ReviewResponse);
    }
    const outcome = await services.exportRequests.submitEdits(
      orchestration(),
      caller,
      documentId,
      body,
      new Date(),
    );
    return deliverableResponse(services.blob, outcome);
  },
);

app.http('exportDocument', {
  ...httpTrigger('exportDocument'),
  extraInputs: [df.input.durableClient()],
  handler: exportDocument,
});
