/** How a wait spaces its checks. */
export interface WaitPacing {
  /** When the first check comes: 0 checks at once; more when the answer cannot be there yet. */
  firstCheckAfterMs?: number;
  /** The longest pause between two checks. */
  maxDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it yields a value or `limitMs` passes (then `undefined`). The pauses double
 * up to `maxDelayMs`, so short work answers fast without a busy loop on long work.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  limitMs: number,
  { firstCheckAfterMs = 0, maxDelayMs = 250 }: WaitPacing = {},
): Promise<T | undefined> {
  const deadline = Date.now() + limitMs;
  let delay = Math.max(firstCheckAfterMs, 5);
  if (firstCheckAfterMs > 0) await sleep(Math.min(firstCheckAfterMs, limitMs));
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return undefined;
    await sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, maxDelayMs);
  }
}
