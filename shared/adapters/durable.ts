import * as df from 'durable-functions';
import type { InstanceHistory } from '../services/housekeeping';

const finishedStatuses = [
  df.OrchestrationRuntimeStatus.Completed,
  df.OrchestrationRuntimeStatus.Failed,
  df.OrchestrationRuntimeStatus.Terminated,
];

/** Orchestration history through the Durable client (the same calls in Azure and locally). */
export function instanceHistory(client: df.DurableClient): InstanceHistory {
  return {
    async purgeFinishedBefore(cutoff) {
      const result = await client.purgeInstanceHistoryBy({
        createdTimeFrom: new Date(0),
        createdTimeTo: cutoff,
        runtimeStatus: finishedStatuses,
      });
      return result.instancesDeleted;
    },
  };
}
