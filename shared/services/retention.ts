import { logEvent, type LogTarget } from '../core/log';
import type { InstanceHistory } from '../ports/orchestration';

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

/**
 * The housekeeping timer's work: finished orchestration instances past the retention go, and job
 * files past theirs are deleted (their downloads then answer 410).
 */
export async function housekeep(
  work: {
    history: InstanceHistory;
    jobFiles: { expireFiles(now: Date): Promise<number> };
    retentionDays: number;
    log: LogTarget;
  },
  now: Date,
): Promise<void> {
  const outcome = await purgeExpiredInstances(work.history, now, work.retentionDays);
  logEvent(work.log, 'info', 'housekeeping_purged_instances', { ...outcome });
  const expired = await work.jobFiles.expireFiles(now);
  logEvent(work.log, 'info', 'housekeeping_expired_job_files', { expired });
}
