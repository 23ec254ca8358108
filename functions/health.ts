import { app } from '@azure/functions';
import { anonymous, json } from '../shared/http/endpoint';

/** GET /api/v1/health — each dependency's state; 503 when a required one is down. No principal needed. */
export const health = anonymous(async ({ services }) => {
  const report = await services.health();
  return json(
    report.status === 'healthy' ? 200 : 503,
    report,
    report.status === 'healthy' ? {} : { 'retry-after': '5' },
  );
});

app.http('health', { route: 'v1/health', methods: ['GET'], authLevel: 'anonymous', handler: health });
