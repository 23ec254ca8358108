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

/** The workflow orchestrations as HTTP functions drive them (start, event, status). */
export interface OrchestrationControl {
  start(orchestration: string, instanceId: string, input: unknown): Promise<void>;
  raise(instanceId: string, event: string, data: unknown): Promise<void>;
  /** `undefined` when the instance does not exist. */
  status(
    instanceId: string,
  ): Promise<{ runtimeStatus: string; output: unknown; customStatus: unknown } | undefined>;
  /** Terminates the instance if it is still pending or running; a finished one is left alone. */
  terminateIfRunning(instanceId: string, reason: string): Promise<void>;
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
