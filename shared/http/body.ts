import type { HttpRequest } from '@azure/functions';
import { AppError, invalidRequest } from '../core/errors';
import { nestingDepth } from '../core/nestingDepth';

/**
 * Largest JSON body any route takes: phase 2 carries at most 512 KiB of data, plus its
 * preferences and instructions. Checked before and while reading, never after parsing.
 */
export const maxJsonBodyBytes = 1024 * 1024;
/** Deepest nesting a JSON body may have: deeper documents are not data anyone exports. */
export const maxJsonDepth = 64;

/**
 * The raw body, refused with 413 as soon as it passes `maxBytes`: at once when its
 * `Content-Length` says so, otherwise while it streams in (chunked bodies).
 */
export async function readBytes(http: HttpRequest, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new AppError('payload_too_large', `The body exceeds the ${maxBytes}-byte limit.`);
  const declared = Number(http.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw tooLarge();
  if (!http.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  // The library types the body's chunks as `any`; the worker hands us bytes.
  const reader = (http.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, size);
}

/** Parses a JSON body: malformed or too deeply nested is a 400, before any schema sees it. */
export function parseJsonBody(bytes: Buffer): unknown {
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidRequest('The body is not valid JSON.');
  }
  if (nestingDepth(body, maxJsonDepth) > maxJsonDepth) {
    throw invalidRequest(`The body nests deeper than ${maxJsonDepth} levels.`, [
      { message: `at most ${maxJsonDepth} levels of objects and arrays` },
    ]);
  }
  return body;
}

/** The media type without parameters, lower-cased. */
export function mediaType(http: HttpRequest): string {
  return (http.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
