import { randomUUID } from 'node:crypto';
import type { OrchestrationControl } from '../ports/orchestration';
import type { OwnedRecord, Page, RecordStore } from '../ports/records';
import { AppError, conflict, notFound, type ErrorCode } from '../core/errors';
import type { Caller } from '../core/identity';
import { logEvent, hashOwner, type LogTarget } from '../core/log';
import { jobRequestSchema, type JobRecord } from '../domain/jobs';
import {
  dueSlot,
  mergeScheduleChange,
  nextRun,
  runDateLabel,
  scheduleBodyFields,
  scheduleBodySchema,
  scheduleFields,
  scheduleTimingFields,
  scheduleTimingSchema,
  slotKey,
  type ScheduleBody,
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
  /** The latest slot claimed by the timer (ISO); its job id is `slotKey(schedule_id, last_run)`. */
  last_run: string | null;
  /** How the latest run (`last_job_id`, a slot's or a run-now's) stands. */
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
  return Object.fromEntries(scheduleBodyFields.map((field) => [field, schedule[field]]));
}

const hasCode = (error: unknown, code: ErrorCode) => error instanceof AppError && error.code === code;

/** How often a schedule write is made again after another writer got in between. */
const writeAttempts = 5;

/** What a conditional change of a schedule came to; `undefined` when the schedule is gone. */
type Changed = { record: ScheduleRecord; written: boolean } | undefined;

/** Whether the timer has work on the schedule at `now`: it is active and its next run is due. */
const isDue = (schedule: ScheduleRecord, now: Date) =>
  schedule.active && schedule.next_run !== null && Date.parse(schedule.next_run) <= now.getTime();

/**
 * Starting an instance that another tick started meanwhile is not a failure: the slot's run is
 * under way (the job must not be marked failed for it).
 */
function startingOnce(control: OrchestrationControl): OrchestrationControl {
  return {
    start: async (orchestration, instanceId, input) => {
      try {
        await control.start(orchestration, instanceId, input);
      } catch (error) {
        if (!(await control.status(instanceId))) throw error;
      }
    },
    raise: (instanceId, event, data) => control.raise(instanceId, event, data),
    status: (instanceId) => control.status(instanceId),
    terminateIfRunning: (instanceId, reason) => control.terminateIfRunning(instanceId, reason),
  };
}

