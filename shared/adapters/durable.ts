import * as df from 'durable-functions';
import type { InstanceHistory, OrchestrationControl } from '../ports/orchestration';

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

export function orchestrationControl(client: df.DurableClient): OrchestrationControl {
  return {
    async start(orchestration, instanceId, input) {
      await client.startNew(orchestration, { instanceId, input });
    },
    async raise(instanceId, event, data) {
      await client.raiseEvent(instanceId, event, data);
    },
    async status(instanceId) {
      try {
        const status = await client.getStatus(instanceId, { showInput: false });
        return {
          runtimeStatus: String(status.runtimeStatus),
          output: status.output,
          customStatus: status.customStatus,
        };
      } catch (error) {
        // The client throws on 404 (older extension versions) instead of returning nothing.
        if (/404|not found/i.test(error instanceof Error ? error.message : String(error))) return undefined;
        throw error;
      }
    },
    async terminateIfRunning(instanceId, reason) {
      const status = await this.status(instanceId);
      if (status && ['Pending', 'Running', 'ContinuedAsNew'].includes(status.runtimeStatus)) {
        await client.terminate(instanceId, reason);
      }
    },
  };
}
