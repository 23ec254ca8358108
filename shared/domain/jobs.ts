import { z } from 'zod';
import { invalidRequest } from '../core/errors';

export const dataTypes = ['documents', 'export_tracking'] as const;
export type DataType = (typeof dataTypes)[number];

export const jobFormats = ['json', 'ndjson', 'csv', 'xlsx', 'pdf'] as const;
export type JobFormat = (typeof jobFormats)[number];

export type JobStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'expired';

/** A field path users may filter on: dotted identifiers only, so it can be spelled safely in SQL. */
const fieldPath = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}$/;

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const jobRequestSchema = z
  .object({
    data_types: z.array(z.enum(dataTypes)).min(1).max(dataTypes.length),
    format: z
      .string()
      .trim()
      .toLowerCase()
      .transform((v) => (v === 'excel' ? 'xlsx' : v === 'jsonl' ? 'ndjson' : v))
      .pipe(z.enum(jobFormats, { error: 'must be one of json, ndjson, csv, xlsx (excel), pdf' })),
    filters: z
      .object({
        document_type: z.string().trim().min(1).max(50).optional(),
        status: z.string().trim().min(1).max(50).optional(),
        document_id: z.string().trim().min(1).max(100).optional(),
        fields: z
          .record(
            z
              .string()
              .regex(fieldPath, 'field names are dotted identifiers such as extracted_data.InvoiceId'),
            z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]),
          )
          .refine((f) => Object.keys(f).length <= 10, 'at most 10 field filters')
          .optional(),
      })
      .strict()
      .optional(),
    start_date: isoDate.optional(),
    end_date: isoDate.optional(),
    batch_size: z.number().int().min(10).max(10_000).default(1000),
    include_metadata: z.boolean().default(false),
    compression: z
      .union([z.literal('gzip'), z.boolean(), z.literal('none')])
      .optional()
      .transform((v) => v === 'gzip' || v === true),
  })
  .strict()
  .refine((r) => new Set(r.data_types).size === r.data_types.length, {
    path: ['data_types'],
    message: 'must not repeat',
  })
  .refine((r) => !r.start_date || !r.end_date || Date.parse(r.start_date) <= Date.parse(r.end_date), {
    path: ['end_date'],
    message: 'must not be before start_date',
  });

export type JobRequest = z.infer<typeof jobRequestSchema>;

/** Where a data type's records live and which field dates them. */
export const dataTypeSources: Record<
  DataType,
  { container: 'documents' | 'export_tracking'; dateField: string }
> = {
  documents: { container: 'documents', dateField: 'created_at' },
  export_tracking: { container: 'export_tracking', dateField: 'timestamp' },
};

/** A SQL condition with its parameters: values are always bound, field names were validated. */
export interface SqlFilter {
  where: string;
  parameters: { name: string; value: string | number | boolean | null }[];
}

/** `extracted_data.InvoiceId` → `c["extracted_data"]["InvoiceId"]`, from a validated path only. */
function sqlPath(path: string): string {
  if (!fieldPath.test(path))
    throw invalidRequest(`"${path}" is not a field name.`, [
      { field: 'filters.fields', message: 'invalid name' },
    ]);
  return `c${path
    .split('.')
    .map((p) => `["${p}"]`)
    .join('')}`;
}

