/** Orchestration history as housekeeping sees it: only what it may remove. */
export interface InstanceHistory {
  /** Removes finished (completed, failed, terminated) instances created before `cutoff`; returns how many. */
  purgeFinishedBefore(cutoff: Date): Promise<number>;
}

export interface PurgeOutcome {
  cutoff: string;
  purged: number;
}

/**
 * Completed instance history is never purged by Durable itself; keeping it past the retention
 * would break the 30-day promise, so housekeeping removes it.
 */
export async function purgeExpiredInstances(
  history: InstanceHistory,
  now: Date,
  retentionDays: number,
): Promise<PurgeOutcome> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const purged = await history.purgeFinishedBefore(cutoff);
  return { cutoff: cutoff.toISOString(), purged };
}
