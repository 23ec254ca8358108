import type { HttpRequest } from '@azure/functions';
import { AppError, invalidRequest } from '../core/errors';
import type { Json } from '../domain/changes';
import { maxWorkflowDataBytes } from '../domain/exportRecords';
import { uploadKind } from '../services/extraction';
import { maxJsonBodyBytes, mediaType, parseJsonBody, readBytes } from './body';
import { readQuery } from './endpoint';
import { createDocumentBody, uploadQuery } from './schemas';

export type NewDocumentInput =
  | { kind: 'data'; file_name: string; document_type: string; extracted_data: Json }
  | { kind: 'upload'; file_name: string; document_type: string; bytes: Buffer; content_type: string };

/**
 * `POST /api/v1/docs` takes either JSON with extracted data, or a raw file with `?file_name=`
 * (so a JSON *file* upload is told apart from a JSON *body* by the query string).
 */
export async function readNewDocument(http: HttpRequest, maxBytes: number): Promise<NewDocumentInput> {
  const type = mediaType(http);

  if (!http.query.has('file_name')) {
    if (type !== 'application/json') {
      throw new AppError(
        'unsupported_media_type',
        'Send JSON with extracted_data, or a file with ?file_name=.',
      );
    }
    const bytes = await readBytes(http, maxJsonBodyBytes);
    const input = createDocumentBody.parse(parseJsonBody(bytes));
    if (bytes.length > maxWorkflowDataBytes) {
      throw new AppError(
        'payload_too_large',
        `Extracted data is limited to ${maxWorkflowDataBytes} bytes as JSON.`,
        [{ field: 'extracted_data', message: 'too large' }],
      );
    }
    return { kind: 'data', ...input };
  }

  if (!uploadKind(type)) {
    throw new AppError('unsupported_media_type', `Uploads of type "${type || 'none'}" are not accepted.`, [
      { field: 'content-type', message: 'use application/pdf, image/*, text/csv, application/json or XLSX' },
    ]);
  }
  const bytes = await readBytes(http, maxBytes);
  if (bytes.length === 0) throw invalidRequest('The uploaded file is empty.');
  return { kind: 'upload', ...readQuery(http, uploadQuery), bytes, content_type: type };
}
