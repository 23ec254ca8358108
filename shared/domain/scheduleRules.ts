import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { jobRequestSchema } from './jobs';

/**
 * When a scheduled export runs. Everything here is pure: the clock is always passed in, so the timer
 * function, the API (`next_run`) and the tests agree on the same slots.
 *
 * DST rules (the schedule's wall-clock time is what the user chose, so it is kept across offset changes):
 * - a time that does not exist on a spring-forward day (02:30 in Europe/Paris on 2026-03-29) runs shifted
 *   forward by the length of the gap (03:30 local). This is luxon's resolution and the iCalendar rule
 *   (RFC 5545: a time in a gap is read with the offset in force before it); the run still happens that day.
 * - a time that happens twice on a fall-back day (01:30 in America/New_York on 2026-11-01) runs once, at the
 *   first occurrence (the daylight-time one); there is only ever one slot per local date.
 */

/** Weekday names, indexed so that 0 = Sunday (the convention of cron and `Date#getDay`). */
export const weekdays = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
export type Weekday = (typeof weekdays)[number];

export const frequencies = ['daily', 'weekly', 'monthly'] as const;
export type Frequency = (typeof frequencies)[number];

const hhmm = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Numbers 0–6 (0 = Sunday) or names in any case are accepted; the name is what is kept. */
const dayOfWeek = z.union(
  [
    z
      .number()
      .int()
      .min(0)
      .max(6)
      .transform((n, ctx) => {
        const name = weekdays[n];
        if (name !== undefined) return name;
        ctx.addIssue({ code: 'custom', message: 'must be 0-6 (0 = Sunday) or a weekday name' });
        return z.NEVER;
      }),
    z.string().trim().toLowerCase().pipe(z.enum(weekdays)),
  ],
  { error: 'must be 0-6 (0 = Sunday) or a weekday name such as monday' },
);

const timingFields = z.object({
  frequency: z.enum(frequencies, { error: 'must be one of daily, weekly, monthly' }),
  time_of_day: z
    .string({ error: 'must be HH:MM' })
    .regex(hhmm, { error: 'must be HH:MM from 00:00 to 23:59' }),
  timezone: z
    .string({ error: 'must be an IANA time zone such as Europe/Paris' })
    .refine((zone) => IANAZone.isValidZone(zone), {
      error: 'must be an IANA time zone such as Europe/Paris',
    }),
  // null is read as "not given": JSON clients often send null for fields that do not apply.
  day_of_week: dayOfWeek.nullish(),
  day_of_month: z
    .number({ error: 'must be a whole number from 1 to 31' })
    .int({ error: 'must be a whole number from 1 to 31' })
    .min(1, { error: 'must be a whole number from 1 to 31' })
    .max(31, { error: 'must be a whole number from 1 to 31' })
    .nullish(),
});

interface TimingBase {
  /** `HH:MM`, 24-hour, local to `timezone`. */
  time_of_day: string;
  /** IANA zone name, as given (luxon accepts any case). */
  timezone: string;
}
export type ScheduleTiming =
  | (TimingBase & { frequency: 'daily' })
  | (TimingBase & { frequency: 'weekly'; day_of_week: Weekday })
  // day_of_month 29-31 runs on the last day of shorter months.
  | (TimingBase & { frequency: 'monthly'; day_of_month: number });

/**
 * Validates the timing part of a schedule (other keys are ignored and dropped) and normalises it into
 * `ScheduleTiming`: `day_of_week` becomes a lowercase name, and the field that does not apply is absent.
 * Issue paths name the field (`day_of_week`, `day_of_month`, ...).
 */
export const scheduleTimingSchema = timingFields.transform((t, ctx): ScheduleTiming => {
  const base = { time_of_day: t.time_of_day, timezone: t.timezone };
  const dow = t.day_of_week ?? undefined;
  const dom = t.day_of_month ?? undefined;
  const forbid = (field: 'day_of_week' | 'day_of_month', applies: Frequency) =>
    ctx.addIssue({ code: 'custom', path: [field], message: `only applies to ${applies} schedules` });
  const requireField = (field: 'day_of_week' | 'day_of_month') =>
    ctx.addIssue({ code: 'custom', path: [field], message: `is required for ${t.frequency} schedules` });

  if (t.frequency !== 'weekly' && dow !== undefined) forbid('day_of_week', 'weekly');
  if (t.frequency !== 'monthly' && dom !== undefined) forbid('day_of_month', 'monthly');
  switch (t.frequency) {
    case 'daily':
      return { frequency: 'daily', ...base };
    case 'weekly':
      if (dow === undefined) {
        requireField('day_of_week');
        return z.NEVER;
      }
      return { frequency: 'weekly', ...base, day_of_week: dow };
    case 'monthly':
      if (dom === undefined) {
        requireField('day_of_month');
        return z.NEVER;
      }
      return { frequency: 'monthly', ...base, day_of_month: dom };
  }
});

