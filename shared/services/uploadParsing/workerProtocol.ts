import { isErrorCode, type ErrorCode, type ErrorDetail } from '../../core/errors';
import type { LocalUploadKind } from './parsers';

/** What the pool gives each parser process when it starts (its one argument, as JSON). */
export interface WorkerSettings {
  maxInflatedBytes: number;
}

/** One parse: the upload's bytes, copied to the parser process over its IPC channel. */
export interface ParseRequest {
  kind: LocalUploadKind;
  bytes: Uint8Array;
}

/**
 * The parser's answer: the document data as JSON text (exactly what a document stores, and cheap
 * to pass), a refusal to rebuild as the AppError it was, or a fault (a bug) to log.
 */
export type ParseReply =
  | { ok: true; json: string }
  | { ok: false; refusal: { code: ErrorCode; message: string; details: ErrorDetail[] } }
  | { ok: false; fault: string };

/** Sent once by a parser process when its parsers are loaded: its deadlines count from then. */
export interface ReadySignal {
  ready: true;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export function isReadySignal(value: unknown): value is ReadySignal {
  return isRecord(value) && value.ready === true;
}

export function isWorkerSettings(value: unknown): value is WorkerSettings {
  return isRecord(value) && typeof value.maxInflatedBytes === 'number';
}

export function isParseRequest(value: unknown): value is ParseRequest {
  return (
    isRecord(value) &&
    (value.kind === 'csv' || value.kind === 'json' || value.kind === 'xlsx') &&
    // Checked without instanceof, which fails across realms (a test runner's, Node's core).
    ArrayBuffer.isView(value.bytes)
  );
}

export function isParseReply(value: unknown): value is ParseReply {
  if (!isRecord(value)) return false;
  if (value.ok === true) return typeof value.json === 'string';
  if (typeof value.fault === 'string') return true;
  const refusal = value.refusal;
  return (
    isRecord(refusal) &&
    typeof refusal.code === 'string' &&
    isErrorCode(refusal.code) &&
    typeof refusal.message === 'string' &&
    Array.isArray(refusal.details)
  );
}
