/**
 * Polls `check` until it yields a value or `limitMs` passes (then `undefined`). The first checks
 * come quickly, then back off up to `maxDelayMs`, so short work answers fast without a busy loop
 * on long work.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  limitMs: number,
  maxDelayMs = 250,
): Promise<T | undefined> {
  const deadline = Date.now() + limitMs;
  let delay = 5;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return undefined;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, remaining)));
    delay = Math.min(delay * 2, maxDelayMs);
  }
}
