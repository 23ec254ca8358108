import { app } from '@azure/functions';
import { downloadResponse } from '../shared/http/download';
import { authenticated } from '../shared/http/endpoint';
import { deliverableFile, deliverableHeaders } from '../shared/http/exportResponses';
import { httpTrigger } from '../shared/http/contract/operations';

/**
 * GET /api/v1/exports/{export_workflow_id}/download — the deliverable's bytes, or with
 * `?redirect=true` a 302 to a read-only SAS URL valid for 15 minutes.
 */
export const downloadExport = authenticated(
  ['export_workflow_id'],
  async ({ caller, params, services, http }) => {
    const header = await services.exportRequests.deliverable(caller, params.export_workflow_id);
    return downloadResponse(
      http,
      services.blob,
      deliverableFile(header.deliverable),
      deliverableHeaders(header.export_workflow_id, header.deliverable),
    );
  },
);

app.http('downloadExport', { ...httpTrigger('downloadExport'), handler: downloadExport });
