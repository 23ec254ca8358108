import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import { AppError, invalidRequest } from '../core/errors';
import type { Json } from '../domain/changes';
import type { Extraction, RemoteExtractor } from '../ports/remoteExtractor';

export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Upload types we accept, and whether we read them ourselves or need Document Intelligence. */
export function uploadKind(contentType: string): 'csv' | 'json' | 'xlsx' | 'remote' | undefined {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json') return 'json';
  if (type === xlsxContentType) return 'xlsx';
  if (type === 'application/pdf' || /^image\/(png|jpeg|jpg|tiff|bmp|heif)$/.test(type)) return 'remote';
  return undefined;
}

function parseCsv(bytes: Buffer): Json {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<Record<string, Json>>(text, {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  });
  const fatal = parsed.errors.find((e) => e.type !== 'FieldMismatch');
  if (fatal)
    throw invalidRequest(`The CSV file could not be read: ${fatal.message} (row ${fatal.row ?? '?'}).`);
  return { columns: parsed.meta.fields ?? [], rows: parsed.data };
}

function parseJson(bytes: Buffer): Json {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw invalidRequest('The JSON file is not valid JSON.');
  }
  if (Array.isArray(value)) return { rows: value as Json[] };
  if (typeof value === 'object' && value !== null) return value as Json;
  throw invalidRequest('The JSON file must hold an object or an array.');
}

function cellValue(value: unknown): Json {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

function parseXlsx(bytes: Buffer): Json {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, { type: 'buffer', cellDates: true, cellFormula: false, cellHTML: false });
  } catch {
    throw invalidRequest('The XLSX file could not be read.');
  }
  const sheets = workbook.SheetNames.map((name) => {
    const sheet = workbook.Sheets[name];
    const rows = sheet ? XLSX.utils.sheet_to_json<Record<string, unknown>>(sheet, { defval: null }) : [];
    const clean = rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cellValue(v)])),
    );
    return { name, columns: Object.keys(clean[0] ?? {}), rows: clean };
  });
  return { sheets };
}

/** Reads CSV, JSON and XLSX ourselves; PDFs and images go to Document Intelligence when configured. */
export class ExtractionService {
  constructor(private readonly remote: RemoteExtractor | undefined) {}

  async extract(bytes: Buffer, contentType: string, documentType: string): Promise<Extraction> {
    const kind = uploadKind(contentType);
    switch (kind) {
      case 'csv':
        return { data: parseCsv(bytes), method: 'local:csv', confidence: 1 };
      case 'json':
        return { data: parseJson(bytes), method: 'local:json', confidence: 1 };
      case 'xlsx':
        return { data: parseXlsx(bytes), method: 'local:xlsx', confidence: 1 };
      case 'remote':
        if (!this.remote) {
          throw new AppError(
            'dependency_unavailable',
            'Extracting PDFs and images needs Document Intelligence: set DOCUMENT_INTELLIGENCE_ENDPOINT.',
            [{ field: 'DOCUMENT_INTELLIGENCE_ENDPOINT', message: 'not configured' }],
            3600,
          );
        }
        return this.remote.extract(bytes, documentType);
      default:
        throw new AppError('unsupported_media_type', `Files of type ${contentType} cannot be extracted.`);
    }
  }
}
