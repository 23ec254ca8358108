import { app } from '@azure/functions';
import { anonymous, json } from '../shared/http/endpoint';
import type { HealthResponse } from '../shared/http/schemas';
import { httpTrigger } from '../shared/http/contract/operations';

/** GET /api/v1/health — each dependency's state; 503 when a required one is down. No principal needed. */
export const health = anonymous(async ({ services }) => {
  const report = await services.health();
  return json(
    report.status === 'healthy' ? 200 : 503,
    report satisfies HealthResponse,
    report.status === 'healthy' ? {} : { 'retry-after': '5' },
  );
});

app.http('health', { ...httpTrigger('health'), handler: health });
