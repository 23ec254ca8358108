import { AppError } from '../core/errors';
import { detectChanges } from '../domain/changes';
import {
  deliverableFileName,
  editingSeconds,
  stageId,
  type DeliverableInfo,
  type Owner,
  type Stage1Record,
  type Stage2Record,
  type Stage3Record,
  type WorkflowHeader,
  type WorkflowStatus,
} from '../domain/exportRecords';
import { layoutFor } from '../domain/templates';
import type { DocumentAi } from '../ports/ai';
import type { WorkflowStart } from '../workflows/exportWorkflowDefinition';
import { renderDeliverable } from './deliverable';
import type { DocumentRecord } from './documents';
import type { ExportTrackingStore } from './exportTracking';

export interface Stage1Outcome {
  stage_1_id: string;
  completed_at: string;
}

/** Where deliverables are written. */
export interface DeliverableStore {
  put(container: 'exports', path: string, body: Buffer, contentType: string): Promise<void>;
}

/** Reads the caller's document for a workflow. */
export interface DocumentSource {
  get(caller: Owner, documentId: string): Promise<DocumentRecord>;
}

const elapsed = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

/**
 * The work of each stage, called by the `exportWorkflow` activities. Every step is idempotent:
 * records have deterministic ids and are upserted, the deliverable's blob path is fixed, and a
 * stage already recorded is returned as it is rather than produced again.
 */
export class ExportStagesService {
  constructor(
    private readonly tracking: ExportTrackingStore,
    private readonly documents: DocumentSource,
    private readonly ai: DocumentAi,
    private readonly files: DeliverableStore,
  ) {}

  private base(start: Pick<WorkflowStart, 'owner' | 'export_workflow_id' | 'document_id'>) {
    return {
      owner_email: start.owner.email,
      ...(start.owner.oid ? { owner_oid: start.owner.oid } : {}),
      document_id: start.document_id,
      export_workflow_id: start.export_workflow_id,
    };
  }

  /** Header writes are conditional on what was read: a submit's claim is never overwritten. */
  private async updateHeader(
    owner: Owner,
    workflowId: string,
    changes: Partial<WorkflowHeader> & { status: WorkflowStatus },
  ): Promise<void> {
    await this.tracking.updateHeader(owner.email, workflowId, () => changes);
  }

  /** Stage 1: the AI summary of the extracted data; the workflow then awaits the user's review. */
  async recordInitialSummary(start: WorkflowStart): Promise<Stage1Outcome> {
    const existing = await this.tracking.stage(start.owner.email, start.export_workflow_id, 1);
    if (existing) {
      await this.headerAwaitsReview(start);
      return { stage_1_id: existing.id, completed_at: existing.timestamp };
    }

    const document = await this.documents.get(start.owner, start.document_id);
    const data = document.extracted_data ?? {};
    const run = await this.ai.summarize({
      document_type: document.document_type,
      file_name: document.file_name,
      extraction_confidence: document.extraction_confidence,
      data,
    });
    const now = new Date().toISOString();
    const stage1: Stage1Record = {
      id: stageId(start.export_workflow_id, 1),
      type: 'stage',
      ...this.base(start),
      stage: 1,
      stage_name: 'initial_ai_summary',
      status: 'awaiting_user_review',
      timestamp: now,
      document_type: document.document_type,
      file_name: document.file_name,
      ...(document.extraction_method ? { extraction_method: document.extraction_method } : {}),
      ...(document.extraction_confidence !== undefined
        ? { extraction_confidence: document.extraction_confidence }
        : {}),
      original_extracted_data: data,
      ai_summary: run.result,
      ai_metadata: run.metadata,
    };
    await this.tracking.save(stage1);
    await this.headerAwaitsReview(start);
    return { stage_1_id: stage1.id, completed_at: now };
  }

  /** The header (written before the orchestration started) moves on from `pending`, never back. */
  private async headerAwaitsReview(start: WorkflowStart): Promise<void> {
    await this.tracking.updateHeader(start.owner.email, start.export_workflow_id, (header) =>
      header.status === 'pending' ? { stage: 1, status: 'awaiting_user_review' } : undefined,
    );
  }

  /** Stage 2: the user's edits, diffed against the original, and their preferences. */
  async recordUserModifications(
    start: WorkflowStart,
    editsId: string,
  ): Promise<{ stage_2_id: string; completed_at: string }> {
    const existing = await this.tracking.stage(start.owner.email, start.export_workflow_id, 2);
    if (existing) {
      // A retry after the stage was written: make sure the header caught up too.
      await this.updateHeader(start.owner, start.export_workflow_id, {
        stage: 2,
        status: 'awaiting_final_processing',
        format: existing.user_preferences.format,
        document_template: existing.user_preferences.document_template,
      });
      return { stage_2_id: existing.id, completed_at: existing.timestamp };
    }
    const stage1 = await this.requireStage1(start);
    const edits = await this.tracking.edits(start.owner.email, editsId);
    if (!edits || edits.export_workflow_id !== start.export_workflow_id)
      throw new AppError('not_found', `Workflow ${start.export_workflow_id} has no edits ${editsId}.`);
    const modifications = edits.modifications;
    const now = new Date().toISOString();
    const stage2: Stage2Record = {
      id: stageId(start.export_workflow_id, 2),
      type: 'stage',
      ...this.base(start),
      stage: 2,
      stage_name: 'user_modifications',
      status: 'awaiting_final_processing',
      timestamp: now,
      stage_1_id: stage1.id,
      original_data: stage1.original_extracted_data,
      modified_data: modifications.data,
      changes: detectChanges(stage1.original_extracted_data, modifications.data),
      user_preferences: modifications.preferences,
      user_action_metrics: {
        editing_time_seconds: editingSeconds(modifications.editing_started_at, modifications.received_at),
        edit_count: modifications.edit_count ?? 0,
      },
    };
    await this.tracking.save(stage2);
    // Stage 2 now holds the edits; the submitted copy goes (a retry finds stage 2 above).
    await this.tracking.deleteEdits(start.owner.email, editsId);
    await this.updateHeader(start.owner, start.export_workflow_id, {
      stage: 2,
      status: 'awaiting_final_processing',
      format: modifications.preferences.format,
      document_template: modifications.preferences.document_template,
    });
    return { stage_2_id: stage2.id, completed_at: now };
  }

