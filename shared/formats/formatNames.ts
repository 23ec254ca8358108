import { ExportFormatError } from './exportFormatError';

/** The files this module writes. `ndjson` is the streaming variant of `json`. */
export type ExportFormat = 'json' | 'ndjson' | 'csv' | 'xlsx' | 'pdf';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'ndjson', 'csv', 'xlsx', 'pdf'];

/** Every spelling accepted from clients, mapped to the format it means. */
const FORMAT_ALIASES: Readonly<Record<string, ExportFormat>> = {
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  csv: 'csv',
  xlsx: 'xlsx',
  excel: 'xlsx',
  pdf: 'pdf',
};

/** Names to list in API validation messages. */
export const ACCEPTED_FORMAT_NAMES: readonly string[] = Object.keys(FORMAT_ALIASES);

/** The one place where client spellings (`Excel`, ` CSV `) become a format; undefined if unknown. */
export function parseExportFormat(value: string): ExportFormat | undefined {
  const key = value.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(FORMAT_ALIASES, key) ? FORMAT_ALIASES[key] : undefined;
}

/** Like {@link parseExportFormat} but throws an {@link ExportFormatError} for an unknown name. */
export function normaliseExportFormat(value: string): ExportFormat {
  const format = parseExportFormat(value);
  if (format === undefined) {
    throw new ExportFormatError(
      'unsupported_format',
      `Unsupported format "${value}"; expected one of ${ACCEPTED_FORMAT_NAMES.join(', ')}`,
    );
  }
  return format;
}

const MIME_TYPES: Readonly<Record<ExportFormat, string>> = {
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** MIME type of the file as stored; a gzipped file is `application/gzip` whatever it holds. */
export function mimeTypeFor(format: ExportFormat, compression = false): string {
  return compression ? 'application/gzip' : MIME_TYPES[format];
}

/** `Content-Type` header value: adds the charset for text formats, which are always UTF-8. */
export function contentTypeFor(format: ExportFormat, compression = false): string {
  const mime = mimeTypeFor(format, compression);
  return !compression && (format === 'csv' || format === 'json' || format === 'ndjson')
    ? `${mime}; charset=utf-8`
    : mime;
}

/** File extension without the leading dot, e.g. `csv` or `csv.gz`. */
export function extensionFor(format: ExportFormat, compression = false): string {
  return compression ? `${format}.gz` : format;
}
