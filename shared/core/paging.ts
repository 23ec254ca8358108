import { z } from 'zod';
import { invalidRequest } from './errors';

/** Continuation tokens are opaque to clients: the store's token, base64url-encoded. */
export function encodeContinuation(token: string | undefined): string | undefined {
  return token === undefined ? undefined : Buffer.from(token, 'utf8').toString('base64url');
}

export function decodeContinuation(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!decoded || Buffer.from(decoded, 'utf8').toString('base64url') !== token) {
    throw invalidRequest('The continuation token is not valid.', [
      { field: 'continuation', message: 'not a token this API issued' },
    ]);
  }
  return decoded;
}

/** `?limit=&continuation=` as every list endpoint takes them. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  continuation: z.string().min(1).max(4096).optional(),
});
