import { app } from '@azure/functions';
import { z } from 'zod';
import { authenticated, json, readJson } from '../shared/http/endpoint';
import { scheduleView } from '../shared/http/jobResponses';
import { httpTrigger } from '../shared/http/contract/operations';

/** GET /api/v1/export-schedules/{schedule_id} — one schedule. */
export const getExportSchedule = authenticated(['schedule_id'], async ({ caller, params, services }) => {
  const schedule = await services.schedules.get(caller, params.schedule_id);
  return json(200, scheduleView(schedule));
});

/** PATCH /api/v1/export-schedules/{schedule_id} — changes fields; the whole schedule is validated again. */
export const updateExportSchedule = authenticated(
  ['schedule_id'],
  async ({ caller, params, services, http }) => {
    const changes = await readJson(
      http,
      z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }),
    );
    const schedule = await services.schedules.update(caller, params.schedule_id, changes, new Date());
    return json(200, scheduleView(schedule));
  },
);

/** DELETE /api/v1/export-schedules/{schedule_id} — stops future runs (files already written stay). */
export const deleteExportSchedule = authenticated(['schedule_id'], async ({ caller, params, services }) => {
  await services.schedules.delete(caller, params.schedule_id);
  return { status: 204 };
});

app.http('getExportSchedule', { ...httpTrigger('getExportSchedule'), handler: getExportSchedule });
app.http('updateExportSchedule', { ...httpTrigger('updateExportSchedule'), handler: updateExportSchedule });
app.http('deleteExportSchedule', { ...httpTrigger('deleteExportSchedule'), handler: deleteExportSchedule });
