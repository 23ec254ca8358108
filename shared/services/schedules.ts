import { randomUUID } from 'node:crypto';
import type { OrchestrationControl } from '../ports/orchestration';
import type { OwnedRecord, Page, RecordStore } from '../ports/records';
import { conflict } from '../core/errors';
import type { Caller } from '../core/identity';
import { logEvent, hashOwner, type LogTarget } from '../core/log';
import { jobRequestSchema, type JobRecord } from '../domain/jobs';
import {
  dueSlot,
  nextRun,
  runDateLabel,
  scheduleBodySchema,
  scheduleExportSchema,
  scheduleTimingSchema,
  scheduleTimingFields,
  type ScheduleBody,
  slotKey,
  type ScheduleTiming,
} from '../domain/scheduleRules';
import { extensionFor } from '../formats/formatNames';
import type { ExportJobsService } from './exportJobs';
import { callerPage, callerRecord } from './callerRecords';

export interface ScheduleRecord extends OwnedRecord {
  schedule_id: string;
  type: 'export_schedule';
  name: string;
  data_types: ScheduleBody['data_types'];
  format: ScheduleBody['format'];
  filters?: ScheduleBody['filters'];
  include_metadata: boolean;
  compression: boolean;
  active: boolean;
  frequency: ScheduleTiming['frequency'];
  time_of_day: string;
  timezone: string;
  day_of_week?: string;
  day_of_month?: number;
  next_run: string | null;
  last_run: string | null;
  last_status: 'pending' | 'completed' | 'failed' | null;
  last_job_id: string | null;
  created_at: string;
  updated_at: string;
}

function timingOf(schedule: ScheduleRecord): ScheduleTiming {
  return scheduleTimingSchema.parse(schedule);
}

/** The body fields a record carries (PATCH merges onto these and validates the whole again). */
function bodyOf(schedule: ScheduleRecord): Record<string, unknown> {
  const fields: readonly string[] = [...Object.keys(scheduleExportSchema.shape), ...scheduleTimingFields];
  return Object.fromEntries(fields.map((field) => [field, schedule[field]]));
}

export class SchedulesService {
  constructor(
    private readonly schedules: RecordStore<ScheduleRecord>,
    private readonly jobs: ExportJobsService,
  ) {}

  private toRecord(
    base: Pick<ScheduleRecord, 'id' | 'schedule_id' | 'owner_email' | 'created_at'> & Partial<ScheduleRecord>,
    body: ScheduleBody,
    now: Date,
  ): ScheduleRecord {
    const { timing, ...exportFields } = body;
    return {
      last_run: null,
      last_status: null,
      last_job_id: null,
      ...base,
      type: 'export_schedule',
      ...exportFields,
      compression: exportFields.compression,
      frequency: timing.frequency,
      time_of_day: timing.time_of_day,
      timezone: timing.timezone,
      ...(timing.frequency === 'weekly' ? { day_of_week: timing.day_of_week } : {}),
      ...(timing.frequency === 'monthly' ? { day_of_month: timing.day_of_month } : {}),
      next_run: exportFields.active ? nextRun(timing, now).toISOString() : null,
      updated_at: now.toISOString(),
    };
  }

  async create(caller: Caller, body: ScheduleBody, now: Date): Promise<ScheduleRecord> {
    const id = randomUUID();
    const owner = { owner_email: caller.email, ...(caller.oid ? { owner_oid: caller.oid } : {}) };
    return this.schedules.create(
      this.toRecord({ id, schedule_id: id, ...owner, created_at: now.toISOString() }, body, now),
    );
  }

  async get(caller: Caller, scheduleId: string): Promise<ScheduleRecord> {
    return callerRecord(
      this.schedules,
      caller,
      scheduleId,
      'Export schedule',
      (r): r is ScheduleRecord => r.type === 'export_schedule',
    );
  }

  async list(caller: Caller, limit: number, continuation?: string): Promise<Page<ScheduleRecord>> {
    return callerPage(this.schedules, caller, {
      where: "c.type = 'export_schedule'",
      orderBy: 'c.created_at DESC',
      limit,
      continuation,
    });
  }

