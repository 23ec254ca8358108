import { app } from '@azure/functions';
import { compareWorkflows } from '../shared/domain/comparison';
import { authenticated, json } from '../shared/http/endpoint';
import { readyServices } from '../shared/services';

/** GET /api/v1/exports/{a}/compare/{b} — field-level differences between two of the caller's workflows. */
export const compareExports = authenticated(async ({ caller, http }) => {
  const { tracking } = await readyServices();
  const [a, b] = await Promise.all([
    tracking.workflow(caller, http.params.a ?? ''),
    tracking.workflow(caller, http.params.b ?? ''),
  ]);
  return json(200, compareWorkflows(a, b));
});

app.http('compareExports', {
  route: 'v1/exports/{a}/compare/{b}',
  methods: ['GET'],
  handler: compareExports,
});
