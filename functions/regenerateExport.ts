import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { authenticated, readJson } from '../shared/http/endpoint';
import { deliverableResponse } from '../shared/http/exportResponses';
import { regenerateBody } from '../shared/http/schemas';
import { httpTrigger } from '../shared/http/contract/operations';

/** POST /api/v1/exports/{export_workflow_id}/regenerate — a new workflow reusing the stage 2 data. */
export const regenerateExport = authenticated(
  ['export_workflow_id'],
  async ({ caller, params, services, orchestration, http }) => {
    const body = await readJson(http, regenerateBody);
    const outcome = await services.exportRequests.regenerate(
      orchestration(),
      caller,
      params.export_workflow_id,
      body,
      new Date(),
    );
    return deliverableResponse(services.blob, outcome);
  },
);

app.http('regenerateExport', {
  ...httpTrigger('regenerateExport'),
  extraInputs: [df.input.durableClient()],
  handler: regenerateExport,
});
