import type { ManagementUrls } from './clientBinding';
import type { InstanceFilter, OrchestrationStatusPayload } from './instanceStatus';

export interface StartOptions {
  /** Defaults to a new GUID without dashes, as the extension makes them. */
  instanceId?: string;
  /** Any JSON-serialisable value. */
  input?: unknown;
  version?: string;
}

export interface StatusOptions {
  showHistory?: boolean;
  showHistoryOutput?: boolean;
  /** Defaults to true, as in the extension. */
  showInput?: boolean;
}

/**
 * The management operations of the Durable HTTP API. Each throws `DurableApiError` carrying the
 * status the extension answers with (404 unknown instance, 410 already finished, 409 duplicate...).
 */
export interface DurableOperations {
  startNew(orchestratorName: string, options?: StartOptions): string;
  getStatus(instanceId: string, options?: StatusOptions): OrchestrationStatusPayload | undefined;
  listInstances(filter?: InstanceFilter, options?: StatusOptions): OrchestrationStatusPayload[];
  raiseEvent(instanceId: string, eventName: string, data?: unknown): void;
  terminate(instanceId: string, reason?: string): void;
  /** Purges one finished instance; returns how many were deleted (1). */
  purgeInstance(instanceId: string): number;
  /** Purges the finished instances matching the filter; returns how many were deleted. */
  purgeInstances(filter: InstanceFilter): number;
  managementUrls(instanceId: string): ManagementUrls;
}
