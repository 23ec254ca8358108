import { AppError } from '../core/errors';
import { uploadParsingDefaults } from '../config';
import type { Extraction, RemoteExtractor } from '../ports/remoteExtractor';
import { UploadParserPool, type UploadParser } from './uploadParsing/parserPool';

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

let sharedParser: UploadParserPool | undefined;

/**
 * For a service built without a parser (tests, scripts): one pool at the default limits, shared
 * and started on first use. The app passes its own, built from its settings.
 */
function defaultParser(): UploadParser {
  sharedParser ??= new UploadParserPool(uploadParsingDefaults);
  return sharedParser;
}

/**
 * Reads CSV, JSON and XLSX ourselves, in a worker thread within the upload limits (see
 * uploadParsing/); PDFs and images go to Document Intelligence when configured.
 */
export class ExtractionService {
  constructor(
    private readonly remote: RemoteExtractor | undefined,
    private readonly parser?: UploadParser,
  ) {}

  /** The file's data. A CSV, JSON or XLSX `bytes` is handed to the parsing worker (see UploadParser). */
  async extract(bytes: Buffer, contentType: string, documentType: string): Promise<Extraction> {
    const kind = uploadKind(contentType);
    switch (kind) {
      case 'csv':
      case 'json':
      case 'xlsx': {
        const data = await (this.parser ?? defaultParser()).parse(kind, bytes);
        return { data, method: `local:${kind}`, confidence: 1 };
      }
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
