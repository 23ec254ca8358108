import { randomUUID } from 'node:crypto';
import type { OrchestrationControl } from '../ports/orchestration';
import { AppError, conflict, unavailable } from '../core/errors';
import type { Caller } from '../core/identity';
import { waitFor } from '../core/wait';
import type { Json } from '../domain/changes';
import {
  maxWorkflowDataBytes,
  type DeliverableFormat,
  type DeliverableInfo,
  type UserModifications,
  type UserPreferences,
  type WorkflowHeader,
} from '../domain/exportRecords';
import type { AiSummary } from '../domain/summary';
import type { TemplateCustomization, TemplateName } from '../domain/templates';
import type { DocumentsService } from './documents';
import type { ExportTrackingStore } from './exportTracking';
import { exportWorkflow, type WorkflowStart } from '../workflows/exportWorkflowDefinition';

export interface ReviewRequest {
  format?: DeliverableFormat;
  document_template?: TemplateName;
}

export interface EditsRequest {
  export_workflow_id?: string;
  format: DeliverableFormat;
  data: Json;
  document_template: TemplateName;
  transformation_instructions?: string;
  template_customization?: TemplateCustomization;
  editing_started_at?: string;
  edit_count?: number;
}

export type ReviewOutcome =
  { kind: 'ready'; workflow_id: string; ai_summary: AiSummary } | { kind: 'pending'; workflow_id: string };
export type DeliverableOutcome =
  | { kind: 'file'; workflow_id: string; deliverable: DeliverableInfo }
  | { kind: 'pending'; workflow_id: string };

interface Dependencies {
  documents: DocumentsService;
  tracking: ExportTrackingStore;
  waitLimitMs: number;
}

function assertDataSize(data: Json): void {
  const size = Buffer.byteLength(JSON.stringify(data));
  if (size > maxWorkflowDataBytes) {
    throw new AppError(
      'payload_too_large',
      `The edited data is ${size} bytes; the limit is ${maxWorkflowDataBytes}.`,
      [{ field: 'data', message: `at most ${maxWorkflowDataBytes} bytes as JSON` }],
    );
  }
}

/**
 * What the export endpoints do: start and drive `exportWorkflow`, waiting a bounded time for it.
 * `control` is the calling invocation's Durable client.
 */
export class ExportRequests {
  constructor(private readonly deps: Dependencies) {}

  /** Phase 1: starts a workflow and waits for its stage 1 summary. */
  async startReview(
    control: OrchestrationControl,
    caller: Caller,
    documentId: string,
    request: ReviewRequest,
  ): Promise<ReviewOutcome> {
    await this.requireExtracted(caller, documentId);
    const workflowId = randomUUID();
    await this.start(control, caller, workflowId, { document_id: documentId, ...request });
    const reviewed = await this.awaitRuntime(
      control,
      workflowId,
      (customStatus) => ((customStatus as { stage?: number } | null)?.stage ?? 0) >= 1,
    );
    const stage1 = reviewed ? await this.deps.tracking.stage(caller.email, workflowId, 1) : undefined;
    if (!stage1) await this.failIfFailed(caller, workflowId);
    return stage1
      ? { kind: 'ready', workflow_id: workflowId, ai_summary: stage1.ai_summary }
      : { kind: 'pending', workflow_id: workflowId };
  }

  /** Phase 2: the user's edits for a waiting workflow, or a new workflow run through all stages. */
  async submitEdits(
    control: OrchestrationControl,
    caller: Caller,
    documentId: string,
    request: EditsRequest,
    now: Date,
  ): Promise<DeliverableOutcome> {
    assertDataSize(request.data);
    const modifications: UserModifications = {
      data: request.data,
      preferences: {
        format: request.format,
        document_template: request.document_template,
        ...(request.transformation_instructions !== undefined
          ? { transformation_instructions: request.transformation_instructions }
          : {}),
        ...(request.template_customization ? { template_customization: request.template_customization } : {}),
      },
      ...(request.editing_started_at ? { editing_started_at: request.editing_started_at } : {}),
      ...(request.edit_count !== undefined ? { edit_count: request.edit_count } : {}),
      received_at: now.toISOString(),
    };
    let workflowId = request.export_workflow_id;
    if (workflowId) {
      const header = await this.deps.tracking.ownedHeader(caller, workflowId);
      if (header.document_id !== documentId)
        throw conflict(`Workflow ${workflowId} belongs to another document.`);
      if (header.status !== 'awaiting_user_review') {
        throw conflict(
          `Workflow ${workflowId} is ${header.status}; edits are only taken while it awaits review.`,
        );
      }
    } else {
      await this.requireExtracted(caller, documentId);
      workflowId = randomUUID();
      await this.start(control, caller, workflowId, {
        document_id: documentId,
        format: request.format,
        document_template: request.document_template,
      });
    }
    // Raised right after the start when there was no workflow yet: Durable keeps an event that
    // arrives before the orchestration waits for it.
    await control.raise(workflowId, exportWorkflow.events.userModifications, modifications);
    return this.awaitDeliverable(control, caller, workflowId);
  }

