/** One error type for everything the API answers with; `code` is stable, `status` is the HTTP status. */
export interface ErrorDetail {
  field?: string;
  message: string;
}

export type ErrorCode =
  | 'invalid_request'
  | 'unauthenticated'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'already_submitted'
  | 'job_busy'
  | 'gone'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'ai_rejected'
  | 'unprocessable_document'
  | 'dependency_unavailable'
  | 'records_mismatch'
  | 'internal_error';

const statusByCode: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  already_submitted: 409,
  // The job's orchestration has not ended yet (its failure is recorded before its instance is):
  // the same request succeeds once it has, so it is a state conflict, never the engine's error.
  job_busy: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // The AI service refused this content (content filter, too long for the model): the request was
  // well formed, but the same content will be refused again, so it is neither a 400 nor a 503.
  ai_rejected: 422,
  unprocessable_document: 422,
  dependency_unavailable: 503,
  // A job's file does not hold what its batches read: a fault of ours, never a completed job.
  records_mismatch: 500,
  internal_error: 500,
};

/** Every code the API answers with, for the contract (shared/http/contract). */
export const errorCodes = Object.keys(statusByCode) as [ErrorCode, ...ErrorCode[]];

/** The HTTP status each code answers with. */
export const statusOf = (code: ErrorCode): number => statusByCode[code];

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Seconds a client should wait before retrying (503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusByCode[code];
  }
}

export const invalidRequest = (message: string, details: ErrorDetail[] = []) =>
  new AppError('invalid_request', message, details);
export const notFound = (what: string) => new AppError('not_found', `${what} was not found.`);
export const conflict = (message: string) => new AppError('conflict', message);
export const unavailable = (dependency: string, retryAfterSeconds = 5, message?: string) =>
  new AppError(
    'dependency_unavailable',
    message ?? `${dependency} is unavailable; retry shortly.`,
    [],
    retryAfterSeconds,
  );

/**
 * Faults the same input will meet again: retrying the activity cannot help, so the work fails at
 * once with this reason (a 4xx for the user), instead of after every retry with a 503.
 */
const permanentCodes = new Set<ErrorCode>([
  'invalid_request',
  'not_found',
  'gone',
  'payload_too_large',
  'ai_rejected',
  'unprocessable_document',
  'records_mismatch',
]);

export function isPermanent(error: unknown): error is AppError {
  return error instanceof AppError && permanentCodes.has(error.code);
}

export function isErrorCode(code: string): code is ErrorCode {
  return code in statusByCode;
}

/** Normalises anything thrown into an `Error` (JS allows throwing any value). */
export function ensureError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : `Non-error thrown: ${JSON.stringify(thrown)}`);
}
