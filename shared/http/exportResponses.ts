import type { HttpResponseInit } from '@azure/functions';
import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '../adapters/blob';
import type { DeliverableInfo, StageRecord, WorkflowHeader } from '../domain/exportRecords';
import { contentDisposition } from '../formats/contentDisposition';
import type { DeliverableOutcome } from '../services/exportRequests';
import { json } from './endpoint';

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
    { export_workflow_id: workflowId, status: 'running', links },
    { location: links.status, 'retry-after': '2' },
  );
}

/** Strips store internals from a record. */
export function publicRecord<T extends object>(record: T): Omit<T, 'owner_oid' | `_${string}`> {
  return Object.fromEntries(
    Object.entries(record).filter(([k]) => k !== 'owner_oid' && !k.startsWith('_')),
  ) as Omit<T, 'owner_oid' | `_${string}`>;
}

export function historyEntry(header: WorkflowHeader) {
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
    runtime_status: runtimeStatus,
    stages: stages.map(publicRecord),
    links: exportLinks(header.export_workflow_id, header.document_id),
  };
}

/** The deliverable's bytes with the SPEC headers. */
export async function fileResponse(
  blob: BlobStore,
  workflowId: string,
  deliverable: DeliverableInfo,
): Promise<HttpResponseInit> {
  const file = await blob.get('exports', deliverable.blob_path);
  const text = deliverable.format === 'csv' || deliverable.format === 'json';
  return {
    status: 200,
    body: await buffer(file.stream),
    headers: {
      'content-type': text ? `${deliverable.mime_type}; charset=utf-8` : deliverable.mime_type,
      'content-disposition': contentDisposition(deliverable.file_name),
      'x-export-workflow-id': workflowId,
      'x-content-sha256': deliverable.sha256,
      'cache-control': 'private, no-store',
    },
  };
}

export async function deliverableResponse(
  blob: BlobStore,
  outcome: DeliverableOutcome,
): Promise<HttpResponseInit> {
  return outcome.kind === 'file'
    ? fileResponse(blob, outcome.workflow_id, outcome.deliverable)
    : stillRunning(outcome.workflow_id);
}
