import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { authenticated, json } from '../shared/http/endpoint';
import { workflowView } from '../shared/http/exportResponses';
import { httpTrigger } from '../shared/http/contract/operations';

/** GET /api/v1/exports/{export_workflow_id} — the workflow, its recorded stages and runtime status. */
export const getExport = authenticated(
  ['export_workflow_id'],
  async ({ caller, params, services, orchestration }) => {
    const workflowId = params.export_workflow_id;
    const { header, stages } = await services.exportTracking.workflow(caller, workflowId);
    const runtime = await orchestration().status(workflowId);
    return json(200, workflowView(header, stages, runtime?.runtimeStatus ?? null));
  },
);

app.http('getExport', {
  ...httpTrigger('getExport'),
  extraInputs: [df.input.durableClient()],
  handler: getExport,
});
