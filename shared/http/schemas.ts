import { z } from 'zod';
import { errorCodes } from '../core/errors';
import { deliverableFormats, workflowStatuses } from '../domain/exportRecords';
import {
  dataTypes,
  jobFormats,
  jobRequestSchema,
  jobWarningSchema,
  reconciliationSchema,
} from '../domain/jobs';
import { frequencies, scheduleExportSchema, scheduleTimingSchema } from '../domain/scheduleRules';
import { aiSummarySchema } from '../domain/summary';
import { templateCustomizationSchema, templateNames } from '../domain/templates';

/** A file name as users give it: no path separators or control characters, so it is safe in blob paths and headers. */
export const fileName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    (v) => !/[/\\\u0000-\u001f\u007f]/.test(v) && v !== '.' && v !== '..',
    'must not contain path separators or control characters',
  );

export const documentType = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_-]{0,49}$/, 'must be a short name such as invoice, receipt, layout or general');

/** Extracted data is a JSON object or array (never a bare scalar). */
export const extractedData = z.union([z.record(z.string(), z.json()), z.array(z.json())]);

export const createDocumentBody = z
  .object({
    file_name: fileName,
    document_type: documentType.default('general'),
    extracted_data: extractedData,
  })
  .strict();

export const uploadQuery = z.object({ file_name: fileName, document_type: documentType.default('general') });

/** `json`, `csv`, `xlsx` (or `excel`), `pdf`, any case. */
export const deliverableFormat = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => (v === 'excel' ? 'xlsx' : v))
  .pipe(z.enum(deliverableFormats, { error: `must be one of json, csv, xlsx (excel), pdf` }));

export const documentTemplate = z.enum(templateNames, {
  error: `must be one of ${templateNames.join(', ')}`,
});

export const phase1Body = z
  .object({
    use_ai_review: z.literal(true),
    format: deliverableFormat.optional(),
    document_template: documentTemplate.optional(),
  })
  .strict();

export const phase2Body = z
  .object({
    use_ai_template_generation: z.literal(true),
    export_workflow_id: z.uuid().optional(),
    format: deliverableFormat,
    data: extractedData,
    transformation_instructions: z.string().max(4000).optional(),
    document_template: documentTemplate.default('standard'),
    template_customization: templateCustomizationSchema.optional(),
    editing_started_at: z.iso.datetime({ offset: true }).optional(),
    edit_count: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict()
  .refine((b) => b.document_template === 'custom' || b.template_customization === undefined, {
    path: ['template_customization'],
    message: 'only applies to the custom template',
  });

/** The export body's phase is told by its flag, so errors name the fields of the phase meant. */
export const exportBody = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .transform((body, ctx) => {
    const phase = 'use_ai_review' in body ? phase1Body : phase2Body;
    const parsed = phase.safeParse(body);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  });

export const regenerateBody = z
  .object({
    format: deliverableFormat.optional(),
    document_template: documentTemplate.optional(),
    template_customization: templateCustomizationSchema.optional(),
  })
  .strict();

/** Every download: the bytes, or with `?redirect=true` a 302 to a short-lived read-only URL. */
export const downloadQuery = z.object({ redirect: z.enum(['true', 'false']).default('false') });

export const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  continuation: z.string().min(1).max(4096).optional(),
  status: z.enum(workflowStatuses).optional(),
  document_id: z.string().min(1).max(100).optional(),
});

// ---------------------------------------------------------------------------------------------
// Route parameters: the ids this API hands out.

/** Ids we hand out are UUIDs or schedule slot keys; anything longer is not one of ours. */
export const maxRouteParamLength = 256;
/** What our ids are made of: no spaces, separators or control characters, which Cosmos DB also refuses in ids. */
export const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
export const routeId = z.string().min(1).max(maxRouteParamLength).regex(idPattern);

// ---------------------------------------------------------------------------------------------
// Request bodies as the contract describes them. Some bodies are validated in two steps (the
// export body picks its phase first, a schedule validates its export and timing parts apart, so
// errors name the fields of what was meant); these are the same schemas, composed as one shape.

/** `POST /api/v1/docs/{document_id}/export`: phase 1 or phase 2, told apart by its flag. */
export const exportRequest = z.union([phase1Body, phase2Body]);

/** `POST /api/v1/export-schedules`: the export fields and the timing fields of one schedule. */
export const scheduleRequest = scheduleExportSchema.extend(scheduleTimingSchema.in.shape).strict();

/** `PATCH /api/v1/export-schedules/{id}`: any of the fields; the schedule they make is validated whole. */
export const scheduleChangesRequest = scheduleRequest.partial();

// ---------------------------------------------------------------------------------------------
// Response bodies. Strict objects: a field a handler adds without documenting it fails the
// contract test (tests/support/api.ts checks every e2e response against the served document).

