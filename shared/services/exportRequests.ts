import { randomUUID } from 'node:crypto';
import { AppError, conflict, isErrorCode, unavailable } from '../core/errors';
import type { Caller } from '../core/identity';
import { waitFor } from '../core/wait';
import {
  assertStage2Fits,
  editsId,
  pendingHeader,
  type DeliverableInfo,
  type HeaderChoices,
  type EditsRecord,
  type UserModifications,
  type UserPreferences,
  type WorkflowHeader,
  type WorkflowStatus,
} from '../domain/exportRecords';
import {
  assertDataSize,
  modificationsOf,
  type EditsRequest,
  type ReviewRequest,
} from '../domain/exportSubmissions';
import type { AiSummary } from '../domain/summary';
import type { OrchestrationControl } from '../ports/orchestration';
import {
  exportWorkflow,
  type EditsSubmitted,
  type ReviewTiming,
  type WorkflowInput,
} from '../workflows/exportWorkflowDefinition';
import type { DocumentsService } from './documents';
import { alreadySubmitted, type ExportTrackingStore } from './exportTracking';

export type ReviewOutcome =
  { kind: 'ready'; workflow_id: string; ai_summary: AiSummary } | { kind: 'pending'; workflow_id: string };
export type DeliverableOutcome =
  | { kind: 'file'; workflow_id: string; deliverable: DeliverableInfo }
  | { kind: 'pending'; workflow_id: string };

interface Dependencies {
  documents: DocumentsService;
  tracking: ExportTrackingStore;
  waitLimitMs: number;
  /** The review window and the engine's longest timer (settings); absent: the workflow's defaults. */
  review?: ReviewTiming;
}

/** Where a workflow ends; phase 2 waits for one of them. */
const endStatuses: readonly WorkflowStatus[] = ['completed', 'failed', 'expired'];

