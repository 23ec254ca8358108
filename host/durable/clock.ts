/** Cancels a scheduled callback; calling it after the callback ran does nothing. */
export type CancelScheduled = () => void;

/**
 * Time as the Durable runtime sees it. Injected so tests can fast-forward a 30-day durable timer
 * without waiting, and so orchestration timestamps come from one place.
 */
export interface Clock {
  now(): Date;
  /** Runs `callback` once `now()` has reached `at` (never synchronously inside `schedule`). */
  schedule(at: Date, callback: () => void): CancelScheduled;
}

/** `setTimeout` stores its delay in a signed 32-bit integer: longer delays fire at once. */
const maxTimeoutMs = 2 ** 31 - 1;

/** Real time. Long delays (durable timers can be weeks away) are reached in hops of at most ~24.8 days. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }

  schedule(at: Date, callback: () => void): CancelScheduled {
    let handle: NodeJS.Timeout | undefined;
    const arm = (): void => {
      const delay = Math.min(Math.max(at.getTime() - Date.now(), 0), maxTimeoutMs);
      handle = setTimeout(() => {
        // Timers can fire a millisecond early, and long delays take several hops: re-arm until due.
        if (Date.now() < at.getTime()) return arm();
        handle = undefined;
        callback();
      }, delay);
      // A pending durable timer must not keep the process alive on its own.
      handle.unref();
    };
    arm();
    return () => {
      if (handle !== undefined) clearTimeout(handle);
      handle = undefined;
    };
  }
}

interface ManualEntry {
  at: number;
  order: number;
  callback: () => void;
}

/** Time that only moves when told to: for tests that fast-forward durable timers. */
export class ManualClock implements Clock {
  private current: number;
  private readonly entries = new Set<ManualEntry>();
  private nextOrder = 0;

  constructor(start: Date = new Date('2025-01-01T00:00:00.000Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  schedule(at: Date, callback: () => void): CancelScheduled {
    const entry: ManualEntry = { at: at.getTime(), order: this.nextOrder++, callback };
    this.entries.add(entry);
    return () => this.entries.delete(entry);
  }

  /** How many callbacks are waiting. */
  get pendingCount(): number {
    return this.entries.size;
  }

  /** Moves time forward by `ms`, running every callback that falls due, earliest first. */
  advanceBy(ms: number): void {
    this.advanceTo(new Date(this.current + ms));
  }

  /** Moves time to `target` (never backwards), running every callback due by then, earliest first. */
  advanceTo(target: Date): void {
    const end = Math.max(target.getTime(), this.current);
    for (const entry of this.due(end)) {
      if (!this.entries.has(entry)) continue; // cancelled by an earlier callback
      this.current = Math.max(this.current, entry.at);
      this.entries.delete(entry);
      entry.callback();
    }
    this.current = end;
  }

  /** Jumps to the earliest pending callback and runs everything due then; false when nothing is pending. */
  advanceToNext(): boolean {
    const [first] = this.due(Number.POSITIVE_INFINITY);
    if (!first) return false;
    this.advanceTo(new Date(first.at));
    return true;
  }

  private due(until: number): ManualEntry[] {
    return [...this.entries].filter((e) => e.at <= until).sort((a, b) => a.at - b.at || a.order - b.order);
  }
}
