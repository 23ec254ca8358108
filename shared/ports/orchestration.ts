/** The orchestrations as HTTP functions and timers drive them (start, event, status). */
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

/** Orchestration history as housekeeping sees it: only what it may remove. */
export interface InstanceHistory {
  /** Removes finished (completed, failed, terminated) instances created before `cutoff`; returns how many. */
  purgeFinishedBefore(cutoff: Date): Promise<number>;
}
