import fs from 'node:fs';
import path from 'node:path';
import {
  firstSegmentFireAt,
  nextSegmentFireAt,
  timeSpanText,
  type TimerBounds,
} from '../../../host/durable/longTimers';
import { isOverridable, overridableStatesFrom } from '../../../host/durable/overridableStates';

const day = 86_400_000;
const azureStorage: TimerBounds = { maxTimerIntervalMs: 6 * day, longTimerIntervalMs: 3 * day };

/** Every fire time of a timer `days` away, segment after segment, as the runtime creates them. */
function segmentDays(bounds: TimerBounds, totalMs: number, unit = day): number[] {
  const start = new Date('2026-01-01T00:00:00.000Z');
  const final = new Date(start.getTime() + totalMs);
  const fired: number[] = [];
  let at: Date | undefined = firstSegmentFireAt(bounds, final, start);
  while (at) {
    fired.push((at.getTime() - start.getTime()) / unit);
    at = nextSegmentFireAt(bounds, final, at);
  }
  return fired;
}

describe('long timers, placed as the Durable extension places them', () => {
  it('when a timer is 30 days away on Azure Storage, then it fires every 3 days up to day 30', () => {
    expect(segmentDays(azureStorage, 30 * day)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
  });

  it('when the rest is shorter than a segment, then the last segment ends at the timer', () => {
    expect(segmentDays(azureStorage, 7.5 * day)).toEqual([3, 6, 7.5]);
  });

  it('when a timer is within the maximum, then it is one timer', () => {
    expect(segmentDays(azureStorage, 6 * day)).toEqual([6]);
  });

  it('when the bounds are seconds (tests), then the same rule applies', () => {
    const second = 1000;
    expect(
      segmentDays({ maxTimerIntervalMs: 2 * second, longTimerIntervalMs: second }, 4.5 * second, second),
    ).toEqual([1, 2, 3, 4, 4.5]);
  });

  it('when durations are sent to the library, then they are .NET TimeSpan text it parses', () => {
    expect(timeSpanText(6 * day)).toBe('6.00:00:00');
    expect(timeSpanText(3 * day)).toBe('3.00:00:00');
    expect(timeSpanText(1000)).toBe('00:00:01');
    expect(timeSpanText(day + 1500)).toBe('1.00:00:01.500');
  });
});

describe('overridableExistingInstanceStates', () => {
  it('when host.json leaves it at NonRunningStates, then only a finished instance may be replaced', () => {
    const appHostJson = fs.readFileSync(path.resolve(__dirname, '../../../host.json'), 'utf8');
    const states = overridableStatesFrom(appHostJson);
    expect(states).toBe('NonRunningStates');
    expect(['Completed', 'Failed', 'Terminated'].every((s) => isOverridable(states, s as never))).toBe(true);
    expect(['Pending', 'Running', 'ContinuedAsNew'].some((s) => isOverridable(states, s as never))).toBe(
      false,
    );
  });

  it('when it is AnyState (any case, as the extension parses enums), then a running instance may be replaced', () => {
    const states = overridableStatesFrom(
      '{"extensions":{"durableTask":{"overridableExistingInstanceStates":"anystate"}}}',
    );
    expect(isOverridable(states, 'Running')).toBe(true);
  });

  it('when it is absent, then NonRunningStates applies; when it is misspelt, then start-up says which values exist', () => {
    expect(overridableStatesFrom('{"version":"2.0"}')).toBe('NonRunningStates');
    expect(() =>
      overridableStatesFrom('{"extensions":{"durableTask":{"overridableExistingInstanceStates":"Running"}}}'),
    ).toThrow(/NonRunningStates, AnyState/);
  });
});
