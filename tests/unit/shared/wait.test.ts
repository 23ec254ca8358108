import { EventEmitter } from 'node:events';
import { openChangeFeed, waitFor } from '../../../shared/core/wait';

/**
 * `waitFor` answers a waiting request: from a change made in this process at once, else from its
 * backed-off poll. What a user or the task hub notices: an answer as soon as the work lands
 * here, and few status queries however long the work takes.
 */

/** A feed of numbers the test pushes, opened as ExportTrackingStore.watchHeader opens one on header writes. */
function numberFeed() {
  const events = new EventEmitter();
  const feed = openChangeFeed<number>((listener) => {
    events.on('change', listener);
    return () => events.off('change', listener);
  });
  return { ...feed, push: (value: number) => events.emit('change', value) };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const schedule = { limitMs: 10_000, firstPollMs: 100, maxPollMs: 1_000 };

test('a change made in this process answers at once, without a single poll', async () => {
  const feed = numberFeed();
  const poll = jest.fn(() => Promise.resolve<string | undefined>(undefined));
  const waiting = waitFor({
    ...schedule,
    poll,
    changes: { feed, settle: (n) => (n >= 2 ? `done ${n}` : undefined) },
  });
  await jest.advanceTimersByTimeAsync(50);
  feed.push(1); // not yet what the caller waits for
  await jest.advanceTimersByTimeAsync(20);
  feed.push(2);
  await expect(waiting).resolves.toBe('done 2');
  expect(poll).not.toHaveBeenCalled();
});

test('a change that landed before the wait began still answers it', async () => {
  const feed = numberFeed();
  feed.push(5);
  const poll = jest.fn(() => Promise.resolve<string | undefined>(undefined));
  await expect(waitFor({ ...schedule, poll, changes: { feed, settle: (n) => `seen ${n}` } })).resolves.toBe(
    'seen 5',
  );
  expect(poll).not.toHaveBeenCalled();
});

test('without changes here, the poll backs off from 100 ms to once a second and gives up at the limit', async () => {
  const pollTimes: number[] = [];
  const started = Date.now();
  const poll = () => {
    pollTimes.push(Date.now() - started);
    return Promise.resolve<string | undefined>(undefined);
  };
  const waiting = waitFor({
    ...schedule,
    limitMs: 5_000,
    poll,
    changes: { feed: numberFeed(), settle: String },
  });
  await jest.advanceTimersByTimeAsync(5_000);
  await expect(waiting).resolves.toBeUndefined();
  expect(pollTimes).toEqual([100, 300, 700, 1_500, 2_500, 3_500, 4_500, 5_000]);
});

test('work done elsewhere is found by the poll', async () => {
  let calls = 0;
  const poll = () => Promise.resolve(++calls === 3 ? 'finished elsewhere' : undefined);
  const waiting = waitFor({ ...schedule, poll });
  await jest.advanceTimersByTimeAsync(700);
  await expect(waiting).resolves.toBe('finished elsewhere');
  expect(calls).toBe(3);
});

test('a change during the back-off ends the pause early', async () => {
  const feed = numberFeed();
  const poll = jest.fn(() => Promise.resolve<string | undefined>(undefined));
  const waiting = waitFor({
    ...schedule,
    poll,
    changes: { feed, settle: (n) => (n === 9 ? 'nine' : undefined) },
  });
  await jest.advanceTimersByTimeAsync(1_200); // polls at 100, 300, 700; the next is due at 1,500
  feed.push(9);
  await expect(waiting).resolves.toBe('nine');
  expect(poll).toHaveBeenCalledTimes(3);
});
