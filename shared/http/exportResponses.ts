import type { HttpResponseInit } from '@azure/functions';
import type { FileStore } from '../ports/files';
import type { DeliverableInfo, StageRecord, WorkflowHeader } from '../domain/exportRecords';
import { contentTypeFor } from '../formats/formatNames';
import type { DeliverableOutcome } from '../services/exportRequests';
import { fileResponse, type StoredFile } from './download';
import { json } from './endpoint';
import type { ExportRunningResponse, HistoryEntryResponse } from './schemas';

/** Our own status links: never Durable's webhook URLs, which carry a system key. */
export function exportLinks(workflowId: string, documentId?: string) {
  return {
    self: `/api/v1/exports/${workflowId}`,
    status: `/api/v1/exports/${workflowId}`,
    download: `/api/v1/exports/${workflowId}/download`,
    ...(documentId ? { submit: `/api/v1/docs/${documentId}/export` } : {}),
  };
}

/** 202: the work goes on; poll the status link. */
export function stillRunning(workflowId: string): HttpResponseInit {
  const links = exportLinks(workflowId);
  return json(
    202,
    { export_workflow_id: workflowId, status: 'running', links } satisfies ExportRunningResponse,
    { location: links.status, 'retry-after': '2' },
  );
}

/** Strips store internals from a record. */
export function publicRecord<T extends object>(record: T): Omit<T, 'owner_oid' | `_${string}`> {
  return Object.fromEntries(
    Object.entries(record).filter(([k]) => k !== 'owner_oid' && !k.startsWith('_')),
  ) as Omit<T, 'owner_oid' | `_${string}`>;
}

export function historyEntry(header: WorkflowHeader): HistoryEntryResponse {
  return {
    export_workflow_id: header.export_workflow_id,
    document_id: header.document_id,
    status: header.status,
    stage: header.stage,
    format: header.format ?? null,
    document_template: header.document_template ?? null,
    created_at: header.created_at,
    completed_at: header.completed_at ?? null,
    deliverable: header.deliverable ?? null,
    ...(header.regenerated_from ? { regenerated_from: header.regenerated_from } : {}),
  };
}

export function workflowView(header: WorkflowHeader, stages: StageRecord[], runtimeStatus: string | null) {
  return {
    ...historyEntry(header),
    ...(header.error_message ? { error_message: header.error_message } : {}),
    ...(header.error_code ? { error_code: header.error_code } : {}),
    runtime_status: runtimeStatus,
    stages: stages.map(publicRecord),
    links: exportLinks(header.export_workflow_id, header.document_id),
  };
}

/** The workflow and how many kinds of loss the file carries (details: the stage 3 `deliverable.warnings`). */
export function deliverableHeaders(workflowId: string, deliverable: DeliverableInfo): Record<string, string> {
  return {
    'x-export-workflow-id': workflowId,
    'x-export-warnings': String(deliverable.warnings.length),
  };
}

/** A deliverable as the download helpers take it. */
export function deliverableFile(deliverable: DeliverableInfo): StoredFile {
  return {
    container: 'exports',
    blob_path: deliverable.blob_path,
    file_name: deliverable.file_name,
    content_type: contentTypeFor(deliverable.format),
    sha256: deliverable.sha256,
  };
}

export async function deliverableResponse(
  blob: FileStore,
  outcome: DeliverableOutcome,
): Promise<HttpResponseInit> {
  return outcome.kind === 'file'
    ? fileResponse(
        blob,
        deliverableFile(outcome.deliverable),
        deliverableHeaders(outcome.workflow_id, outcome.deliverable),
      )
    : stillRunning(outcome.workflow_id);
}
