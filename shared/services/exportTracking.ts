import { EventEmitter } from 'node:events';
import { AppError } from '../core/errors';
import type { Caller } from '../core/identity';
import { openChangeFeed, type ChangeFeed } from '../core/wait';
import type { OwnedRecord, QueryParameter, RecordStore } from '../ports/records';
import {
  stageId,
  type EditsRecord,
  type StageRecord,
  type TrackingRecord,
  type WorkflowHeader,
  type WorkflowStatus,
} from '../domain/exportRecords';
import { callerPage, callerRecord } from './callerRecords';

type Stored = TrackingRecord & OwnedRecord;

export const alreadySubmitted = (workflowId: string) =>
  new AppError(
    'already_submitted',
    `Workflow ${workflowId} already took its edits; phase 2 runs once per workflow. Start a new export or regenerate this one.`,
  );

export interface HistoryFilter {
  limit: number;
  continuation?: string;
  status?: WorkflowStatus;
  document_id?: string;
}

/** The `export_tracking` container: one header per workflow and one item per stage. */
export class ExportTrackingStore {
  /** Header writes this process made, by workflow id: requests waiting on a workflow are woken by them. */
  private readonly headerWrites = new EventEmitter().setMaxListeners(0);

  constructor(private readonly items: RecordStore<Stored>) {}

  /**
   * The workflow's header as this process writes it, from now until `close()`: the activities
   * that move a workflow on run in the same worker as the request waiting for it, unless the app
   * runs on several instances or worker processes (then the waiting request's poll sees it).
   */
  watchHeader(workflowId: string): ChangeFeed<WorkflowHeader> {
    return openChangeFeed((listener) => {
      this.headerWrites.on(workflowId, listener);
      return () => this.headerWrites.off(workflowId, listener);
    });
  }

  private written(header: WorkflowHeader): WorkflowHeader {
    this.headerWrites.emit(header.export_workflow_id, header);
    return header;
  }

  /** Upsert: ids are deterministic, so writing again (a retried activity) replaces, never duplicates. */
  save(record: TrackingRecord): Promise<TrackingRecord> {
    return this.items.upsert(record);
  }

  /** The header of a new workflow; its id is new, so an existing one is a bug (409). */
  async createHeader(header: WorkflowHeader): Promise<WorkflowHeader> {
    return this.written((await this.items.create(header)) as WorkflowHeader);
  }

  /**
   * Changes the header by a write conditional on what was read, reading again when another
   * writer got in between: concurrent writers (a submit's claim, an activity) never undo each
   * other. `change` returns undefined to leave the header as it is.
   */
  async updateHeader(
    owner: string,
    workflowId: string,
    change: (header: WorkflowHeader) => Partial<WorkflowHeader> | undefined,
  ): Promise<WorkflowHeader> {
    for (let attempt = 1; ; attempt++) {
      const header = await this.header(owner, workflowId);
      if (!header) throw new Error(`Workflow ${workflowId} has no header record.`);
      const changes = change(header);
      if (!changes) return header;
      try {
        const saved = await this.items.replaceIfUnchanged({
          ...header,
          ...changes,
          updated_at: new Date().toISOString(),
        });
        return this.written(saved as WorkflowHeader);
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'conflict') || attempt === 5) throw error;
      }
    }
  }

  /**
   * Phase 2 runs once per workflow: the first submit's edits claim the header, conditional on the
   * state it was read in. A submit that finds it claimed, or loses the race, is refused.
   */
  async claimEdits(header: WorkflowHeader, editsId: string): Promise<void> {
    const refused = () => alreadySubmitted(header.export_workflow_id);
    if (header.edits_id) throw refused();
    try {
      this.written(
        (await this.items.replaceIfUnchanged({
          ...header,
          edits_id: editsId,
          updated_at: new Date().toISOString(),
        })) as WorkflowHeader,
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'conflict') throw refused();
      throw error;
    }
  }

  async edits(owner: string, id: string): Promise<EditsRecord | undefined> {
    const item = await this.items.read(owner, id);
    return item?.type === 'edits' ? item : undefined;
  }

  /** Removes edits that lost the claim, so nothing of them stays behind. */
  async deleteEdits(owner: string, id: string): Promise<void> {
    await this.items.delete(owner, id);
  }

  async header(owner: string, workflowId: string): Promise<WorkflowHeader | undefined> {
    const item = await this.items.read(owner, workflowId);
    return item?.type === 'workflow' ? item : undefined;
  }

  async stage<S extends StageRecord['stage']>(
    owner: string,
    workflowId: string,
    stage: S,
  ): Promise<Extract<StageRecord, { stage: S }> | undefined> {
    const item = await this.items.read(owner, stageId(workflowId, stage));
    return item?.type === 'stage' && item.stage === stage
      ? (item as Extract<StageRecord, { stage: S }>)
      : undefined;
  }

  /** The caller's workflow header; another user's answers like a missing one. */
  async ownedHeader(caller: Caller, workflowId: string): Promise<WorkflowHeader> {
    return callerRecord(
      this.items,
      caller,
      workflowId,
      'Export workflow',
      (r): r is WorkflowHeader & OwnedRecord => r.type === 'workflow',
    );
  }

  /** The caller's workflow with its stages so far; another user's answers like a missing one. */
  async workflow(
    caller: Caller,
    workflowId: string,
  ): Promise<{ header: WorkflowHeader; stages: StageRecord[] }> {
    const header = await this.ownedHeader(caller, workflowId);
    const page = await this.items.query(caller.email, {
      where: "c.export_workflow_id = @id AND c.type = 'stage'",
      parameters: [{ name: '@id', value: workflowId }],
      orderBy: 'c.stage ASC',
      limit: 3,
    });
    return { header, stages: page.items.filter((i): i is StageRecord & OwnedRecord => i.type === 'stage') };
  }

  /** The caller's workflows, newest first, one entry per workflow. */
  async history(
    caller: Caller,
    filter: HistoryFilter,
  ): Promise<{ items: WorkflowHeader[]; continuation?: string }> {
    const conditions = ["c.type = 'workflow'"];
    const parameters: QueryParameter[] = [];
    if (filter.status) {
      conditions.push('c.status = @status');
      parameters.push({ name: '@status', value: filter.status });
    }
    if (filter.document_id) {
      conditions.push('c.document_id = @document_id');
      parameters.push({ name: '@document_id', value: filter.document_id });
    }
    const page = await callerPage(this.items, caller, {
      where: conditions.join(' AND '),
      parameters,
      orderBy: 'c.timestamp DESC',
      limit: filter.limit,
      continuation: filter.continuation,
    });
    return {
      items: page.items.filter((i): i is WorkflowHeader & OwnedRecord => i.type === 'workflow'),
      continuation: page.continuation,
    };
  }
}