  /** Merges the changes onto the schedule and validates the result as a whole. */
  async update(
    caller: Caller,
    scheduleId: string,
    changes: Record<string, unknown>,
    now: Date,
  ): Promise<ScheduleRecord> {
    const current = await this.get(caller, scheduleId);
    const merged = { ...bodyOf(current), ...changes };
    if (changes.frequency !== undefined && changes.frequency !== current.frequency) {
      // A new frequency drops the day fields of the old one unless they were sent again.
      if (!('day_of_week' in changes)) delete merged.day_of_week;
      if (!('day_of_month' in changes)) delete merged.day_of_month;
    }
    const body = scheduleBodySchema.parse(
      Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)),
    );
    const updated = this.toRecord(current, body, now);
    const timingKept = [...scheduleTimingFields, 'active'].every(
      (field) => updated[field] === current[field],
    );
    // Same timing: keep the pending slot (a rename at 09:02 must not skip the 09:00 run).
    return this.schedules.upsert(timingKept ? { ...updated, next_run: current.next_run } : updated);
  }

  async delete(caller: Caller, scheduleId: string): Promise<void> {
    await this.get(caller, scheduleId);
    await this.schedules.delete(caller.email, scheduleId);
  }

  /**
   * Records and starts the job for one run. The job id is the slot's key for timer runs, and
   * recording it is a create: a slot that is already recorded (the timer fired twice, or two
   * hosts raced) is not started again.
   */
  private async startRun(
    schedule: ScheduleRecord,
    slot: Date,
    jobId: string,
    control: OrchestrationControl,
    label = runDateLabel(slot, schedule.timezone),
  ): Promise<JobRecord | undefined> {
    const request = jobRequestSchema.parse({
      data_types: schedule.data_types,
      format: schedule.format,
      ...(schedule.filters ? { filters: schedule.filters } : {}),
      include_metadata: schedule.include_metadata,
      compression: schedule.compression,
    });
    const fileName = `${label}.${extensionFor(request.format, request.compression)}`;
    const owner = { email: schedule.owner_email, ...(schedule.owner_oid ? { oid: schedule.owner_oid } : {}) };
    let job: JobRecord;
    try {
      job = await this.jobs.create(owner, request, {
        id: jobId,
        trigger: 'schedule',
        schedule_id: schedule.schedule_id,
        target: {
          container: 'scheduled-exports',
          path: `${schedule.owner_email}/${schedule.schedule_id}/${fileName}`,
          file_name: fileName,
        },
        now: slot,
      });
    } catch (error) {
      if ((error as { status?: number }).status !== 409) throw error;
      // Recorded already: start it only if a crash came between recording and starting.
      if (await control.status(jobId)) return undefined;
      job = await this.jobs.get(owner, jobId);
      if (job.status !== 'pending') return undefined;
    }
    await this.jobs.start(job, control);
    return job;
  }

  /** The timer's work: every active schedule whose slot is due runs once, a missed slot once. */
  async runDue(now: Date, control: OrchestrationControl, log: LogTarget): Promise<number> {
    const due = await this.schedules.acrossOwners({
      where: "c.type = 'export_schedule' AND c.active = true AND c.next_run <= @now",
      parameters: [{ name: '@now', value: now.toISOString() }],
      max: 1000,
    });
    let started = 0;
    for (const schedule of due) {
      // One broken schedule must not hold back the others on this tick or the next.
      try {
        const slot = dueSlot(
          timingOf(schedule),
          schedule.last_run ? new Date(schedule.last_run) : undefined,
          new Date(schedule.created_at),
          now,
        );
        const job = slot
          ? await this.startRun(schedule, slot, slotKey(schedule.schedule_id, slot), control)
          : undefined;
        if (job) started += 1;
        await this.schedules.upsert({
          ...schedule,
          ...(slot
            ? {
                last_run: slot.toISOString(),
                last_status: 'pending',
                last_job_id: slotKey(schedule.schedule_id, slot),
              }
            : {}),
          next_run: nextRun(timingOf(schedule), now).toISOString(),
          updated_at: now.toISOString(),
        });
        logEvent(log, 'info', 'schedule_run', {
          schedule_id: schedule.schedule_id,
          owner: hashOwner(schedule.owner_email),
          slot: slot?.toISOString(),
          started: Boolean(job),
        });
      } catch (error) {
        logEvent(log, 'error', 'schedule_run_failed', {
          schedule_id: schedule.schedule_id,
          owner: hashOwner(schedule.owner_email),
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return started;
  }

  /** `POST .../run`: runs the schedule now, outside its slots. */
  async runNow(
    caller: Caller,
    scheduleId: string,
    now: Date,
    control: OrchestrationControl,
  ): Promise<JobRecord> {
    const schedule = await this.get(caller, scheduleId);
    const jobId = randomUUID();
    // Outside the slots: the job id keeps two runs in one minute from sharing a file.
    const label = `${runDateLabel(now, schedule.timezone)}-${jobId.slice(0, 8)}`;
    const job = await this.startRun(schedule, now, jobId, control, label);
    if (!job) throw conflict('The run could not be started.');
    await this.schedules.upsert({
      ...schedule,
      last_status: 'pending',
      last_job_id: job.job_id,
      updated_at: now.toISOString(),
    });
    return job;
  }

  /** Called when a scheduled job ends. */
  async recordRun(ownerEmail: string, scheduleId: string, status: 'completed' | 'failed'): Promise<void> {
    const schedule = await this.schedules.read(ownerEmail, scheduleId);
    if (schedule)
      await this.schedules.upsert({ ...schedule, last_status: status, updated_at: new Date().toISOString() });
  }
}
