import { ManualClock, SystemClock } from '../../../host/durable';

const dayMs = 24 * 60 * 60 * 1000;

describe('SystemClock', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-01-01T00:00:00.000Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('when a callback is 30 days away (past the ~24.8-day setTimeout limit), then it runs once, on time', () => {
    const clock = new SystemClock();
    const callback = jest.fn();
    clock.schedule(new Date(Date.now() + 30 * dayMs), callback);

    jest.advanceTimersByTime(30 * dayMs - 1);
    expect(callback).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(60 * dayMs);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('when a callback is already due, then it runs on a later turn, never inside schedule', () => {
    const clock = new SystemClock();
    const callback = jest.fn();
    clock.schedule(new Date(Date.now() - 1000), callback);
    expect(callback).not.toHaveBeenCalled();
    jest.advanceTimersByTime(0);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('when a long wait is cancelled between hops, then the callback never runs', () => {
    const clock = new SystemClock();
    const callback = jest.fn();
    const cancel = clock.schedule(new Date(Date.now() + 40 * dayMs), callback);
    jest.advanceTimersByTime(26 * dayMs);
    cancel();
    jest.advanceTimersByTime(30 * dayMs);
    expect(callback).not.toHaveBeenCalled();
  });
});

describe('ManualClock', () => {
  it('when advanced past several callbacks, then they run earliest first with the time set to each', () => {
    const clock = new ManualClock(new Date('2025-01-01T00:00:00.000Z'));
    const seen: string[] = [];
    clock.schedule(new Date('2025-01-03T00:00:00.000Z'), () => seen.push(`b@${clock.now().toISOString()}`));
    clock.schedule(new Date('2025-01-02T00:00:00.000Z'), () => seen.push(`a@${clock.now().toISOString()}`));
    const cancel = clock.schedule(new Date('2025-01-02T12:00:00.000Z'), () => seen.push('cancelled'));
    cancel();

    clock.advanceBy(5 * dayMs);

    expect(seen).toEqual(['a@2025-01-02T00:00:00.000Z', 'b@2025-01-03T00:00:00.000Z']);
    expect(clock.now().toISOString()).toBe('2025-01-06T00:00:00.000Z');
    expect(clock.advanceToNext()).toBe(false);
  });
});
