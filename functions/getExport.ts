import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationControl } from '../shared/adapters/durable';
import { authenticated, json } from '../shared/http/endpoint';
import { workflowView } from '../shared/http/exportResponses';
import { readyServices } from '../shared/services';

/** GET /api/v1/exports/{export_workflow_id} — the workflow, its recorded stages and runtime status. */
export const getExport = authenticated(async ({ caller, http, context }) => {
  const workflowId = http.params.export_workflow_id ?? '';
  const { header, stages } = await (await readyServices()).tracking.workflow(caller, workflowId);
  const runtime = await orchestrationControl(df.getClient(context)).status(workflowId);
  return json(200, workflowView(header, stages, runtime?.runtimeStatus ?? null));
});

app.http('getExport', {
  route: 'v1/exports/{export_workflow_id}',
  methods: ['GET'],
  extraInputs: [df.input.durableClient()],
  handler: getExport,
});
