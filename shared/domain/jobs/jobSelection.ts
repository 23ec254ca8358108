import { invalidRequest } from '../../core/errors';
import { fieldPath, type DataType, type JobRequest } from './jobRequestSchema';

/**
 * The field that dates a data type's records, for the job's date range. Where the records live
 * is the composition root's to say (it hands the jobs service one source per data type).
 */
export const dateFieldOf: Record<DataType, string> = {
  documents: 'created_at',
  export_tracking: 'timestamp',
};

/** A SQL condition with its parameters: values are always bound, field names were validated. */
export interface SqlFilter {
  where: string;
  parameters: { name: string; value: string | number | boolean | null }[];
}

/** A filter read page by page in id order, each page continuing after the last id of the one before. */
export interface KeysetQuery extends SqlFilter {
  orderBy: 'c.id ASC';
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
  const dateField = `c.${dateFieldOf[dataType]}`;
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

/**
 * The records a job exports of one data type: its filters, and only its owner's. Emails can be
 * reassigned: when the owner has an object id, records stamped with another id are not theirs
 * (README: API, the principal), whatever their email.
 */
export function jobRecordsFilter(
  job: { request: JobRequest; owner_oid?: string },
  dataType: DataType,
): SqlFilter {
  const filter = jobFilter(job.request, dataType);
  if (!job.owner_oid) return filter;
  return {
    where: `(${filter.where}) AND (NOT IS_DEFINED(c.owner_oid) OR c.owner_oid = @owner_oid)`,
    parameters: [...filter.parameters, { name: '@owner_oid', value: job.owner_oid }],
  };
}

/**
 * The job's records of one data type that come after `cursor` (the last id written; `null`
 * before the first batch), in id order. Ids are unique and never change, so batches neither
 * skip nor repeat a record however the data changes between them.
 */
export function recordsAfter(
  job: { request: JobRequest; owner_oid?: string },
  dataType: DataType,
  cursor: string | null,
): KeysetQuery {
  const filter = jobRecordsFilter(job, dataType);
  if (cursor === null) return { ...filter, orderBy: 'c.id ASC' };
  return {
    where: `(${filter.where}) AND c.id > @cursor`,
    parameters: [...filter.parameters, { name: '@cursor', value: cursor }],
    orderBy: 'c.id ASC',
  };
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

/** How warnings name an export row: a document by its document id, a stage record by its own id. */
export function rowLabel(row: Readonly<Record<string, unknown>>): string | undefined {
  const id = row.data_type === 'documents' ? row.document_id : row.id;
  return typeof id === 'string' ? id : undefined;
}
