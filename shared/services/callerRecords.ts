import type { OwnedQuery, OwnedRecord, Page, RecordStore } from '../ports/records';
import { notFound } from '../core/errors';
import { ownsRecord, type Caller } from '../core/identity';
import { decodeContinuation, encodeContinuation } from '../core/paging';

/**
 * A page of the caller's records as every list endpoint answers it: the client's opaque
 * continuation in and out, and records of a previous holder of the same email left out.
 */
export async function callerPage<T extends OwnedRecord>(
  container: RecordStore<T>,
  caller: Caller,
  query: OwnedQuery & { limit: number; continuation?: string },
): Promise<Page<T>> {
  const page = await container.query(caller.email, {
    ...query,
    continuation: decodeContinuation(query.continuation),
  });
  return {
    items: page.items.filter((r) => ownsRecord(caller, r)),
    continuation: encodeContinuation(page.continuation),
  };
}

/**
 * One of the caller's records by id. Missing, of another kind, or another holder's: all answer
 * the same 404, so ids reveal nothing about other users.
 */
export async function callerRecord<T extends OwnedRecord, K extends T = T>(
  container: RecordStore<T>,
  caller: Caller,
  id: string,
  what: string,
  /** For containers holding several kinds of item; without it every item qualifies. */
  isKind: (record: T) => record is K = (_record): _record is K => true,
): Promise<K> {
  const record = await container.read(caller.email, id);
  if (!record || !isKind(record) || !ownsRecord(caller, record)) throw notFound(`${what} ${id}`);
  return record;
}
