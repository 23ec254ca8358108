import { app } from '@azure/functions';
import { conflict } from '../shared/core/errors';
import { downloadResponse } from '../shared/http/download';
import { authenticated } from '../shared/http/endpoint';
import { deliverableFile } from '../shared/http/exportResponses';
import { readyServices } from '../shared/services';

/**
 * GET /api/v1/exports/{export_workflow_id}/download — the deliverable's bytes, or with
 * `?redirect=true` a 302 to a read-only SAS URL valid for 15 minutes.
 */
export const downloadExport = authenticated(async ({ caller, http }) => {
  const services = await readyServices();
  const header = await services.tracking.ownedHeader(caller, http.params.export_workflow_id ?? '');
  if (!header.deliverable)
    throw conflict(`Export ${header.export_workflow_id} is ${header.status}: it has no deliverable yet.`);
  return downloadResponse(http, services.blob, deliverableFile(header.deliverable), {
    'x-export-workflow-id': header.export_workflow_id,
  });
});

app.http('downloadExport', {
  route: 'v1/exports/{export_workflow_id}/download',
  methods: ['GET'],
  handler: downloadExport,
});
