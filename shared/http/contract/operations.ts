import type { z } from 'zod';
import type { ErrorCode } from '../../core/errors';
import { mimeTypeFor } from '../../formats/formatNames';
import { deliverableFormats } from '../../domain/exportRecords';
import { jobFormats, jobRequestSchema } from '../../domain/jobs';
import { pageQuery } from '../../core/paging';
import {
  comparisonResponse,
  openApiDocumentResponse,
  createDocumentBody,
  documentResponse,
  downloadQuery,
  exportRequest,
  exportRunningResponse,
  healthResponse,
  historyQuery,
  jobAcceptedResponse,
  jobResponse,
  documentPageResponse,
  historyPageResponse,
  jobPageResponse,
  schedulePageResponse,
  regenerateBody,
  reviewResponse,
  scheduleChangesRequest,
  scheduleRequest,
  scheduleResponse,
  uploadQuery,
  workflowResponse,
} from '../schemas';

/**
 * The API's contract, one entry per HTTP function: what the registrations in functions/ serve
 * (`httpTrigger` below hands them their route and method), what the OpenAPI document describes
 * (openapi.ts) and what the e2e tests check every response against (tests/support/contract.ts).
 * A route cannot be registered without an entry here, and an entry is only what its handler
 * validates with and answers: the request schemas are the ones the handlers parse with.
 */

/** Response headers the API sets; a browser client reads them (CORS exposes them). */
export const responseHeaders = {
  location: 'Where the created resource, or the status of the running work, is.',
  'retry-after': 'Seconds to wait before polling again (202) or retrying (503).',
  'content-disposition': 'attachment; with the file name (RFC 6266 `filename*` for non-ASCII names).',
  'x-export-workflow-id': 'The workflow the file belongs to.',
  'x-content-sha256': 'SHA-256 of the file bytes, hex: check the download against it.',
  'x-export-warnings':
    "How many kinds of loss the format forced on the file (0: none); listed in stage 3's `deliverable.warnings`.",
  'x-request-id': 'Quote it when reporting a 500: the log carries it.',
} as const;
export type ResponseHeader = keyof typeof responseHeaders;

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface ResponseSpec {
  description: string;
  /** The JSON body's schema (its output shape). */
  json?: z.ZodType;
  /** A file in one of these media types, with Content-Disposition; JSON ones are told apart by it. */
  file?: readonly string[];
  /** Headers every such response carries. */
  headers?: readonly ResponseHeader[];
}

export interface Operation {
  method: HttpMethod;
  /** The route as registered (under `/api`), with `{name}` parameters. */
  route: string;
  summary: string;
  /** Open to anyone; every other operation needs the caller's principal. */
  anonymous?: true;
  query?: z.ZodObject;
  /** The JSON body the handler validates with (its input shape). */
  jsonBody?: z.ZodType;
  /** Raw file uploads this operation takes (media types), told apart from JSON by `?file_name=`. */
  uploads?: readonly string[];
  responses: Readonly<Record<number, ResponseSpec>>;
  /** The error codes it answers with (each with its status from core/errors.ts). */
  errors: readonly ErrorCode[];
}

/** Failures any authenticated operation can answer with. */
const callerErrors: ErrorCode[] = [
  'invalid_request',
  'unauthenticated',
  'dependency_unavailable',
  'internal_error',
];
/** A path with an id: another user's answers 404 like a missing one. */
const byIdErrors: ErrorCode[] = [...callerErrors, 'not_found'];
/** A JSON body is bounded and must be JSON. */
const bodyErrors: ErrorCode[] = ['payload_too_large', 'unsupported_media_type'];

/** What `POST /api/v1/docs?file_name=` takes (services/extraction.ts `uploadKind` decides; a unit test holds them equal). */
export const uploadMediaTypes = [
  'text/csv',
  'application/json',
  mimeTypeFor('xlsx'),
  'application/pdf',
  ...['png', 'jpeg', 'tiff', 'bmp', 'heif'].map((image) => `image/${image}`),
] as const;

const deliverableMediaTypes = deliverableFormats.map((f) => mimeTypeFor(f));
const jobFileMediaTypes = [...new Set([...jobFormats.map((f) => mimeTypeFor(f)), mimeTypeFor('json', true)])];

const stillRunning: ResponseSpec = {
  description: 'Still running past `EXPORT_WAIT_LIMIT_MS`: poll `Location` (our own status link).',
  json: exportRunningResponse,
  headers: ['location', 'retry-after'],
};
const deliverable: ResponseSpec = {
  description: 'The deliverable file.',
  file: deliverableMediaTypes,
  headers: ['content-disposition', 'x-export-workflow-id', 'x-content-sha256', 'x-export-warnings'],
};
const redirect: ResponseSpec = {
  description: '`?redirect=true`: `Location` is a read-only URL to the file, valid 15 minutes.',
  headers: ['location'],
};

