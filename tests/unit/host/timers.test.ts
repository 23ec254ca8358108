import { nextOccurrence, resolveSchedule } from '../../../host/timers';

describe('timer schedules', () => {
  it('when the schedule is every 5 minutes, then the next slot is the next multiple of 5 minutes', () => {
    expect(nextOccurrence('0 */5 * * * *', new Date('2026-03-01T10:02:03Z')).toISOString()).toBe(
      '2026-03-01T10:05:00.000Z',
    );
  });

  it('when the schedule has seconds, then they are honoured', () => {
    expect(nextOccurrence('30 0 3 * * *', new Date('2026-03-01T10:00:00Z')).toISOString()).toBe(
      '2026-03-02T03:00:30.000Z',
    );
  });

  it('when a 5-field cron is given, then it is refused as not NCRONTAB', () => {
    expect(() => nextOccurrence('*/5 * * * *', new Date())).toThrow(/6-field NCRONTAB/);
  });

  it('when the schedule names a setting, then its value is used', () => {
    expect(resolveSchedule('%SCHEDULED_EXPORTS_CRON%', { SCHEDULED_EXPORTS_CRON: '0 0 * * * *' })).toBe(
      '0 0 * * * *',
    );
    expect(() => resolveSchedule('%MISSING%', {})).toThrow(/MISSING/);
  });
});
