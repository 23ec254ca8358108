import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationControl } from '../shared/adapters/durable';
import { authenticated, readJson } from '../shared/http/endpoint';
import { deliverableResponse } from '../shared/http/exportResponses';
import { regenerateBody } from '../shared/http/schemas';
import { exportRequests, readyServices } from '../shared/services';

/** POST /api/v1/exports/{export_workflow_id}/regenerate — a new workflow reusing the stage 2 data. */
export const regenerateExport = authenticated(async ({ caller, http, context }) => {
  const body = await readJson(http, regenerateBody);
  const services = await readyServices();
  const requests = exportRequests(services, orchestrationControl(df.getClient(context)));
  const outcome = await requests.regenerate(caller, http.params.export_workflow_id ?? '', body, new Date());
  return deliverableResponse(services.blob, outcome);
});

app.http('regenerateExport', {
  route: 'v1/exports/{export_workflow_id}/regenerate',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: regenerateExport,
});
