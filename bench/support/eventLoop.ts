/**
 * Keeps a bench process alive until its work is done, and makes an early exit a failure.
 *
 * Why this exists: the local host's `stop()` awaits Azurite's `exit` event, but Azurite's child
 * handle and its IPC lifeline are unref'd (host/emulators.ts: the lifeline must never keep the host
 * alive). Once the host's HTTP server has closed, nothing ref'd is left while that await is
 * pending, so Node drains the event loop and exits with code 0 in the middle of it: the bench
 * never prints or writes its result. A pending promise alone never keeps Node running; any
 * await that depends on an unref'd handle can end the process the same way.
 */

/** Long enough never to fire in practice, short enough to be a valid timer delay (< 2^31 ms). */
const HOLD_INTERVAL_MS = 2 ** 30;

/** Resolves as `work` does, with a ref'd timer keeping the event loop alive until then. */
export async function holdEventLoopUntil<T>(work: Promise<T>): Promise<T> {
  const hold = setInterval(() => undefined, HOLD_INTERVAL_MS);
  try {
    return await work;
  } finally {
    clearInterval(hold);
  }
}

/**
 * Turns an exit with code 0 before `isFinished()` into exit code 1 with a message on stderr
 * (say, a library calling `process.exit(0)`, or a drained loop despite the hold above), so
 * callers never mistake a bench that stopped half-way for one that succeeded.
 */
export function failIfExitingUnfinished(what: string, isFinished: () => boolean): void {
  process.on('exit', (code) => {
    if (code !== 0 || isFinished()) return;
    process.stderr.write(`${what} exited with code 0 before it had finished: reporting failure.\n`);
    process.exitCode = 1;
  });
}