  /** A new workflow that reuses another's stage 2 data, with another format or template if asked. */
  async regenerate(
    control: OrchestrationControl,
    caller: Caller,
    sourceId: string,
    overrides: Partial<UserPreferences>,
    now: Date,
  ): Promise<DeliverableOutcome> {
    const { header, stages } = await this.deps.tracking.workflow(caller, sourceId);
    const stage2 = stages.find((s) => s.stage === 2);
    if (!stage2 || stage2.stage !== 2)
      throw conflict(`Workflow ${sourceId} has no user modifications to reuse yet.`);
    await this.deps.documents.get(caller, header.document_id);
    const preferences: UserPreferences = { ...stage2.user_preferences, ...overrides };
    if (preferences.document_template !== 'custom') delete preferences.template_customization;
    const workflowId = randomUUID();
    await this.start(control, caller, workflowId, {
      document_id: header.document_id,
      format: preferences.format,
      document_template: preferences.document_template,
      regenerated_from: sourceId,
    });
    await control.raise(workflowId, exportWorkflow.events.userModifications, {
      data: stage2.modified_data,
      preferences,
      received_at: now.toISOString(),
    } satisfies UserModifications);
    return this.awaitDeliverable(control, caller, workflowId);
  }

  /** The workflow's header, once it has a deliverable to download. */
  async deliverable(
    caller: Caller,
    workflowId: string,
  ): Promise<WorkflowHeader & { deliverable: DeliverableInfo }> {
    const header = await this.deps.tracking.ownedHeader(caller, workflowId);
    if (!header.deliverable)
      throw conflict(`Export ${header.export_workflow_id} is ${header.status}: it has no deliverable yet.`);
    return { ...header, deliverable: header.deliverable };
  }

  private async start(
    control: OrchestrationControl,
    caller: Caller,
    workflowId: string,
    input: Omit<WorkflowStart, 'export_workflow_id' | 'owner' | 'started_at'>,
  ) {
    const owner = caller.oid ? { email: caller.email, oid: caller.oid } : { email: caller.email };
    await control.start(exportWorkflow.name, workflowId, {
      export_workflow_id: workflowId,
      owner,
      ...input,
    });
  }

  private async requireExtracted(caller: Caller, documentId: string): Promise<void> {
    const document = await this.deps.documents.get(caller, documentId);
    if (document.status !== 'extracted') {
      throw conflict(
        `Document ${documentId} has no extracted data yet: POST /api/v1/docs/${documentId}/extract first.`,
      );
    }
  }

  private async awaitDeliverable(
    control: OrchestrationControl,
    caller: Caller,
    workflowId: string,
  ): Promise<DeliverableOutcome> {
    const finished = await this.awaitRuntime(control, workflowId, () => false);
    const header = finished ? await this.deps.tracking.header(caller.email, workflowId) : undefined;
    await this.failIfFailed(caller, workflowId, header);
    return header?.status === 'completed' && header.deliverable
      ? { kind: 'file', workflow_id: workflowId, deliverable: header.deliverable }
      : { kind: 'pending', workflow_id: workflowId };
  }

  /**
   * Waits, up to the limit, for the orchestration to finish or to reach a point `reached` sees in
   * its custom status. Polls the Durable status (cheap), not the records.
   */
  private awaitRuntime(
    control: OrchestrationControl,
    workflowId: string,
    reached: (customStatus: unknown) => boolean,
  ): Promise<true | undefined> {
    return waitFor(
      async () => {
        const status = await control.status(workflowId);
        if (!status) return undefined;
        const finished = ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus);
        return finished || reached(status.customStatus) ? true : undefined;
      },
      this.deps.waitLimitMs,
      25,
    );
  }

  /** A workflow that failed for good answers 503 with its recorded reason. */
  private async failIfFailed(caller: Caller, workflowId: string, header?: WorkflowHeader): Promise<void> {
    const current = header ?? (await this.deps.tracking.header(caller.email, workflowId));
    if (current?.status === 'failed') {
      throw unavailable(
        'The export',
        30,
        `Export ${workflowId} failed: ${current.error_message ?? 'see the workflow record'}`,
      );
    }
  }
}
