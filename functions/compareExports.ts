import { app } from '@azure/functions';
import { compareWorkflows } from '../shared/domain/comparison';
import { authenticated, json } from '../shared/http/endpoint';
import type { ComparisonResponse } from '../shared/http/schemas';
import { httpTrigger } from '../shared/http/contract/operations';

/** GET /api/v1/exports/{a}/compare/{b} — field-level differences between two of the caller's workflows. */
export const compareExports = authenticated(['a', 'b'], async ({ caller, params, services }) => {
  const [a, b] = await Promise.all([
    services.exportTracking.workflow(caller, params.a),
    services.exportTracking.workflow(caller, params.b),
  ]);
  return json(200, compareWorkflows(a, b) satisfies ComparisonResponse);
});

app.http('compareExports', { ...httpTrigger('compareExports'), handler: compareExports });