const timestamp = z.iso.datetime({ offset: true });
const nullableTimestamp = timestamp.nullable();

/** The JSON error body every failure answers with (`errorBody` in endpoint.ts builds it). */
export const errorResponse = z.strictObject({
  error: z.strictObject({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.array(z.strictObject({ field: z.string().optional(), message: z.string() })),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponse>;

const dependencyProbe = z.strictObject({ state: z.enum(['up', 'down']), error: z.string().optional() });
export const healthResponse = z.strictObject({
  status: z.enum(['healthy', 'unhealthy']),
  dependencies: z.strictObject({
    cosmos: dependencyProbe,
    blob: dependencyProbe,
    openai: z.enum(['configured', 'local']),
    document_intelligence: z.enum(['configured', 'local']),
  }),
  checked_at: timestamp,
});

const json = z.json();

export const documentResponse = z.strictObject({
  document_id: z.string(),
  owner_email: z.string(),
  file_name: z.string(),
  document_type: z.string(),
  status: z.enum(['uploaded', 'extracted']),
  content_type: z.string().optional(),
  file_size: z.number().int().optional(),
  blob_path: z.string().optional(),
  extracted_data: json.optional(),
  extraction_method: z.string().optional(),
  extraction_confidence: z.number().optional(),
  created_at: timestamp,
  updated_at: timestamp,
});

/** A page of a list: `continuation` is the token for the next page, null on the last. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), continuation: z.string().nullable() });

export const documentPageResponse = pageOf(documentResponse);

export const exportLinksResponse = z.strictObject({
  self: z.string(),
  status: z.string(),
  download: z.string(),
  submit: z.string().optional(),
});

export const exportRunningResponse = z.strictObject({
  export_workflow_id: z.string(),
  status: z.literal('running'),
  links: exportLinksResponse,
});

export const reviewResponse = z.strictObject({
  export_workflow_id: z.string(),
  status: z.literal('awaiting_user_review'),
  stage: z.literal(1),
  ai_summary: aiSummarySchema,
  links: exportLinksResponse,
});

const exportWarning = z.strictObject({
  code: z.string(),
  message: z.string(),
  count: z.number().int(),
  /** The first record concerned, by its 1-based position in the file, where the writer can tell. */
  first_record: z.number().int().positive().optional(),
});
const deliverableInfo = z.strictObject({
  file_name: z.string(),
  file_size: z.number().int(),
  format: z.enum(deliverableFormats),
  mime_type: z.string(),
  sha256: z.string(),
  blob_path: z.string(),
  warnings: z.array(exportWarning),
});

export const historyEntryResponse = z.strictObject({
  export_workflow_id: z.string(),
  document_id: z.string(),
  status: z.enum(workflowStatuses),
  stage: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  format: z.enum(deliverableFormats).nullable(),
  document_template: z.enum(templateNames).nullable(),
  created_at: timestamp,
  completed_at: nullableTimestamp,
  deliverable: deliverableInfo.nullable(),
  regenerated_from: z.string().optional(),
});

const aiMetadata = z.strictObject({
  model: z.string(),
  processing_time_ms: z.number(),
  tokens: z.strictObject({ prompt: z.number(), completion: z.number(), total: z.number() }),
});
const changes = z.strictObject({
  modifications: z.array(z.strictObject({ path: z.string(), old_value: json, new_value: json })),
  additions: z.array(z.strictObject({ path: z.string(), new_value: json })),
  deletions: z.array(z.strictObject({ path: z.string(), old_value: json })),
  counts: z.strictObject({
    modifications: z.number().int(),
    additions: z.number().int(),
    deletions: z.number().int(),
    total: z.number().int(),
  }),
});

/** What every recorded stage carries; each stage adds its own fields (README: The export workflow). */
const stageBase = {
  id: z.string(),
  type: z.literal('stage'),
  owner_email: z.string(),
  document_id: z.string(),
  export_workflow_id: z.string(),
  status: z.enum(workflowStatuses),
  timestamp,
  ttl: z.number().int().optional(),
};
const stageRecord = z.discriminatedUnion('stage', [
  z.looseObject({
    ...stageBase,
    stage: z.literal(1),
    stage_name: z.literal('initial_ai_summary'),
    original_extracted_data: json,
    ai_summary: aiSummarySchema,
    ai_metadata: aiMetadata,
  }),
  z.looseObject({
    ...stageBase,
    stage: z.literal(2),
    stage_name: z.literal('user_modifications'),
    stage_1_id: z.string(),
    original_data: json,
    modified_data: json,
    changes,
  }),
  z.looseObject({
    ...stageBase,
    stage: z.literal(3),
    stage_name: z.literal('final_deliverable'),
    stage_1_id: z.string(),
    stage_2_id: z.string(),
    final_ai_summary: aiSummarySchema,
    deliverable: deliverableInfo,
    traceability: z.tuple([z.string(), z.string(), z.string()]),
  }),
]);

export const workflowResponse = historyEntryResponse.extend({
  error_message: z.string().optional(),
  error_code: z.string().optional(),
  runtime_status: z
    .string()
    .nullable()
    .describe(
      "The orchestration's Durable runtime status; it can read Running for a moment after phase 2 answered, while the orchestration records its end.",
    ),
  stages: z.array(stageRecord),
  links: exportLinksResponse,
});

export const historyPageResponse = pageOf(historyEntryResponse);

const workflowBrief = z.strictObject({
  export_workflow_id: z.string(),
  document_id: z.string(),
  status: z.string(),
  format: z.string().nullable(),
  document_template: z.string().nullable(),
});
export const comparisonResponse = z.strictObject({
  a: workflowBrief,
  b: workflowBrief,
  same_document: z.boolean(),
  data_changes: changes,
  preference_changes: changes,
  summary_changes: changes,
  deliverable_changes: changes,
  same_deliverable_content: z.boolean(),
});

export const jobLinksResponse = z.strictObject({
  self: z.string(),
  download: z.string(),
  cancel: z.string(),
  resume: z.string(),
});
const jobStatus = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled', 'expired']);

export const jobAcceptedResponse = z.strictObject({
  job_id: z.string(),
  status: jobStatus,
  links: jobLinksResponse,
});

/** A job as `jobView` (jobResponses.ts) shows it. */
export const jobResponse = z.strictObject({
  job_id: z.string(),
  status: jobStatus,
  trigger: z.enum(['api', 'schedule']),
  schedule_id: z.string().optional(),
  data_types: z.array(z.enum(dataTypes)),
  format: z.enum(jobFormats),
  filters: jobRequestSchema.shape.filters.unwrap(),
  start_date: z.string().nullable(),
  end_date: z.string().nullable(),
  progress: z.partialRecord(z.enum(dataTypes), z.number().int().min(0).max(100)),
  current_batch: z.number().int(),
  total_batches: z.number().int(),
  processed_records: z.number().int(),
  /** While finalize's first pass looks for every column: records it has read. */
  scanned_records: z.number().int().optional(),
  finalized_records: z.number().int().optional(),
  total_records: z.number().int(),
  created_at: timestamp,
  started_at: nullableTimestamp,
  updated_at: timestamp,
  completed_at: nullableTimestamp,
  error_message: z.string().nullable(),
  error_code: z.string().nullable(),
  error_id: z.string().nullable(),
  /** What the file could not hold exactly as given, one entry per code. */
  warnings: z.array(jobWarningSchema),
  /** Per data type: records read, and rows the file holds for them. */
  reconciliation: reconciliationSchema,
  file: z
    .strictObject({
      file_name: z.string(),
      file_size: z.number().int(),
      sha256: z.string(),
      rows: z.number().int(),
    })
    .nullable(),
  expires_at: nullableTimestamp,
  links: jobLinksResponse,
});

export const jobPageResponse = pageOf(jobResponse);

/** A schedule as `scheduleView` (jobResponses.ts) shows it. */
export const scheduleResponse = z.strictObject({
  schedule_id: z.string(),
  owner_email: z.string(),
  name: z.string(),
  data_types: z.array(z.enum(dataTypes)),
  format: z.enum(jobFormats),
  filters: jobRequestSchema.shape.filters,
  include_metadata: z.boolean(),
  compression: z.boolean(),
  active: z.boolean(),
  frequency: z.enum(frequencies),
  time_of_day: z.string(),
  timezone: z.string(),
  day_of_week: z.string().optional(),
  day_of_month: z.number().int().optional(),
  next_run: nullableTimestamp,
  last_run: nullableTimestamp,
  last_status: z.enum(['pending', 'completed', 'failed']).nullable(),
  last_job_id: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

/** The served OpenAPI document, as far as a client relies on it (its generator is contract/openapi.ts). */
export const openApiDocumentResponse = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const schedulePageResponse = pageOf(scheduleResponse);

// What handlers build, typed by the contract: a field added or renamed without its schema fails to compile.
export type ReviewResponse = z.output<typeof reviewResponse>;
export type ExportRunningResponse = z.output<typeof exportRunningResponse>;
export type HistoryEntryResponse = z.output<typeof historyEntryResponse>;
export type JobAcceptedResponse = z.output<typeof jobAcceptedResponse>;
export type HealthResponse = z.output<typeof healthResponse>;
export type ComparisonResponse = z.output<typeof comparisonResponse>;