export const operations = {
  health: {
    method: 'GET',
    route: 'v1/health',
    summary: "Each dependency's state",
    anonymous: true,
    responses: {
      200: { description: 'Every required dependency is up.', json: healthResponse },
      503: { description: 'A required dependency is down.', json: healthResponse, headers: ['retry-after'] },
    },
    errors: ['internal_error'],
  },
  createDocument: {
    method: 'POST',
    route: 'v1/docs',
    summary: 'Create a document from extracted data (JSON) or from an uploaded file',
    query: uploadQuery.partial(),
    jsonBody: createDocumentBody,
    uploads: uploadMediaTypes,
    responses: {
      201: { description: 'The document.', json: documentResponse, headers: ['location'] },
    },
    errors: [...callerErrors, ...bodyErrors, 'unprocessable_document'],
  },
  extractDocument: {
    method: 'POST',
    route: 'v1/docs/{document_id}/extract',
    summary: "Extract an uploaded file's data",
    responses: { 200: { description: 'The document with `extracted_data`.', json: documentResponse } },
    errors: [...byIdErrors, 'conflict', 'unprocessable_document'],
  },
  listDocuments: {
    method: 'GET',
    route: 'v1/docs',
    summary: "The caller's documents, newest first",
    query: pageQuery,
    responses: { 200: { description: 'A page of documents.', json: documentPageResponse } },
    errors: callerErrors,
  },
  getDocument: {
    method: 'GET',
    route: 'v1/docs/{document_id}',
    summary: 'One document',
    responses: { 200: { description: 'The document.', json: documentResponse } },
    errors: byIdErrors,
  },
  exportDocument: {
    method: 'POST',
    route: 'v1/docs/{document_id}/export',
    summary: 'Phase 1 (AI review) or phase 2 (the file from the edited data)',
    jsonBody: exportRequest,
    responses: {
      200: {
        description:
          'Phase 1: the stage 1 review (JSON). Phase 2: the file, with Content-Disposition (a JSON file is told apart from the review by it).',
        json: reviewResponse,
        file: deliverableMediaTypes,
      },
      202: stillRunning,
    },
    errors: [...byIdErrors, ...bodyErrors, 'conflict', 'already_submitted', 'ai_rejected'],
  },
  exportHistory: {
    method: 'GET',
    route: 'v1/exports/history',
    summary: "The caller's workflows, newest first",
    query: historyQuery,
    responses: { 200: { description: 'A page of workflows.', json: historyPageResponse } },
    errors: callerErrors,
  },
  getExport: {
    method: 'GET',
    route: 'v1/exports/{export_workflow_id}',
    summary: 'The workflow, its recorded stages and runtime status',
    responses: { 200: { description: 'The workflow.', json: workflowResponse } },
    errors: byIdErrors,
  },
  downloadExport: {
    method: 'GET',
    route: 'v1/exports/{export_workflow_id}/download',
    summary: 'The deliverable',
    query: downloadQuery,
    responses: { 200: deliverable, 302: redirect },
    errors: [...byIdErrors, 'conflict'],
  },
  regenerateExport: {
    method: 'POST',
    route: 'v1/exports/{export_workflow_id}/regenerate',
    summary: 'A new workflow reusing the stage 2 data, in another format or template',
    jsonBody: regenerateBody,
    responses: { 200: deliverable, 202: stillRunning },
    errors: [...byIdErrors, ...bodyErrors, 'conflict', 'ai_rejected'],
  },
  compareExports: {
    method: 'GET',
    route: 'v1/exports/{a}/compare/{b}',
    summary: 'Field-level differences between two workflows',
    responses: { 200: { description: 'The differences.', json: comparisonResponse } },
    errors: byIdErrors,
  },
  createExportJob: {
    method: 'POST',
    route: 'v1/export-jobs',
    summary: 'Start a bulk export job',
    jsonBody: jobRequestSchema,
    responses: {
      202: {
        description: 'Recorded and started: poll `Location`.',
        json: jobAcceptedResponse,
        headers: ['location'],
      },
    },
    errors: [...callerErrors, ...bodyErrors],
  },
  listExportJobs: {
    method: 'GET',
    route: 'v1/export-jobs',
    summary: "The caller's jobs, newest first",
    query: pageQuery,
    responses: { 200: { description: 'A page of jobs.', json: jobPageResponse } },
    errors: callerErrors,
  },
  getExportJob: {
    method: 'GET',
    route: 'v1/export-jobs/{job_id}',
    summary: 'Status, progress per data type, batches, records, file',
    responses: { 200: { description: 'The job.', json: jobResponse } },
    errors: byIdErrors,
  },
  downloadExportJob: {
    method: 'GET',
    route: 'v1/export-jobs/{job_id}/download',
    summary: "The job's file",
    query: downloadQuery,
    responses: {
      200: {
        description: 'The file.',
        file: jobFileMediaTypes,
        headers: ['content-disposition', 'x-content-sha256'],
      },
      302: redirect,
    },
    errors: [...byIdErrors, 'conflict', 'gone'],
  },
  cancelExportJob: {
    method: 'POST',
    route: 'v1/export-jobs/{job_id}/cancel',
    summary: 'Stop the job and discard its parts',
    responses: { 200: { description: 'The cancelled job.', json: jobResponse } },
    errors: [...byIdErrors, 'conflict'],
  },
  resumeExportJob: {
    method: 'POST',
    route: 'v1/export-jobs/{job_id}/resume',
    summary: 'Continue a failed job from its last completed batch',
    responses: {
      202: { description: 'Started again: poll `Location`.', json: jobResponse, headers: ['location'] },
    },
    errors: [...byIdErrors, 'conflict'],
  },
  createExportSchedule: {
    method: 'POST',
    route: 'v1/export-schedules',
    summary: 'A recurring export',
    jsonBody: scheduleRequest,
    responses: {
      201: {
        description: 'The schedule with its `next_run`.',
        json: scheduleResponse,
        headers: ['location'],
      },
    },
    errors: [...callerErrors, ...bodyErrors],
  },
  listExportSchedules: {
    method: 'GET',
    route: 'v1/export-schedules',
    summary: "The caller's schedules",
    query: pageQuery,
    responses: { 200: { description: 'A page of schedules.', json: schedulePageResponse } },
    errors: callerErrors,
  },
  getExportSchedule: {
    method: 'GET',
    route: 'v1/export-schedules/{schedule_id}',
    summary: 'One schedule',
    responses: { 200: { description: 'The schedule.', json: scheduleResponse } },
    errors: byIdErrors,
  },
  updateExportSchedule: {
    method: 'PATCH',
    route: 'v1/export-schedules/{schedule_id}',
    summary: 'Change fields; the whole schedule is validated again',
    jsonBody: scheduleChangesRequest,
    responses: { 200: { description: 'The schedule.', json: scheduleResponse } },
    errors: [...byIdErrors, ...bodyErrors],
  },
  deleteExportSchedule: {
    method: 'DELETE',
    route: 'v1/export-schedules/{schedule_id}',
    summary: 'Stop future runs (files already written stay)',
    responses: { 204: { description: 'Deleted.' } },
    errors: byIdErrors,
  },
  runExportSchedule: {
    method: 'POST',
    route: 'v1/export-schedules/{schedule_id}/run',
    summary: 'Run the schedule now',
    responses: {
      202: {
        description: 'The job it started: poll `Location`.',
        json: jobAcceptedResponse,
        headers: ['location'],
      },
    },
    errors: [...byIdErrors, 'conflict'],
  },
  openApiDocument: {
    method: 'GET',
    route: 'v1/openapi.json',
    summary: 'This document',
    anonymous: true,
    responses: { 200: { description: 'The OpenAPI 3.1 document.', json: openApiDocumentResponse } },
    errors: ['internal_error'],
  },
  apiDocsPage: {
    method: 'GET',
    route: 'docs',
    summary: 'The API docs page (Swagger UI)',
    anonymous: true,
    responses: { 200: { description: 'The page.', file: ['text/html'] } },
    errors: ['internal_error'],
  },
  apiDocsAsset: {
    method: 'GET',
    route: 'docs/{file}',
    summary: "The docs page's scripts and styles",
    anonymous: true,
    responses: { 200: { description: 'The asset.', file: ['text/css', 'text/javascript', 'image/png'] } },
    errors: ['not_found', 'internal_error'],
  },
} as const satisfies Record<string, Operation>;

export type OperationId = keyof typeof operations;

/** The registration fields of an HTTP function, from its contract: functions/ cannot drift from it. */
export function httpTrigger(operationId: OperationId) {
  const operation: Operation = operations[operationId];
  return {
    route: operation.route,
    methods: [operation.method],
    ...(operation.anonymous ? { authLevel: 'anonymous' as const } : {}),
  };
}
