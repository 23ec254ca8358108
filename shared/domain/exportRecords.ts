import { AppError } from '../core/errors';
import type { ExportWarning } from '../formats/output/warnings';
import { detectChanges, type Changes, type Json } from './changes';
import type { AiSummary } from './summary';
import type { TemplateCustomization, TemplateName } from './templates';

/** Formats a deliverable can take (`excel` is accepted as `xlsx` at the API). */
export const deliverableFormats = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type DeliverableFormat = (typeof deliverableFormats)[number];

export const workflowStatuses = [
  'pending',
  'awaiting_user_review',
  'awaiting_final_processing',
  'completed',
  'expired',
  'failed',
] as const;
export type WorkflowStatus = (typeof workflowStatuses)[number];

/** How an AI answer was produced, kept on every record it wrote. */
export interface AiMetadata {
  model: string;
  processing_time_ms: number;
  tokens: { prompt: number; completion: number; total: number };
}

export interface Owner {
  email: string;
  oid?: string;
}

/** Fields every `export_tracking` item carries. `ttl` is inherited from the container. */
interface TrackingItem {
  id: string;
  owner_email: string;
  owner_oid?: string;
  document_id: string;
  export_workflow_id: string;
  stage: 1 | 2 | 3;
  status: WorkflowStatus;
  timestamp: string;
  [field: string]: unknown;
}

export interface DeliverableInfo {
  file_name: string;
  file_size: number;
  format: DeliverableFormat;
  mime_type: string;
  sha256: string;
  blob_path: string;
  /** What the format forced us to cut or change, one entry per kind with its count (README: API, `x-export-warnings`). */
  warnings: ExportWarning[];
}

export interface WorkflowHeader extends TrackingItem {
  type: 'workflow';
  format?: DeliverableFormat;
  document_template?: TemplateName;
  created_at: string;
  completed_at?: string;
  deliverable?: DeliverableInfo;
  regenerated_from?: string;
  /**
   * The user's edits that claimed this workflow's phase 2 (an `edits` item). Set once, by a write
   * conditional on the header's ETag: a second submit finds it set and is refused.
   */
  edits_id?: string;
  error_code?: string;
  error_message?: string;
}

/** What the user chose when starting a workflow; it lives in the header, not in Durable history. */
export type HeaderChoices = Pick<
  WorkflowHeader,
  'format' | 'document_template' | 'regenerated_from' | 'edits_id'
>;

/** A new workflow's header, written before its orchestration starts (status `pending`, stage 1). */
export function pendingHeader(
  owner: { email: string; oid?: string },
  workflowId: string,
  documentId: string,
  now: string,
  choices: HeaderChoices = {},
): WorkflowHeader {
  return {
    id: workflowId,
    type: 'workflow',
    owner_email: owner.email,
    ...(owner.oid ? { owner_oid: owner.oid } : {}),
    document_id: documentId,
    export_workflow_id: workflowId,
    stage: 1,
    status: 'pending',
    timestamp: now,
    created_at: now,
    updated_at: now,
    ...Object.fromEntries(Object.entries(choices).filter(([, v]) => v !== undefined)),
  };
}

/**
 * The user's edits as submitted, kept in `export_tracking` until stage 2 records them. The
 * orchestration only ever sees this item's id: user data never travels through Durable history,
 * where it would be re-serialised (date-like strings rewritten) and cost storage round trips.
 */
export interface EditsRecord extends TrackingItem {
  type: 'edits';
  stage: 2;
  modifications: UserModifications;
}

export interface Stage1Record extends TrackingItem {
  type: 'stage';
  stage: 1;
  stage_name: 'initial_ai_summary';
  document_type: string;
  file_name: string;
  extraction_method?: string;
  extraction_confidence?: number;
  original_extracted_data: Json;
  ai_summary: AiSummary;
  ai_metadata: AiMetadata;
}

export interface UserPreferences {
  document_template: TemplateName;
  format: DeliverableFormat;
  transformation_instructions?: string;
  template_customization?: TemplateCustomization;
}

