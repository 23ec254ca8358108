/**
 * Changes made in this process to something a caller waits on, kept from the moment the feed was
 * opened, so a change that lands before the caller starts waiting is not missed.
 */
export interface ChangeFeed<C> {
  /** The latest change not yet taken, if any. */
  take(): C | undefined;
  /** Calls `listener` once, on the next change; replaces the listener set before. */
  onNext(listener: () => void): void;
  close(): void;
}

/** A feed over `subscribe` (which returns its unsubscribe), open from this call on. */
export function openChangeFeed<C>(subscribe: (listener: (change: C) => void) => () => void): ChangeFeed<C> {
  let latest: C | undefined;
  let waiting: (() => void) | undefined;
  const unsubscribe = subscribe((change) => {
    latest = change;
    const notify = waiting;
    waiting = undefined;
    notify?.();
  });
  return {
    take: () => {
      const taken = latest;
      latest = undefined;
      return taken;
    },
    onNext: (listener) => {
      waiting = listener;
    },
    close: unsubscribe,
  };
}

export interface WaitOptions<T, C> {
  limitMs: number;
  /** The authoritative check, which costs a request: first after `firstPollMs`, then doubling up to `maxPollMs`. */
  poll: () => Promise<T | undefined>;
  firstPollMs: number;
  maxPollMs: number;
  /** Changes seen in this process, each offered to `settle` as it lands, between polls. */
  changes?: { feed: ChangeFeed<C>; settle: (change: C) => T | undefined };
}

/**
 * Waits up to `limitMs` for a value (then `undefined`). A change seen in this process answers at
 * once and costs nothing; the poll is the fallback for work done elsewhere (another instance or
 * worker), so it can back off far without slowing the common case.
 */
export async function waitFor<T, C = never>(options: WaitOptions<T, C>): Promise<T | undefined> {
  const deadline = Date.now() + options.limitMs;
  let delay = options.firstPollMs;
  for (;;) {
    const change = options.changes?.feed.take();
    if (change !== undefined) {
      const value = options.changes?.settle(change);
      if (value !== undefined) return value;
      continue;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) return undefined;
    if (await pause(Math.min(delay, remaining), options.changes?.feed)) continue;
    const value = await options.poll();
    if (value !== undefined) return value;
    delay = Math.min(delay * 2, options.maxPollMs);
  }
}

/** Sleeps `ms`, or less when the feed changes first (then true). */
function pause(ms: number, feed?: ChangeFeed<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    feed?.onNext(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