  /** Stage 3: the final AI summary, the file in the chosen format, stored and recorded. */
  async produceDeliverable(start: WorkflowStart): Promise<DeliverableInfo> {
    const existing = await this.tracking.stage(start.owner.email, start.export_workflow_id, 3);
    if (existing) {
      await this.updateHeader(start.owner, start.export_workflow_id, {
        stage: 3,
        status: 'completed',
        completed_at: existing.timestamp,
        deliverable: existing.deliverable,
      });
      return existing.deliverable;
    }
    const stage1 = await this.requireStage1(start);
    const stage2 = await this.tracking.stage(start.owner.email, start.export_workflow_id, 2);
    if (!stage2) throw new Error(`Workflow ${start.export_workflow_id} has no stage 2 record.`);

    const preferences = stage2.user_preferences;
    const layout = layoutFor(
      preferences.document_template,
      preferences.template_customization,
      stage1.file_name,
    );
    const final = await this.ai.finalize({
      document_type: stage1.document_type,
      file_name: stage1.file_name,
      extraction_confidence: stage1.extraction_confidence,
      data: stage2.modified_data,
      layout,
      changes: stage2.changes,
      transformation_instructions: preferences.transformation_instructions,
    });

    const generationStarted = performance.now();
    const fileName = deliverableFileName(stage1.file_name, preferences.document_template, preferences.format);
    const file = await renderDeliverable({
      format: preferences.format,
      layout,
      summary: final.result,
      data: stage2.modified_data,
      changes: stage2.changes,
      document: {
        document_id: start.document_id,
        document_type: stage1.document_type,
        file_name: stage1.file_name,
        export_workflow_id: start.export_workflow_id,
      },
    });
    const blobPath = `${start.owner.email}/${start.export_workflow_id}/${fileName}`;
    await this.files.put('exports', blobPath, file.bytes, file.mime_type);
    const generationMs = Math.round(performance.now() - generationStarted);

    const now = new Date().toISOString();
    const deliverable: DeliverableInfo = {
      file_name: fileName,
      file_size: file.bytes.length,
      format: preferences.format,
      mime_type: file.mime_type,
      sha256: file.sha256,
      blob_path: blobPath,
      warnings: file.warnings,
    };
    const stage3: Stage3Record = {
      id: stageId(start.export_workflow_id, 3),
      type: 'stage',
      ...this.base(start),
      stage: 3,
      stage_name: 'final_deliverable',
      status: 'completed',
      timestamp: now,
      stage_1_id: stage1.id,
      stage_2_id: stage2.id,
      final_ai_summary: final.result,
      ai_metadata: final.metadata,
      deliverable,
      workflow_metrics: {
        total_duration_ms: elapsed(start.started_at, now),
        ai_processing_ms: stage1.ai_metadata.processing_time_ms + final.metadata.processing_time_ms,
        generation_ms: generationMs,
        stage_durations_ms: {
          stage_1: elapsed(start.started_at, stage1.timestamp),
          stage_2: elapsed(stage1.timestamp, stage2.timestamp),
          stage_3: elapsed(stage2.timestamp, now),
        },
      },
      traceability: [stage1.id, stage2.id, stageId(start.export_workflow_id, 3)],
    };
    await this.tracking.save(stage3);
    await this.updateHeader(start.owner, start.export_workflow_id, {
      stage: 3,
      status: 'completed',
      completed_at: now,
      deliverable,
    });
    return deliverable;
  }

  /** The 30-day review window passed without the user's edits. */
  async markExpired(start: WorkflowStart): Promise<void> {
    await this.updateHeader(start.owner, start.export_workflow_id, { status: 'expired' });
  }

  /** An activity failed for good: the workflow says so, readably, with the fault's code if known. */
  async markFailed(start: WorkflowStart, message: string, code?: string): Promise<void> {
    await this.updateHeader(start.owner, start.export_workflow_id, {
      status: 'failed',
      error_message: message.slice(0, 2000),
      ...(code ? { error_code: code } : {}),
    });
  }

  private async requireStage1(start: WorkflowStart): Promise<Stage1Record> {
    const stage1 = await this.tracking.stage(start.owner.email, start.export_workflow_id, 1);
    if (!stage1)
      throw new AppError('conflict', `Workflow ${start.export_workflow_id} has no stage 1 record.`);
    return stage1;
  }
}
