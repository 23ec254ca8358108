/** Every record we store is owned: the partition key is the owner's email. */
export interface OwnedRecord {
  id: string;
  owner_email: string;
  owner_oid?: string;
  [field: string]: unknown;
}

export interface Page<T> {
  items: T[];
  continuation?: string;
}

/** A named query parameter (`@name`): values are never concatenated into the SQL. */
export interface QueryParameter {
  name: string;
  value: string | number | boolean | null;
}

/** A condition on `c` in Cosmos SQL, using only `@`-parameters; the owner condition is always added. */
export interface OwnedQuery {
  where?: string;
  parameters?: QueryParameter[];
  orderBy?: string;
}

/**
 * One container of owned records, always read and written within the owner's partition.
 * Writes that lose a race (`create` of an existing id, `replaceIfUnchanged` after a change)
 * throw a Conflict; `replaceIfUnchanged` of a record deleted since it was read throws NotFound.
 */
export interface RecordStore<T extends OwnedRecord> {
  create(record: T): Promise<T>;
  upsert(record: T): Promise<T>;
  /**
   * Replaces the record only if nobody changed it since it was read: `record._etag` must be the
   * one the read returned (a record without one is refused with an Error, never upserted).
   */
  replaceIfUnchanged(record: T): Promise<T>;
  read(ownerEmail: string, id: string): Promise<T | undefined>;
  /** `false` when there was nothing to delete. */
  delete(ownerEmail: string, id: string): Promise<boolean>;
  query(ownerEmail: string, options: OwnedQuery & { limit: number; continuation?: string }): Promise<Page<T>>;
  /** Up to `max` of the owner's records matching the query, across as many pages as it takes. */
  take(ownerEmail: string, options: OwnedQuery & { max: number }): Promise<T[]>;
  count(ownerEmail: string, options: OwnedQuery): Promise<number>;
  /** Records of every owner: only for system work (timers), never for a request. */
  acrossOwners(options: { where: string; parameters?: QueryParameter[]; max: number }): Promise<T[]>;
}