/** The job's filters and date range for one data type, as a parameterised condition. */
export function jobFilter(request: JobRequest, dataType: DataType): SqlFilter {
  const conditions: string[] = [];
  const parameters: SqlFilter['parameters'] = [];
  const bind = (expression: string, value: string | number | boolean | null) => {
    const name = `@p${parameters.length}`;
    parameters.push({ name, value });
    conditions.push(`${expression} = ${name}`);
  };
  if (dataType === 'export_tracking') conditions.push("c.type = 'stage'");
  const filters = request.filters ?? {};
  if (filters.document_type !== undefined) bind('c.document_type', filters.document_type);
  if (filters.status !== undefined) bind('c.status', filters.status);
  if (filters.document_id !== undefined) bind('c.document_id', filters.document_id);
  for (const [path, value] of Object.entries(filters.fields ?? {})) bind(sqlPath(path), value);
  const dateField = `c.${dataTypeSources[dataType].dateField}`;
  if (request.start_date) {
    parameters.push({ name: `@p${parameters.length}`, value: new Date(request.start_date).toISOString() });
    conditions.push(`${dateField} >= @p${parameters.length - 1}`);
  }
  if (request.end_date) {
    // A bare date means the whole day.
    const end = /^\d{4}-\d{2}-\d{2}$/.test(request.end_date)
      ? `${request.end_date}T23:59:59.999Z`
      : new Date(request.end_date).toISOString();
    parameters.push({ name: `@p${parameters.length}`, value: end });
    conditions.push(`${dateField} <= @p${parameters.length - 1}`);
  }
  return { where: conditions.join(' AND ') || 'true', parameters };
}

const systemFields = new Set([
  '_rid',
  '_self',
  '_etag',
  '_attachments',
  '_ts',
  'ttl',
  'owner_oid',
  'owner_email',
]);

/** A stored record as an export row: the data type, without store internals or owner identifiers. */
export function exportRow(dataType: DataType, stored: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = { data_type: dataType };
  for (const [key, value] of Object.entries(stored)) {
    if (!systemFields.has(key) && !(dataType === 'documents' && key === 'id')) row[key] = value;
  }
  return row;
}

/** Percent done, rounded down so 100 means every record is written. */
export function percent(done: number, total: number): number {
  return total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 100));
}

export interface JobFile {
  file_name: string;
  file_size: number;
  sha256: string;
  rows: number;
  mime_type: string;
  blob_path: string;
}

/** Where a job is in its work: the next batch to run and the key it continues after. */
export interface JobCheckpoint {
  type_index: number;
  batch_index: number;
  /** Last record id written for the current data type (records are read in id order). */
  cursor: string | null;
  records_before: number;
  /** File rows written so far (line items can make several rows of one record). */
  rows_before: number;
  /** Batches written per data type, in `data_types` order: they name the staged blocks. */
  batches_done: number[];
}

/** A bulk export job as stored in `export_jobs` (id = job_id). */
export interface JobRecord {
  id: string;
  job_id: string;
  type: 'export_job';
  owner_email: string;
  owner_oid?: string;
  trigger: 'api' | 'schedule';
  schedule_id?: string;
  request: JobRequest;
  status: JobStatus;
  target: { container: 'exports' | 'scheduled-exports'; path: string; file_name: string };
  /** The column model every part shares (tabular formats), fixed when the job is planned. */
  columns?: unknown;
  planned: boolean;
  counts: Partial<Record<DataType, number>>;
  checkpoint: JobCheckpoint;
  progress: Partial<Record<DataType, number>>;
  current_batch: number;
  total_batches: number;
  processed_records: number;
  total_records: number;
  created_at: string;
  started_at: string | null;
  updated_at: string;
  completed_at: string | null;
  error_message: string | null;
  error_id: string | null;
  file: JobFile | null;
  expires_at: string | null;
  /** Records written into the final file so far, while a two-pass format (XLSX, PDF) is finalized. */
  finalized_records?: number;
  [field: string]: unknown;
}

/** Blocks of one blob must have ids of one length: ten characters, base64-encoded. */
export function blockId(kind: 'header' | 'footer' | { typeIndex: number; batchIndex: number }): string {
  const raw =
    kind === 'header'
      ? 'hd-0000000'
      : kind === 'footer'
        ? 'ft-0000000'
        : `t${kind.typeIndex}-b${String(kind.batchIndex).padStart(6, '0')}`;
  return Buffer.from(raw).toString('base64');
}

/** The staged body blocks of a job, in file order. */
export function bodyBlockIds(checkpoint: JobCheckpoint): string[] {
  return checkpoint.batches_done.flatMap((count, typeIndex) =>
    Array.from({ length: count }, (_, batchIndex) => blockId({ typeIndex, batchIndex })),
  );
}
