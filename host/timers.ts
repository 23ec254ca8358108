import { CronExpressionParser } from 'cron-parser';
import type { RegisteredFunction } from './functionsCore';

/** Resolves `%SETTING%` references in a schedule, as the host does with app settings. */
export function resolveSchedule(schedule: string, settings: Record<string, string | undefined>): string {
  return schedule.replace(/%([A-Za-z0-9_]+)%/g, (_, name: string) => {
    const value = settings[name];
    if (!value) throw new Error(`Timer schedule refers to the setting ${name}, which is not set.`);
    return value;
  });
}

/** The next occurrence of a 6-field NCRONTAB expression (seconds first), in UTC as the host does. */
export function nextOccurrence(ncrontab: string, after: Date): Date {
  if (ncrontab.trim().split(/\s+/).length !== 6) {
    throw new Error(
      `"${ncrontab}" is not a 6-field NCRONTAB expression (second minute hour day month weekday).`,
    );
  }
  return CronExpressionParser.parse(ncrontab, { currentDate: after, tz: 'UTC' }).next().toDate();
}

/** The payload a timer trigger receives (`Timer` in @azure/functions). */
export function timerPayload(last: Date | undefined, next: Date, isPastDue: boolean): string {
  return JSON.stringify({
    Schedule: { AdjustForDST: true },
    ScheduleStatus: {
      Last: (last ?? new Date(0)).toISOString(),
      Next: next.toISOString(),
      LastUpdated: new Date().toISOString(),
    },
    IsPastDue: isPastDue,
  });
}

/** Fires each timer-triggered function on its schedule until stopped. */
export class TimerScheduler {
  private readonly handles = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly fire: (fn: RegisteredFunction, payload: string) => Promise<void>,
    private readonly settings: Record<string, string | undefined>,
  ) {}

  start(functions: Iterable<RegisteredFunction>): void {
    for (const fn of functions) {
      if (fn.trigger.type.toLowerCase() !== 'timertrigger' || typeof fn.trigger.schedule !== 'string')
        continue;
      const schedule = resolveSchedule(fn.trigger.schedule, this.settings);
      this.scheduleNext(fn, schedule, undefined);
    }
  }

  private scheduleNext(fn: RegisteredFunction, schedule: string, last: Date | undefined): void {
    if (this.stopped) return;
    const next = nextOccurrence(schedule, new Date());
    // setTimeout caps at ~24.8 days; re-arm in steps for rarer schedules.
    const delay = Math.min(next.getTime() - Date.now(), 2 ** 31 - 1);
    const handle = setTimeout(
      () => {
        this.handles.delete(handle);
        if (Date.now() < next.getTime()) return this.scheduleNext(fn, schedule, last);
        void this.fire(fn, timerPayload(last, nextOccurrence(schedule, next), false)).finally(() =>
          this.scheduleNext(fn, schedule, next),
        );
      },
      Math.max(0, delay),
    );
    handle.unref();
    this.handles.add(handle);
  }

  stop(): void {
    this.stopped = true;
    for (const handle of this.handles) clearTimeout(handle);
    this.handles.clear();
  }
}
