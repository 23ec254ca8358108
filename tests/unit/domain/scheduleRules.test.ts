import fc from 'fast-check';
import {
  dueSlot,
  mergeScheduleChange,
  nextRun,
  runDateLabel,
  scheduleBodySchema,
  scheduleFields,
  scheduleTimingSchema,
  slotKey,
  type ScheduleTiming,
} from '../../../shared/domain/scheduleRules';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString();

const timing = (input: Record<string, unknown>): ScheduleTiming => scheduleTimingSchema.parse(input);
const daily = (time_of_day: string, timezone: string) =>
  timing({ frequency: 'daily', time_of_day, timezone });
const monthly = (day_of_month: number, time_of_day = '10:00', timezone = 'UTC') =>
  timing({ frequency: 'monthly', day_of_month, time_of_day, timezone });

/** The runs after `from`, one after another, as ISO strings. */
function runs(t: ScheduleTiming, from: string, count: number): string[] {
  const out: string[] = [];
  let after = at(from);
  for (let i = 0; i < count; i++) {
    after = nextRun(t, after);
    out.push(after.toISOString());
  }
  return out;
}

const issues = (input: Record<string, unknown>) => {
  const parsed = scheduleTimingSchema.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('nextRun across DST in Europe/Paris (2026-03-29 and 2026-10-25)', () => {
  it('when 02:30 does not exist on the spring-forward day, then it runs once that day at 03:30 local', () => {
    // 02:30 CET = 01:30Z; on the 29th 02:30 is in the gap and becomes 03:30 CEST = 01:30Z; then 02:30 CEST.
    expect(runs(daily('02:30', 'Europe/Paris'), '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('when 02:30 happens twice on the fall-back day, then it runs once, at the first (CEST) occurrence', () => {
    expect(runs(daily('02:30', 'Europe/Paris'), '2026-10-24T00:00:00Z', 3)).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; the second 02:30 (CET, 01:30Z) is skipped
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('when the time is 09:00, then it stays 09:00 local while the UTC offset changes', () => {
    const t = daily('09:00', 'Europe/Paris');
    expect(runs(t, '2026-03-28T00:00:00Z', 2)).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
    ]);
    expect(runs(t, '2026-10-24T00:00:00Z', 2)).toEqual([
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
    ]);
  });
});

describe('nextRun across DST in America/New_York (2026-03-08 and 2026-11-01)', () => {
  it('when 02:30 does not exist on the spring-forward day, then it runs once that day at 03:30 local', () => {
    expect(runs(daily('02:30', 'America/New_York'), '2026-03-07T00:00:00Z', 3)).toEqual([
      '2026-03-07T07:30:00.000Z', // 02:30 EST
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
    ]);
  });

  it('when 01:30 happens twice on the fall-back day, then it runs once, at the first (EDT) occurrence', () => {
    expect(runs(daily('01:30', 'America/New_York'), '2026-10-31T00:00:00Z', 3)).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 EDT; the second 01:30 (EST, 06:30Z) is skipped
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('when the time is 09:00, then it stays 09:00 local while the UTC offset changes', () => {
    const t = daily('09:00', 'America/New_York');
    expect(runs(t, '2026-03-07T00:00:00Z', 2)).toEqual([
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
    ]);
    expect(runs(t, '2026-10-31T00:00:00Z', 2)).toEqual([
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z',
    ]);
  });
});

describe('nextRun', () => {
  it('when `after` is exactly a slot, then the next slot is returned (strictly after)', () => {
    expect(iso(nextRun(daily('09:00', 'UTC'), at('2026-06-01T09:00:00Z')))).toBe('2026-06-02T09:00:00.000Z');
  });

  it('when weekly on Monday, then it runs on Mondays only, a week apart', () => {
    // 2026-01-01 is a Thursday.
    const t = timing({ frequency: 'weekly', day_of_week: 'Monday', time_of_day: '08:00', timezone: 'UTC' });
    expect(runs(t, '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-01-12T08:00:00.000Z',
    ]);
  });

  it('when weekly on 0, then it runs on Sundays in the local calendar, not the UTC one', () => {
    // Sunday 00:30 in Tokyo is Saturday 15:30Z.
    const t = timing({ frequency: 'weekly', day_of_week: 0, time_of_day: '00:30', timezone: 'Asia/Tokyo' });
    expect(iso(nextRun(t, at('2026-01-01T00:00:00Z')))).toBe('2026-01-03T15:30:00.000Z');
  });

  it('when monthly on the 31st in February, then it runs on the last day (28th in 2026, 29th in 2028)', () => {
    expect(iso(nextRun(monthly(31), at('2026-01-31T10:00:00Z')))).toBe('2026-02-28T10:00:00.000Z');
    expect(iso(nextRun(monthly(31), at('2028-01-31T10:00:00Z')))).toBe('2028-02-29T10:00:00.000Z');
  });

  it('when monthly on the 30th in April, then it runs on the 30th', () => {
    expect(iso(nextRun(monthly(30), at('2026-03-30T10:00:00Z')))).toBe('2026-04-30T10:00:00.000Z');
  });

  it('when monthly on the 31st, then 31-day months run on the 31st and shorter ones on their last day', () => {
    expect(runs(monthly(31), '2026-01-01T00:00:00Z', 6)).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
      '2026-04-30T10:00:00.000Z',
      '2026-05-31T10:00:00.000Z',
      '2026-06-30T10:00:00.000Z',
    ]);
  });

  it('when monthly on the 1st just after midnight in Tokyo, then the month is the local one', () => {
    expect(iso(nextRun(monthly(1, '00:30', 'Asia/Tokyo'), at('2026-01-15T00:00:00Z')))).toBe(
      '2026-01-31T15:30:00.000Z',
    );
  });

  it('when any instant is given, then the next run is after it and no slot lies in between', () => {
    const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    const timings = fc.oneof(
      fc.record({ frequency: fc.constant('daily') }),
      fc.record({ frequency: fc.constant('weekly'), day_of_week: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ frequency: fc.constant('monthly'), day_of_month: fc.integer({ min: 1, max: 31 }) }),
    );
    fc.assert(
      fc.property(
        timings,
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.date({ min: at('2025-01-01T00:00:00Z'), max: at('2030-12-31T00:00:00Z'), noInvalidDate: true }),
        (fields, timezone, h, m, after) => {
          const time_of_day = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
          const t = timing({ ...fields, time_of_day, timezone });
          const next = nextRun(t, after);
          expect(next.getTime()).toBeGreaterThan(after.getTime());
          expect(dueSlot(t, undefined, after, new Date(next.getTime() - 1))).toBeUndefined();
          expect(iso(dueSlot(t, undefined, after, next))).toBe(iso(next));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('dueSlot', () => {
  const t = daily('09:00', 'Europe/Paris'); // 07:00Z in June
  const createdAt = at('2026-06-01T00:00:00Z');

  it('when the timer fires twice for one slot, then the second tick finds nothing due', () => {
    const first = dueSlot(t, at('2026-06-09T07:00:00Z'), createdAt, at('2026-06-10T07:02:00Z'));
    expect(iso(first)).toBe('2026-06-10T07:00:00.000Z');
    expect(dueSlot(t, first, createdAt, at('2026-06-10T07:07:00Z'))).toBeUndefined();
  });

  it('when the host was down for 3 days, then only the latest missed slot runs, once', () => {
    const slot = dueSlot(t, at('2026-06-07T07:00:00Z'), createdAt, at('2026-06-10T08:00:00Z'));
    expect(iso(slot)).toBe('2026-06-10T07:00:00.000Z');
    expect(dueSlot(t, slot, createdAt, at('2026-06-10T08:05:00Z'))).toBeUndefined();
  });

  it('when the slot time has not come yet, then nothing is due', () => {
    expect(dueSlot(t, at('2026-06-09T07:00:00Z'), createdAt, at('2026-06-10T06:59:59Z'))).toBeUndefined();
  });

  it('when it never ran, then only slots after creation are due, including one exactly at `now`', () => {
    const created = at('2026-06-10T07:30:00Z');
    expect(dueSlot(t, undefined, created, at('2026-06-10T08:00:00Z'))).toBeUndefined();
    expect(iso(dueSlot(t, undefined, created, at('2026-06-11T07:00:00Z')))).toBe('2026-06-11T07:00:00.000Z');
  });

  it('when the second 01:30 of a fall-back night passes, then it is not a new slot', () => {
    const ny = daily('01:30', 'America/New_York');
    const slot = dueSlot(ny, at('2026-10-31T05:30:00Z'), createdAt, at('2026-11-01T05:35:00Z'));
    expect(iso(slot)).toBe('2026-11-01T05:30:00.000Z');
    expect(dueSlot(ny, slot, createdAt, at('2026-11-01T06:35:00Z'))).toBeUndefined();
  });
});

describe('scheduleTimingSchema', () => {
  const base = { time_of_day: '09:00', timezone: 'Europe/Paris' };

  it('when the timezone is not an IANA zone, then the error names timezone', () => {
    expect(issues({ ...base, frequency: 'daily', timezone: 'Mars/Olympus' })).toEqual([
      { path: 'timezone', message: 'must be an IANA time zone such as Europe/Paris' },
    ]);
  });

  it('when the time is 25:00 or not HH:MM, then the error names time_of_day', () => {
    for (const time_of_day of ['25:00', '9:00', '12:60', '12:00:00'])
      expect(issues({ ...base, frequency: 'daily', time_of_day })).toEqual([
        { path: 'time_of_day', message: 'must be HH:MM from 00:00 to 23:59' },
      ]);
  });

  it('when weekly has no day_of_week, then the error names day_of_week', () => {
    expect(issues({ ...base, frequency: 'weekly' })).toEqual([
      { path: 'day_of_week', message: 'is required for weekly schedules' },
    ]);
  });

  it('when day_of_week is 7 or not a weekday, then the error names day_of_week', () => {
    for (const day_of_week of [7, -1, 'funday', 1.5])
      expect(issues({ ...base, frequency: 'weekly', day_of_week }).map((i) => i.path)).toEqual([
        'day_of_week',
      ]);
  });

  it('when monthly has day 32, 0 or none, then the error names day_of_month', () => {
    expect(issues({ ...base, frequency: 'monthly', day_of_month: 32 })).toEqual([
      { path: 'day_of_month', message: 'must be a whole number from 1 to 31' },
    ]);
    expect(issues({ ...base, frequency: 'monthly', day_of_month: 0 }).map((i) => i.path)).toEqual([
      'day_of_month',
    ]);
    expect(issues({ ...base, frequency: 'monthly' })).toEqual([
      { path: 'day_of_month', message: 'is required for monthly schedules' },
    ]);
  });

  it('when a daily schedule has day_of_month or day_of_week, then the errors name them', () => {
    expect(issues({ ...base, frequency: 'daily', day_of_month: 5, day_of_week: 'monday' })).toEqual([
      { path: 'day_of_week', message: 'only applies to weekly schedules' },
      { path: 'day_of_month', message: 'only applies to monthly schedules' },
    ]);
  });

  it('when the frequency is unknown, then the error names frequency', () => {
    expect(issues({ ...base, frequency: 'hourly' })).toEqual([
      { path: 'frequency', message: 'must be one of daily, weekly, monthly' },
    ]);
  });

  it('when day_of_week is a number or a name in any case, then it is kept as a lowercase name', () => {
    expect(timing({ ...base, frequency: 'weekly', day_of_week: 0 })).toEqual({
      ...base,
      frequency: 'weekly',
      day_of_week: 'sunday',
    });
    expect(timing({ ...base, frequency: 'weekly', day_of_week: 3 })).toMatchObject({
      day_of_week: 'wednesday',
    });
    expect(timing({ ...base, frequency: 'weekly', day_of_week: ' FRIDAY ' })).toMatchObject({
      day_of_week: 'friday',
    });
  });

  it('when fields that do not apply are null and other keys are present, then they are dropped', () => {
    expect(
      timing({
        ...base,
        frequency: 'daily',
        day_of_week: null,
        day_of_month: null,
        name: 'Nightly',
        active: true,
      }),
    ).toEqual({ ...base, frequency: 'daily' });
  });
});

describe('mergeScheduleChange (PATCH)', () => {
  const weekly = {
    name: 'Weekly invoices',
    data_types: ['documents'],
    format: 'csv',
    include_metadata: false,
    compression: false,
    active: true,
    frequency: 'weekly',
    time_of_day: '07:30',
    timezone: 'Europe/Paris',
    day_of_week: 'monday',
  };
  /** What the merged change validates to, or the paths of its issues. */
  const patch = (current: Record<string, unknown>, change: Record<string, unknown>) => {
    const parsed = scheduleBodySchema.safeParse(mergeScheduleChange(current, change));
    return parsed.success
      ? { fields: scheduleFields(parsed.data) }
      : { issues: parsed.error.issues.map((i) => i.path.join('.')) };
  };

  it('when a weekly schedule becomes daily, then day_of_week is dropped and the result is valid', () => {
    const result = patch(weekly, { frequency: 'daily' });
    expect(result.fields).toMatchObject({
      frequency: 'daily',
      time_of_day: '07:30',
      name: 'Weekly invoices',
    });
    expect(result.fields).not.toHaveProperty('day_of_week');
    expect(result.fields).not.toHaveProperty('day_of_month');
  });

  it('when a weekly schedule becomes monthly without a day of month, then the error names day_of_month', () => {
    expect(patch(weekly, { frequency: 'monthly' })).toEqual({ issues: ['day_of_month'] });
    expect(patch(weekly, { frequency: 'monthly', day_of_month: 31 }).fields).toMatchObject({
      frequency: 'monthly',
      day_of_month: 31,
    });
    expect(patch(weekly, { frequency: 'monthly', day_of_month: 31 }).fields).not.toHaveProperty(
      'day_of_week',
    );
  });

  it('when the change sends a day field that does not apply, then it is still an error', () => {
    expect(patch(weekly, { frequency: 'daily', day_of_week: 'friday' })).toEqual({ issues: ['day_of_week'] });
    const daily = patch(weekly, { frequency: 'daily' }).fields ?? {};
    expect(patch(daily, { day_of_month: 3 })).toEqual({ issues: ['day_of_month'] });
  });

  it('when the frequency is kept, then the day field stays and the change applies on top', () => {
    expect(patch(weekly, { time_of_day: '08:00' }).fields).toMatchObject({
      frequency: 'weekly',
      day_of_week: 'monday',
      time_of_day: '08:00',
    });
    expect(patch(weekly, { day_of_week: 5 }).fields).toMatchObject({ day_of_week: 'friday' });
  });

  it('when a stored daily schedule still carries an old day_of_week, then a rename heals it instead of failing', () => {
    const stale = { ...weekly, frequency: 'daily' };
    const result = patch(stale, { name: 'Daily invoices' });
    expect(result.fields).toMatchObject({ name: 'Daily invoices', frequency: 'daily' });
    expect(result.fields).not.toHaveProperty('day_of_week');
  });

  it('when the change names an unknown field or an invalid value, then the errors name them', () => {
    expect(patch(weekly, { next_run: '2026-01-01T00:00:00Z', time_of_day: '7am' }).issues).toEqual(
      expect.arrayContaining(['next_run', 'time_of_day']),
    );
  });
});

describe('slotKey', () => {
  const id = '3f2b8c1e-9a4d-4e5f-8b6a-1c2d3e4f5a6b';

  it('when given the same schedule and instant, then the key is the same and a valid instance id', () => {
    const key = slotKey(id, at('2026-03-29T01:30:00Z'));
    expect(key).toBe(`schedule-${id}-20260329T013000Z`);
    expect(slotKey(id, new Date(Date.UTC(2026, 2, 29, 1, 30)))).toBe(key);
    // Only letters, digits, '-' and '_': none of / \ # ? or control characters that instance ids forbid.
    expect(key).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(key.length).toBeLessThanOrEqual(100);
  });

  it('when the slots differ, then the keys differ', () => {
    expect(slotKey(id, at('2026-11-01T05:30:00Z'))).not.toBe(slotKey(id, at('2026-11-01T06:30:00Z')));
  });

  it('when the schedule id holds characters unsafe in an instance id, then it throws', () => {
    expect(() => slotKey('a/b', at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => slotKey(id, new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('runDateLabel', () => {
  it("when given a slot, then it is the slot's local date and time in the schedule's zone, without colons", () => {
    expect(runDateLabel(at('2026-03-29T01:30:00Z'), 'Europe/Paris')).toBe('2026-03-29T0330');
    expect(runDateLabel(at('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01T0130');
    expect(runDateLabel(at('2026-01-31T15:30:00Z'), 'Asia/Tokyo')).toBe('2026-02-01T0030');
  });

  it('when the zone is unknown, then it throws rather than naming a blob "Invalid DateTime"', () => {
    expect(() => runDateLabel(at('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
  });
});
