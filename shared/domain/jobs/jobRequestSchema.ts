import { z } from 'zod';
import type { PartedFormat } from '../../formats';

export const dataTypes = ['documents', 'export_tracking'] as const;
export type DataType = (typeof dataTypes)[number];

export const jobFormats = ['json', 'ndjson', 'csv', 'xlsx', 'pdf'] as const;
export type JobFormat = (typeof jobFormats)[number];

/** A field path users may filter on: dotted identifiers only, so it can be spelled safely in SQL. */
export const fieldPath = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}$/;

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

/**
 * JSON and NDJSON keep records as they are, so each batch writes its own bytes of the file.
 * Tabular formats (CSV, XLSX, PDF) need every record's fields before their header (a field may
 * first appear in the last record), and XLSX and PDF cannot be concatenated: their batches stage
 * records, and the file is written in one pass at the end, knowing every column.
 */
export function isPartedFormat(format: JobFormat): format is Extract<PartedFormat, 'json' | 'ndjson'> {
  return format === 'json' || format === 'ndjson';
}
