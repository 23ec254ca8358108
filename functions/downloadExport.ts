import { app } from '@azure/functions';
import { z } from 'zod';
import { conflict } from '../shared/core/errors';
import { authenticated, readQuery } from '../shared/http/endpoint';
import { fileResponse } from '../shared/http/exportResponses';
import { readyServices } from '../shared/services';

const downloadQuery = z.object({ redirect: z.enum(['true', 'false']).default('false') });

/**
 * GET /api/v1/exports/{export_workflow_id}/download — the deliverable's bytes, or with
 * `?redirect=true` a 302 to a read-only SAS URL valid for 15 minutes.
 */
export const downloadExport = authenticated(async ({ caller, http }) => {
  const { redirect } = readQuery(http, downloadQuery);
  const services = await readyServices();
  const header = await services.tracking.ownedHeader(caller, http.params.export_workflow_id ?? '');
  if (!header.deliverable)
    throw conflict(`Export ${header.export_workflow_id} is ${header.status}: it has no deliverable yet.`);
  if (redirect === 'true') {
    return {
      status: 302,
      headers: { location: await services.blob.readUrl('exports', header.deliverable.blob_path, 15) },
    };
  }
  return fileResponse(services.blob, header.export_workflow_id, header.deliverable);
});

app.http('downloadExport', {
  route: 'v1/exports/{export_workflow_id}/download',
  methods: ['GET'],
  handler: downloadExport,
});