// The longest gap between two slots is 31 days (monthly); twice that leaves a margin for any DST shift.
const SEARCH_DAYS = 62;

function localMidnight(instant: Date, timezone: string): DateTime {
  if (Number.isNaN(instant.getTime())) throw new RangeError('schedule: the instant is not a valid date');
  const local = DateTime.fromJSDate(instant, { zone: timezone });
  if (!local.isValid) throw new RangeError(`schedule: unknown time zone "${timezone}"`);
  return local.startOf('day');
}

function runsOn(timing: ScheduleTiming, day: DateTime): boolean {
  switch (timing.frequency) {
    case 'daily':
      return true;
    case 'weekly':
      // luxon numbers weekdays 1 (Monday) to 7 (Sunday); `% 7` maps Sunday to our 0.
      return weekdays[day.weekday % 7] === timing.day_of_week;
    case 'monthly': {
      const last = day.daysInMonth;
      return last !== undefined && day.day === Math.min(timing.day_of_month, last);
    }
  }
}

/** The slot on one local date, or undefined if the schedule does not run that day. */
function slotOn(timing: ScheduleTiming, day: DateTime): DateTime | undefined {
  if (!runsOn(timing, day)) return undefined;
  const match = hhmm.exec(timing.time_of_day);
  if (!match) throw new RangeError(`schedule: time_of_day "${timing.time_of_day}" is not HH:MM`);
  const wall = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Number(match[1]), minute: Number(match[2]) },
    { zone: timing.timezone },
  );
  // A fall-back time has two offsets and luxon may pick either; the first occurrence is the slot.
  // A spring-forward time has one candidate, already shifted past the gap by luxon.
  return wall
    .getPossibleOffsets()
    .reduce((first, dt) => (dt.toMillis() < first.toMillis() ? dt : first), wall);
}

/** The first slot strictly after `after`, as a UTC instant. */
export function nextRun(timing: ScheduleTiming, after: Date): Date {
  // Starting a day early covers a slot pushed past midnight by a gap; slots are increasing by date.
  const start = localMidnight(after, timing.timezone);
  for (let i = -1; i <= SEARCH_DAYS; i++) {
    const slot = slotOn(timing, start.plus({ days: i }));
    if (slot && slot.toMillis() > after.getTime()) return slot.toJSDate();
  }
  throw new RangeError('schedule: no slot found within the search window');
}

/** The latest slot at or before `atOrBefore`. */
function previousRun(timing: ScheduleTiming, atOrBefore: Date): Date {
  const start = localMidnight(atOrBefore, timing.timezone);
  for (let i = 1; i >= -SEARCH_DAYS; i--) {
    const slot = slotOn(timing, start.plus({ days: i }));
    if (slot && slot.toMillis() <= atOrBefore.getTime()) return slot.toJSDate();
  }
  throw new RangeError('schedule: no slot found within the search window');
}

/**
 * The slot the timer should run at `now`: the latest slot at or before `now` that is after the last slot
 * run (or after `createdAt` if it never ran); undefined when nothing is due. Several missed slots yield
 * only the latest, so a host that was down runs a schedule once, not once per missed slot; a second tick
 * for the same slot (after `lastSlot` is set to it) yields undefined.
 */
export function dueSlot(
  timing: ScheduleTiming,
  lastSlot: Date | undefined,
  createdAt: Date,
  now: Date,
): Date | undefined {
  const latest = previousRun(timing, now);
  const floor = lastSlot ?? createdAt;
  return latest.getTime() > floor.getTime() ? latest : undefined;
}

// Durable instance ids must not contain / \ # ? or control characters, and must stay short.
const safeId = /^[A-Za-z0-9_-]{1,64}$/;

