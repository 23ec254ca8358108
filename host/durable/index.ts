export { LocalDurableRuntime, type LocalDurableRuntimeOptions, type PendingTimer } from './runtime';
export { ManualClock, SystemClock, type CancelScheduled, type Clock } from './clock';
export { DurableApiError } from './durableErrors';
export { webhookPath, type ClientBindingData, type ManagementUrls } from './clientBinding';
export type { OrchestrationStatusPayload, RuntimeStatus, InstanceFilter } from './instanceStatus';
export type { DurableOperations, StartOptions, StatusOptions } from './operations';
export type { HistoryEvent } from './protocol';
