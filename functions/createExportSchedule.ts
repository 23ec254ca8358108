import { app } from '@azure/functions';
import { scheduleBodySchema } from '../shared/domain/scheduleRules';
import { authenticated, json, readJson } from '../shared/http/endpoint';
import { scheduleView } from '../shared/http/jobResponses';
import { httpTrigger } from '../shared/http/contract/operations';

/** POST /api/v1/export-schedules — a recurring export → 201 with its `next_run`. */
export const createExportSchedule = authenticated(async ({ caller, http, services }) => {
  const body = await readJson(http, scheduleBodySchema);
  const schedule = await services.schedules.create(caller, body, new Date());
  return json(201, scheduleView(schedule), { location: `/api/v1/export-schedules/${schedule.schedule_id}` });
});

app.http('createExportSchedule', { ...httpTrigger('createExportSchedule'), handler: createExportSchedule });
