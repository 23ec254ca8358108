import type { HttpRequest } from '@azure/functions';
import { AppError } from '../core/errors';

/** The raw body, refused with 413 before or while reading once it passes `maxBytes`. */
export async function readBytes(http: HttpRequest, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new AppError('payload_too_large', `The body exceeds the ${maxBytes}-byte limit.`);
  const declared = Number(http.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw tooLarge();
  const bytes = Buffer.from(await http.arrayBuffer());
  if (bytes.length > maxBytes) throw tooLarge();
  return bytes;
}

/** The media type without parameters, lower-cased. */
export function mediaType(http: HttpRequest): string {
  return (http.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