/** `20260329T013000Z`: the slot in UTC, without separators that are awkward in ids and blob names. */
const compactUtc = (slot: Date): string =>
  slot
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/**
 * A deterministic Durable instance id for one slot of one schedule, so two ticks that see the same slot
 * start the same instance (and the second start is refused) rather than two exports.
 */
export function slotKey(scheduleId: string, slot: Date): string {
  if (!safeId.test(scheduleId))
    throw new RangeError('schedule: the schedule id is not a safe instance id part');
  if (Number.isNaN(slot.getTime())) throw new RangeError('schedule: the slot is not a valid date');
  return `schedule-${scheduleId}-${compactUtc(slot)}`;
}

/**
 * The run date in the blob name `scheduled-exports/{owner}/{schedule}/{run date}.{ext}`: the slot's local
 * date and time in the schedule's zone, e.g. `2026-03-29T0330`. It is unique per slot because a schedule
 * has at most one slot per local date, and it has no colons so it is safe in blob names.
 */
export function runDateLabel(slot: Date, timezone: string): string {
  if (Number.isNaN(slot.getTime())) throw new RangeError('schedule: the slot is not a valid date');
  const local = DateTime.fromJSDate(slot, { zone: timezone });
  if (!local.isValid) throw new RangeError(`schedule: unknown time zone "${timezone}"`);
  return local.toFormat("yyyy-LL-dd'T'HHmm");
}

/** What a schedule exports: the same fields as a job request, bar the date range. */
export const scheduleExportSchema = z.object({
  name: z.string().trim().min(1).max(100),
  data_types: jobRequestSchema.shape.data_types,
  format: jobRequestSchema.shape.format,
  filters: jobRequestSchema.shape.filters,
  include_metadata: z.boolean().default(false),
  compression: jobRequestSchema.shape.compression,
  active: z.boolean().default(true),
});

export const scheduleTimingFields = [
  'frequency',
  'time_of_day',
  'timezone',
  'day_of_week',
  'day_of_month',
] as const;

/** Every field of a schedule body, as a client sends it and a schedule record stores it. */
export const scheduleBodyFields: readonly string[] = [
  ...Object.keys(scheduleExportSchema.shape),
  ...scheduleTimingFields,
];

/** The day field each frequency uses; the other one does not apply to it. */
const dayFieldOf: Partial<Record<string, 'day_of_week' | 'day_of_month'>> = {
  weekly: 'day_of_week',
  monthly: 'day_of_month',
};

/** A schedule body: its export fields and its timing, each validated by its own schema. */
export const scheduleBodySchema = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .transform((body, ctx) => {
    const known = new Set(scheduleBodyFields);
    const unknown = Object.keys(body).filter((key) => !known.has(key));
    for (const key of unknown)
      ctx.addIssue({ code: 'custom', path: [key], message: 'is not a schedule field' });
    const exportPart = scheduleExportSchema.safeParse(body);
    const timing = scheduleTimingSchema.safeParse(body);
    for (const issue of [...(exportPart.error?.issues ?? []), ...(timing.error?.issues ?? [])]) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
    if (unknown.length > 0 || !exportPart.success || !timing.success) return z.NEVER;
    return { ...exportPart.data, timing: timing.data };
  });
export type ScheduleBody = z.infer<typeof scheduleBodySchema>;

/**
 * A change (PATCH) merged onto a schedule's current body fields, to be validated as a whole by
 * `scheduleBodySchema`. The current day field is kept only if it applies to the frequency the
 * schedule will have: weekly → daily drops `day_of_week`, weekly → monthly then asks for
 * `day_of_month`. A day field the change itself sends is always kept, so sending one that does
 * not apply is still an error. Fields set to `undefined` count as absent.
 */
export function mergeScheduleChange(
  current: Readonly<Record<string, unknown>>,
  change: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const frequency = 'frequency' in change ? change.frequency : current.frequency;
  const applies = typeof frequency === 'string' ? dayFieldOf[frequency] : undefined;
  const kept = Object.entries(current).filter(
    ([field]) => !(field === 'day_of_week' || field === 'day_of_month') || field === applies,
  );
  return Object.fromEntries([...kept, ...Object.entries(change)].filter(([, value]) => value !== undefined));
}

/** The fields a schedule stores for a validated body: flat, with only the day field that applies. */
export function scheduleFields(body: ScheduleBody) {
  const { timing, ...exportFields } = body;
  return { ...exportFields, ...timing };
}