/**
 * What the export endpoints do: start and drive `exportWorkflow`, waiting a bounded time for it.
 * `control` is the calling invocation's Durable client. The user's data goes to Cosmos first;
 * the orchestration only ever receives ids.
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
    const header = await this.drive(control, caller, workflowId, {
      act: () => this.start(control, caller, workflowId, documentId, request),
      // The summary is recorded before the header moves on from `pending`.
      settled: (h) => h.status !== 'pending',
      reached: (customStatus) => ((customStatus as { stage?: number } | null)?.stage ?? 0) >= 1,
    });
    const stage1 =
      header && header.status !== 'pending'
        ? await this.deps.tracking.stage(caller.email, workflowId, 1)
        : undefined;
    if (!stage1) await this.failIfFailed(caller, workflowId, header);
    return stage1
      ? { kind: 'ready', workflow_id: workflowId, ai_summary: stage1.ai_summary }
      : { kind: 'pending', workflow_id: workflowId };
  }

  /**
   * Phase 2: the user's edits for a waiting workflow, or a new workflow run through all stages.
   * Runs once per workflow: the edits claim the header with a conditional write, so of two
   * simultaneous submits one wins and the other is told (409 `already_submitted`).
   */
  async submitEdits(
    control: OrchestrationControl,
    caller: Caller,
    documentId: string,
    request: EditsRequest,
    now: Date,
  ): Promise<DeliverableOutcome> {
    assertDataSize(request.data);
    const modifications = modificationsOf(request, now);
    const workflowId = request.export_workflow_id;
    if (!workflowId) {
      const document = await this.requireExtracted(caller, documentId);
      assertStage2Fits(document.extracted_data ?? {}, request.data);
      return this.startWithEdits(control, caller, documentId, modifications, {
        format: request.format,
        document_template: request.document_template,
      });
    }

    const header = await this.deps.tracking.ownedHeader(caller, workflowId);
    if (header.document_id !== documentId)
      throw conflict(`Workflow ${workflowId} belongs to another document.`);
    if (header.edits_id) throw alreadySubmitted(workflowId);
    if (header.status !== 'awaiting_user_review') {
      throw conflict(
        `Workflow ${workflowId} is ${header.status}; edits are only taken while it awaits review.`,
      );
    }
    const stage1 = await this.deps.tracking.stage(caller.email, workflowId, 1);
    assertStage2Fits(stage1?.original_extracted_data ?? {}, request.data);

    const edits = await this.saveEdits(caller, header, modifications);
    try {
      await this.deps.tracking.claimEdits(header, edits.id);
    } catch (error) {
      await this.deps.tracking.deleteEdits(caller.email, edits.id);
      throw error;
    }
    return this.awaitDeliverable(control, caller, workflowId, () =>
      control.raise(workflowId, exportWorkflow.events.userModifications, {
        edits_id: edits.id,
      } satisfies EditsSubmitted),
    );
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
    return this.startWithEdits(
      control,
      caller,
      header.document_id,
      { data: stage2.modified_data, preferences, received_at: now.toISOString() },
      {
        format: preferences.format,
        document_template: preferences.document_template,
        regenerated_from: sourceId,
      },
    );
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

  /** A new workflow whose edits are known from the start: its header is claimed when it is created. */
  private async startWithEdits(
    control: OrchestrationControl,
    caller: Caller,
    documentId: string,
    modifications: UserModifications,
    choices: HeaderChoices,
  ): Promise<DeliverableOutcome> {
    const workflowId = randomUUID();
    const edits = await this.saveEdits(
      caller,
      { export_workflow_id: workflowId, document_id: documentId },
      modifications,
    );
    return this.awaitDeliverable(control, caller, workflowId, async () => {
      await this.start(control, caller, workflowId, documentId, { ...choices, edits_id: edits.id });
      // Raised right after the start: Durable keeps an event that arrives before the orchestration waits for it.
      await control.raise(workflowId, exportWorkflow.events.userModifications, {
        edits_id: edits.id,
      } satisfies EditsSubmitted);
    });
  }

  private saveEdits(
    caller: Caller,
    workflow: Pick<WorkflowHeader, 'export_workflow_id' | 'document_id'>,
    modifications: UserModifications,
  ): Promise<EditsRecord> {
    const record: EditsRecord = {
      id: editsId(workflow.export_workflow_id, randomUUID()),
      type: 'edits',
      owner_email: caller.email,
      ...(caller.oid ? { owner_oid: caller.oid } : {}),
      document_id: workflow.document_id,
      export_workflow_id: workflow.export_workflow_id,
      stage: 2,
      status: 'awaiting_final_processing',
      timestamp: modifications.received_at,
      modifications,
    };
    return this.deps.tracking.save(record).then(() => record);
  }

  /**
   * Records the workflow's header (status `pending`) and only then starts its orchestration, so
   * the status link handed out answers from the first moment.
   */
  private async start(
    control: OrchestrationControl,
    caller: Caller,
    workflowId: string,
    documentId: string,
    choices: HeaderChoices,
  ) {
    const owner = caller.oid ? { email: caller.email, oid: caller.oid } : { email: caller.email };
    await this.deps.tracking.createHeader(
      pendingHeader(owner, workflowId, documentId, new Date().toISOString(), choices),
    );
    try {
      await control.start(exportWorkflow.name, workflowId, {
        export_workflow_id: workflowId,
        owner,
        document_id: documentId,
        ...(this.deps.review ? { review: this.deps.review } : {}),
      } satisfies WorkflowInput);
    } catch (error) {
      // Never leave a pending header that nothing drives: it says why it stopped.
      await this.deps.tracking.updateHeader(owner.email, workflowId, () => ({
        status: 'failed',
        error_message: 'The export could not be started; try again.',
      }));
      throw error;
    }
  }

  private async requireExtracted(caller: Caller, documentId: string) {
    const document = await this.deps.documents.get(caller, documentId);
    if (document.status !== 'extracted') {
      throw conflict(
        `Document ${documentId} has no extracted data yet: POST /api/v1/docs/${documentId}/extract first.`,
      );
    }
    return document;
  }

  /** Runs `act` (a start, an event) and waits for the workflow to end, then answers with its file. */
  private async awaitDeliverable(
    control: OrchestrationControl,
    caller: Caller,
    workflowId: string,
    act: () => Promise<void>,
  ): Promise<DeliverableOutcome> {
    const header = await this.drive(control, caller, workflowId, {
      act,
      settled: (h) => endStatuses.includes(h.status),
      reached: () => false,
    });
    await this.failIfFailed(caller, workflowId, header);
    if (header?.status === 'expired')
      throw conflict(`Workflow ${workflowId} expired before the edits arrived; start a new export.`);
    return header?.status === 'completed' && header.deliverable
      ? { kind: 'file', workflow_id: workflowId, deliverable: header.deliverable }
      : { kind: 'pending', workflow_id: workflowId };
  }

  /**
   * Runs `act`, then waits, up to the limit, until the workflow's header is `settled`, and answers
   * with it (undefined when the limit passed first). The activities that move the workflow on
   * usually run in this process, and their header writes answer at once, for free. The fallback,
   * for work done on another instance or worker process, polls the Durable status (finished, or
   * `reached` in its custom status, then the header is read) after 100 ms, backing off to once a
   * second: polls of every waiting request used to be most of the task hub's load under many
   * users (at a 25 ms cap, 32 waiters cost ~1,300 status queries a second).
   */
  private async drive(
    control: OrchestrationControl,
    caller: Caller,
    workflowId: string,
    steps: {
      act: () => Promise<void>;
      settled: (header: WorkflowHeader) => boolean;
      reached: (customStatus: unknown) => boolean;
    },
  ): Promise<WorkflowHeader | undefined> {
    // Watched before acting, so a write that lands before the wait begins still counts.
    const feed = this.deps.tracking.watchHeader(workflowId);
    try {
      await steps.act();
      return await waitFor({
        limitMs: this.deps.waitLimitMs,
        firstPollMs: 100,
        maxPollMs: 1_000,
        changes: { feed, settle: (header) => (steps.settled(header) ? header : undefined) },
        poll: async () => {
          const status = await control.status(workflowId);
          if (!status) return undefined;
          const finished = ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus);
          if (!finished && !steps.reached(status.customStatus)) return undefined;
          return this.deps.tracking.header(caller.email, workflowId);
        },
      });
    } finally {
      feed.close();
    }
  }

  /**
   * A workflow that failed for good says why: a permanent fault (too large, refused) with its own
   * code and status, anything else as 503 with the recorded reason.
   */
  private async failIfFailed(caller: Caller, workflowId: string, header?: WorkflowHeader): Promise<void> {
    const current = header ?? (await this.deps.tracking.header(caller.email, workflowId));
    if (current?.status !== 'failed') return;
    const reason = `Export ${workflowId} failed: ${current.error_message ?? 'see the workflow record'}`;
    if (current.error_code && isErrorCode(current.error_code)) throw new AppError(current.error_code, reason);
    throw unavailable('The export', 30, reason);
  }
}