/**
 * Export schedules. Every write of a schedule is conditional on the ETag of the read it was made
 * from, and made again from a fresh read when another writer got in between, so a tick, a PATCH,
 * a run-now and a run's end never undo one another. DELETE is unconditional and always wins: a
 * write that finds the schedule gone stops there.
 */
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
    const fields = scheduleFields(body);
    const record: ScheduleRecord = {
      last_run: null,
      last_status: null,
      last_job_id: null,
      ...base,
      type: 'export_schedule',
      ...fields,
      next_run: fields.active ? nextRun(body.timing, now).toISOString() : null,
      updated_at: now.toISOString(),
    };
    // The body's fields replace the old ones whole: a day field of the old frequency must not stay.
    if (fields.frequency !== 'weekly') delete record.day_of_week;
    if (fields.frequency !== 'monthly') delete record.day_of_month;
    return record;
  }

  /**
   * Makes `change` from a read of the schedule and writes it conditional on that read's ETag; when
   * another writer got in between, reads again and makes the change again (up to 5 times).
   * `change` returns undefined to leave the schedule as it is; `first` is a record just read.
   */
  private async changeSchedule(
    read: () => Promise<ScheduleRecord | undefined>,
    change: (current: ScheduleRecord) => ScheduleRecord | undefined,
    first?: ScheduleRecord,
  ): Promise<Changed> {
    for (let attempt = 1; ; attempt++) {
      const current = attempt === 1 && first ? first : await read();
      if (!current) return undefined;
      const next = change(current);
      if (!next) return { record: current, written: false };
      try {
        return { record: await this.schedules.replaceIfUnchanged(next), written: true };
      } catch (error) {
        if (hasCode(error, 'not_found')) return undefined;
        if (!hasCode(error, 'conflict')) throw error;
        if (attempt === writeAttempts)
          throw conflict(
            `Export schedule ${current.schedule_id} kept changing while it was written; try again.`,
          );
      }
    }
  }

  /** A change of one of the caller's schedules; 404 when it is not theirs or was deleted meanwhile. */
  private async changeOwned(
    caller: Caller,
    scheduleId: string,
    change: (current: ScheduleRecord) => ScheduleRecord | undefined,
  ): Promise<ScheduleRecord> {
    const changed = await this.changeSchedule(() => this.get(caller, scheduleId), change);
    if (!changed) throw notFound(`Export schedule ${scheduleId}`);
    return changed.record;
  }

  /** A change the system makes (timer, a run's end): the owner is known, no caller check. */
  private changeStored(
    ownerEmail: string,
    scheduleId: string,
    change: (current: ScheduleRecord) => ScheduleRecord | undefined,
    first?: ScheduleRecord,
  ): Promise<Changed> {
    const read = async () => {
      const record = await this.schedules.read(ownerEmail, scheduleId);
      return record?.type === 'export_schedule' ? record : undefined;
    };
    return this.changeSchedule(read, change, first);
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
    return this.changeOwned(caller, scheduleId, (current) => {
      const body = scheduleBodySchema.parse(mergeScheduleChange(bodyOf(current), changes));
      const updated = this.toRecord(current, body, now);
      const timingKept = [...scheduleTimingFields, 'active'].every(
        (field) => updated[field] === current[field],
      );
      // Same timing: keep the pending slot (a rename at 09:02 must not skip the 09:00 run).
      return timingKept ? { ...updated, next_run: current.next_run } : updated;
    });
  }

  /** Unconditional: a delete wins over any write in flight, which then finds the schedule gone. */
  async delete(caller: Caller, scheduleId: string): Promise<void> {
    await this.get(caller, scheduleId);
    await this.schedules.delete(caller.email, scheduleId);
  }

  /**
   * Records and starts the job for one run. The job id is the slot's key for timer runs, so a
   * slot's job is recorded once; a second start of it (another tick, a restart) only starts what
   * is not started yet: a job recorded but never started, or one whose start failed.
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
      if (!hasCode(error, 'conflict')) throw error;
      // Recorded already. Started (or ran) already: nothing to do.
      if (await control.status(jobId)) return undefined;
      job = await this.jobs.get(owner, jobId);
      // Its start failed (the job was marked failed, no instance exists): start it afresh.
      if (job.status === 'failed') job = await this.jobs.prepareResume(owner, jobId);
      else if (job.status !== 'pending') return undefined;
    }
    await this.jobs.start(job, startingOnce(control));
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
        const run = await this.runSlot(schedule, now, control);
        if (run.started) started += 1;
        logEvent(log, 'info', 'schedule_run', {
          schedule_id: schedule.schedule_id,
          owner: hashOwner(schedule.owner_email),
          slot: run.slot?.toISOString(),
          started: run.started,
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

  /**
   * One due schedule on one tick, in three steps, each over the schedule as it stands:
   * 1. claim the due slot (`last_run`), conditional on the schedule's ETag; a slot claimed before
   *    whose run was never confirmed (its start failed, the host stopped) is taken up again;
   * 2. start the slot's job (its id derived from the slot, so starting it twice starts it once);
   * 3. advance `next_run`, only while the claim still holds and the schedule is active.
   * A paused or deleted schedule stops the tick at whichever step finds it so; a start that
   * throws leaves `next_run` due, so the next tick restarts the slot.
   */
  private async runSlot(
    found: ScheduleRecord,
    now: Date,
    control: OrchestrationControl,
  ): Promise<{ slot?: Date; started: boolean }> {
    let slot: Date | undefined;
    const claim = await this.changeStored(
      found.owner_email,
      found.schedule_id,
      (current) => {
        slot = undefined;
        if (!isDue(current, now)) return undefined;
        const lastRun = current.last_run ? new Date(current.last_run) : undefined;
        const fresh = dueSlot(timingOf(current), lastRun, new Date(current.created_at), now);
        // No new slot although next_run is due: the claimed slot's run was not confirmed.
        slot = fresh ?? lastRun;
        if (!fresh) return undefined;
        return {
          ...current,
          last_run: fresh.toISOString(),
          last_status: 'pending',
          last_job_id: slotKey(current.schedule_id, fresh),
          updated_at: now.toISOString(),
        };
      },
      found,
    );
    if (!claim || !isDue(claim.record, now)) return { started: false };
    const claimed = slot;

    const job = claimed
      ? await this.startRun(claim.record, claimed, slotKey(claim.record.schedule_id, claimed), control)
      : undefined;

    await this.changeStored(claim.record.owner_email, claim.record.schedule_id, (current) => {
      const claimHolds = (current.last_run ?? undefined) === claimed?.toISOString();
      if (!isDue(current, now) || !claimHolds) return undefined;
      return {
        ...current,
        next_run: nextRun(timingOf(current), now).toISOString(),
        updated_at: now.toISOString(),
      };
    });
    return { slot: claimed, started: Boolean(job) };
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
    // The job runs whatever happens to the schedule now; a schedule deleted meanwhile stays so.
    await this.changeStored(caller.email, scheduleId, (current) => ({
      ...current,
      last_status: 'pending',
      last_job_id: job.job_id,
      updated_at: now.toISOString(),
    }));
    return job;
  }

  /**
   * Called when a scheduled job ends: records how it ended, if it is still the schedule's latest
   * run. A run that ends after a newer one started leaves the newer one shown (its own job
   * record says how it ended); a schedule deleted meanwhile stays deleted.
   */
  async recordRun(
    ownerEmail: string,
    scheduleId: string,
    jobId: string,
    status: 'completed' | 'failed',
  ): Promise<void> {
    await this.changeStored(ownerEmail, scheduleId, (current) =>
      current.last_job_id === jobId
        ? { ...current, last_status: status, updated_at: new Date().toISOString() }
        : undefined,
    );
  }
}
