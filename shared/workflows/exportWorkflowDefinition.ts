import type { Owner } from '../domain/exportRecords';
import { activityRetry } from './retry';

/**
 * The recorded three-stage export (README: The export workflow): its orchestration, event and activity names and its
 * retry policy, in one place for the code that starts it, signals it and registers it.
 * Instance id = export_workflow_id.
 */
export const exportWorkflow = {
  name: 'exportWorkflow',
  events: { userModifications: 'UserModifications' },
  activities: {
    recordInitialSummary: 'exportWorkflow_recordInitialSummary',
    recordUserModifications: 'exportWorkflow_recordUserModifications',
    produceDeliverable: 'exportWorkflow_produceDeliverable',
    markExpired: 'exportWorkflow_markExpired',
    markFailed: 'exportWorkflow_markFailed',
  },
  /** The review window matches the records' 30-day TTL. */
  reviewWindowMs: 30 * 24 * 60 * 60 * 1000,
  retry: activityRetry(),
} as const;

/**
 * What starts a workflow; it travels as the orchestration input, so it holds ids only. Everything
 * the user chose lives in the workflow's header record, written before the orchestration starts.
 */
export interface WorkflowStart {
  export_workflow_id: string;
  owner: Owner;
  document_id: string;
  /** When the workflow started, from the orchestration clock (deterministic on replay). */
  started_at: string;
}

/** The `UserModifications` event: a reference to the edits item, never the data itself. */
export interface EditsSubmitted {
  edits_id: string;
}

/** The start as the orchestration receives it; `started_at` comes from the orchestration clock. */
export type WorkflowInput = Omit<WorkflowStart, 'started_at'>;
