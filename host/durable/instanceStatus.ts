export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Terminated';

export const runtimeStatuses: readonly RuntimeStatus[] = [
  'Pending',
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Terminated',
];

/** Statuses an instance never leaves (until purged or restarted with the same id). */
export function isFinished(status: RuntimeStatus): boolean {
  return status === 'Completed' || status === 'Failed' || status === 'Terminated';
}

/** What a status query returns (`StatusResponsePayload` in the extension). */
export interface OrchestrationStatusPayload {
  name: string;
  instanceId: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  /** Second precision with a Z, as the extension formats it. */
  createdTime: string;
  lastUpdatedTime: string;
  /**
   * Only with `showHistory=true`. Note that durable-functions 3.x reads `history` from the reply,
   * not `historyEvents`, so `DurableOrchestrationStatus.history` stays undefined (in Azure too).
   */
  historyEvents?: Record<string, unknown>[];
}

/** The extension's timestamp format: `DateTime.ToString("s") + "Z"`. */
export function statusTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface InstanceFilter {
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
  runtimeStatus?: readonly RuntimeStatus[];
  instanceIdPrefix?: string;
}

export function matchesFilter(
  instance: { instanceId: string; createdTime: Date; status: RuntimeStatus },
  filter: InstanceFilter,
): boolean {
  const created = instance.createdTime.getTime();
  if (filter.createdTimeFrom && created < filter.createdTimeFrom.getTime()) return false;
  if (filter.createdTimeTo && created > filter.createdTimeTo.getTime()) return false;
  if (
    filter.runtimeStatus &&
    filter.runtimeStatus.length > 0 &&
    !filter.runtimeStatus.includes(instance.status)
  ) {
    return false;
  }
  return !filter.instanceIdPrefix || instance.instanceId.startsWith(filter.instanceIdPrefix);
}