export interface Stage2Record extends TrackingItem {
  type: 'stage';
  stage: 2;
  stage_name: 'user_modifications';
  stage_1_id: string;
  original_data: Json;
  modified_data: Json;
  changes: Changes;
  user_preferences: UserPreferences;
  user_action_metrics: { editing_time_seconds: number | null; edit_count: number };
}

export interface Stage3Record extends TrackingItem {
  type: 'stage';
  stage: 3;
  stage_name: 'final_deliverable';
  stage_1_id: string;
  stage_2_id: string;
  final_ai_summary: AiSummary;
  ai_metadata: AiMetadata;
  deliverable: DeliverableInfo;
  workflow_metrics: {
    total_duration_ms: number;
    ai_processing_ms: number;
    generation_ms: number;
    stage_durations_ms: { stage_1: number; stage_2: number; stage_3: number };
  };
  traceability: [string, string, string];
}

export type StageRecord = Stage1Record | Stage2Record | Stage3Record;
export type TrackingRecord = WorkflowHeader | StageRecord | EditsRecord;

/** Stage item ids are deterministic, so a retried activity rewrites its own record, never adds one. */
export const stageId = (workflowId: string, stage: 1 | 2 | 3) => `${workflowId}:${stage}`;

/** Each submit's edits get their own item: a losing submit never overwrites the winner's data. */
export const editsId = (workflowId: string, submissionId: string) => `${workflowId}:edits:${submissionId}`;

/** What the user sends in phase 2 (or what regenerate reuses). */
export interface UserModifications {
  data: Json;
  preferences: UserPreferences;
  editing_started_at?: string;
  edit_count?: number;
  received_at: string;
}

/** Seconds between the user opening the editor and submitting, when both are known and sane. */
export function editingSeconds(startedAt: string | undefined, submittedAt: string): number | null {
  if (!startedAt) return null;
  const seconds = (Date.parse(submittedAt) - Date.parse(startedAt)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds) : null;
}

/** The file name of a deliverable: document name without extension, template, format. */
export function deliverableFileName(
  documentFileName: string,
  template: TemplateName,
  format: DeliverableFormat,
): string {
  const base = documentFileName.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'export';
  return `${base}-${template.replace(/_/g, '-')}.${format}`;
}

/**
 * Largest edited data a workflow takes (serialised). A stage 2 record holds the original and the
 * edited data plus their differences, and a Cosmos DB item is capped at 2 MB.
 */
export const maxWorkflowDataBytes = 512 * 1024;

/** Cosmos DB refuses an item over 2 MB (its JSON as stored, system properties included). */
export const cosmosItemLimitBytes = 2 * 1024 * 1024;
/** Room left in an item for its ids, preferences, metrics and Cosmos's own properties. */
const stage2OverheadBytes = 64 * 1024;

/**
 * A stage 2 record holds the original data, the edited data and a change per differing leaf:
 * each part can be under 512 KiB while the whole passes Cosmos's item limit. Checked when the
 * edits arrive, so a user is told before any work starts (in Azure the write would fail later).
 */
export function assertStage2Fits(original: Json, modified: Json): void {
  const changes = detectChanges(original, modified);
  const size =
    Buffer.byteLength(JSON.stringify(original)) +
    Buffer.byteLength(JSON.stringify(modified)) +
    Buffer.byteLength(JSON.stringify(changes));
  const limit = cosmosItemLimitBytes - stage2OverheadBytes;
  if (size > limit) {
    throw new AppError(
      'payload_too_large',
      `The edits cannot be recorded: the original data, the edited data and their ${changes.counts.total} differences come to ${size} bytes, and a stage 2 record holds at most ${limit} (Cosmos DB's 2 MB item limit). Send fewer changes or smaller data.`,
      [{ field: 'data', message: `original + edited + differences at most ${limit} bytes as JSON` }],
    );
  }
}
