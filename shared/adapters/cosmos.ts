import { CosmosClient, type Container, type ContainerDefinition } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import { AppError, conflict, ensureError, invalidRequest, notFound, unavailable } from '../core/errors';
import type { OwnedQuery, OwnedRecord, Page, QueryParameter, RecordStore } from '../ports/records';

export const containerNames = ['documents', 'export_tracking', 'export_jobs', 'export_schedules'] as const;
export type ContainerName = (typeof containerNames)[number];

/** The 30-day promise: stage records expire on their own. */
export const exportTrackingTtlSeconds = 2_592_000;

const ownerPartition = { paths: ['/owner_email'] };

/** Container settings, one per record kind; created if missing at start-up. */
export const containerDefinitions: Record<ContainerName, ContainerDefinition> = {
  documents: { id: 'documents', partitionKey: ownerPartition },
  export_tracking: {
    id: 'export_tracking',
    partitionKey: ownerPartition,
    defaultTtl: exportTrackingTtlSeconds,
    indexingPolicy: {
      indexingMode: 'consistent',
      // The listed paths are what history, filters and ordering use. The bulky payloads of a stage
      // are never queried, so they are not indexed (cheaper writes for large documents).
      includedPaths: [
        ...['owner_email', 'document_id', 'export_workflow_id', 'stage', 'type', 'timestamp', 'status'].map(
          (p) => ({
            path: `/${p}/?`,
          }),
        ),
        { path: '/*' },
      ],
      excludedPaths: [
        'original_extracted_data',
        'original_data',
        'modified_data',
        'ai_summary',
        'final_ai_summary',
        'changes',
      ].map((p) => ({ path: `/${p}/*` })),
      compositeIndexes: [
        [
          { path: '/owner_email', order: 'ascending' },
          { path: '/timestamp', order: 'descending' },
        ],
      ],
    },
  },
  export_jobs: { id: 'export_jobs', partitionKey: ownerPartition },
  export_schedules: { id: 'export_schedules', partitionKey: ownerPartition },
};

/** Turns SDK errors into domain errors: 404 → undefined (by callers), 409/412 → Conflict, 413 → too large, 429/503 → 503. */
export function mapCosmosError(thrown: unknown): Error {
  const error = ensureError(thrown);
  const status = (error as { code?: unknown }).code;
  if (status === 409 || status === 412) return conflict('The record was changed or already exists.');
  // Retrying never makes an item fit: a clear, permanent 413 (not a 503 the user would retry).
  if (status === 413)
    return new AppError('payload_too_large', "The record is larger than Cosmos DB's 2 MB item limit.");
  if (status === 429 || status === 503 || status === 'ECONNREFUSED' || status === 'ECONNRESET') {
    const retryAfterMs = Number((error as { retryAfterInMs?: unknown }).retryAfterInMs ?? 0);
    return unavailable('Cosmos DB', Math.max(1, Math.ceil(retryAfterMs / 1000)));
  }
  if (error instanceof AppError) return error;
  return error;
}

const isNotFound = (thrown: unknown) => (thrown as { code?: unknown } | null)?.code === 404;

/**
 * One container, always read and written within the owner's partition. Queries filter on
 * `owner_email` in the SQL as well as by partition key, so a mistake in one is caught by the other.
 */
export class OwnedContainer<T extends OwnedRecord> implements RecordStore<T> {
  constructor(private readonly container: Container) {}

  async create(record: T): Promise<T> {
    try {
      const { resource } = await this.container.items.create<T>(record);
      return resource ?? record;
    } catch (thrown) {
      throw mapCosmosError(thrown);
    }
  }

  async upsert(record: T): Promise<T> {
    try {
      const { resource } = await this.container.items.upsert<T>(record);
      return (resource as T | undefined) ?? record;
    } catch (thrown) {
      throw mapCosmosError(thrown);
    }
  }

  /**
   * Replaces the record only if nobody changed it since it was read (its `_etag`); otherwise a
   * Conflict, or NotFound when it was deleted meanwhile. Keeps a slow writer from overwriting a
   * newer state (a job cancelled, a schedule paused meanwhile). A record without an `_etag` was
   * never read, so there is nothing to be conditional on: that is a bug in the caller, never a
   * silent upsert.
   */
  async replaceIfUnchanged(record: T): Promise<T> {
    const etag = record._etag;
    if (typeof etag !== 'string' || etag === '')
      throw new Error(`replaceIfUnchanged(${record.id}): the record carries no _etag from a read.`);
    try {
      const { resource } = await this.container
        .item(record.id, record.owner_email)
        .replace<T>(record, { accessCondition: { type: 'IfMatch', condition: etag } });
      return resource ?? record;
    } catch (thrown) {
      if (isNotFound(thrown)) throw notFound(`Record ${record.id}`);
      throw mapCosmosError(thrown);
    }
  }

  async read(ownerEmail: string, id: string): Promise<T | undefined> {
    try {
      const { resource } = await this.container.item(id, ownerEmail).read<T>();
      return resource;
    } catch (thrown) {
      if (isNotFound(thrown)) return undefined;
      throw mapCosmosError(thrown);
    }
  }

  async delete(ownerEmail: string, id: string): Promise<boolean> {
    try {
      await this.container.item(id, ownerEmail).delete();
      return true;
    } catch (thrown) {
      if (isNotFound(thrown)) return false;
      throw mapCosmosError(thrown);
    }
  }

  /**
   * A page of the owner's records. `where` is a SQL condition on `c` using only `@`-parameters
   * (never concatenated values); the owner condition is always added.
   */
  async query(
    ownerEmail: string,
    options: OwnedQuery & { limit: number; continuation?: string },
  ): Promise<Page<T>> {
    try {
      const page = await this.container.items
        .query<T>(ownedSql(ownerEmail, '*', options), {
          partitionKey: ownerEmail,
          maxItemCount: options.limit,
          continuationToken: options.continuation,
        })
        .fetchNext();
      return { items: page.resources, continuation: page.continuationToken ?? undefined };
    } catch (thrown) {
      const mapped = mapCosmosError(thrown);
      // The token is the one thing in a query a client chose: one Cosmos cannot read is theirs to fix.
      if (options.continuation !== undefined && !(mapped instanceof AppError)) {
        throw invalidRequest('The continuation token is not valid.', [
          { field: 'continuation', message: 'not a token this API issued' },
        ]);
      }
      throw mapped;
    }
  }

  /** Up to `max` of the owner's records matching the query, across as many pages as it takes. */
  async take(ownerEmail: string, options: OwnedQuery & { max: number }): Promise<T[]> {
    try {
      const iterator = this.container.items.query<T>(ownedSql(ownerEmail, '*', options), {
        partitionKey: ownerEmail,
        maxItemCount: Math.min(options.max, 1000),
      });
      return await drain(iterator, options.max);
    } catch (thrown) {
      throw mapCosmosError(thrown);
    }
  }

  async count(ownerEmail: string, options: OwnedQuery): Promise<number> {
    try {
      const { resources } = await this.container.items
        .query<number>(ownedSql(ownerEmail, 'VALUE COUNT(1)', options), { partitionKey: ownerEmail })
        .fetchAll();
      return resources.reduce((a, b) => a + b, 0);
    } catch (thrown) {
      throw mapCosmosError(thrown);
    }
  }

  /**
   * Records of every owner matching a condition: only for system work (timers), never for a
   * request, which always stays inside its caller's partition.
   */
  async acrossOwners(options: { where: string; parameters?: QueryParameter[]; max: number }): Promise<T[]> {
    try {
      const iterator = this.container.items.query<T>(
        { query: `SELECT * FROM c WHERE ${options.where}`, parameters: options.parameters ?? [] },
        { maxItemCount: Math.min(options.max, 1000) },
      );
      return await drain(iterator, options.max);
    } catch (thrown) {
      throw mapCosmosError(thrown);
    }
  }
}

/** Reads a query to the end of its pages, up to `max` items. */
async function drain<T>(
  iterator: { hasMoreResults(): boolean; fetchNext(): Promise<{ resources: T[] }> },
  max: number,
): Promise<T[]> {
  const items: T[] = [];
  while (items.length < max && iterator.hasMoreResults()) {
    const page = await iterator.fetchNext();
    items.push(...page.resources);
  }
  return items.slice(0, max);
}

function ownedSql(ownerEmail: string, select: string, options: OwnedQuery) {
  const conditions = ['c.owner_email = @owner_email', ...(options.where ? [`(${options.where})`] : [])];
  return {
    query: `SELECT ${select} FROM c WHERE ${conditions.join(' AND ')}${options.orderBy ? ` ORDER BY ${options.orderBy}` : ''}`,
    parameters: [{ name: '@owner_email', value: ownerEmail }, ...(options.parameters ?? [])],
  };
}

/** The database and its containers, built once from config. */
export class CosmosStore {
  private readonly client: CosmosClient;

  constructor(private readonly config: AppConfig['cosmos']) {
    const connectionPolicy = {
      // Emulators and private endpoints advertise addresses that are not reachable from here;
      // stay on the configured endpoint.
      enableEndpointDiscovery: false,
      retryOptions: {
        maxRetryAttemptCount: 5,
        fixedRetryIntervalInMilliseconds: 0,
        maxWaitTimeInSeconds: 10,
      },
    };
    this.client =
      config.kind === 'key'
        ? new CosmosClient({ endpoint: config.endpoint, key: config.key, connectionPolicy })
        : new CosmosClient({
            endpoint: config.endpoint,
            aadCredentials: new DefaultAzureCredential({ managedIdentityClientId: config.clientId }),
            connectionPolicy,
          });
  }

  container<T extends OwnedRecord>(name: ContainerName): OwnedContainer<T> {
    return new OwnedContainer<T>(this.client.database(this.config.database).container(name));
  }

  /** Creates the database and containers if missing (idempotent). */
  async provision(): Promise<void> {
    try {
      const { database } = await this.client.databases.createIfNotExists({ id: this.config.database });
      for (const name of containerNames)
        await database.containers.createIfNotExists(containerDefinitions[name]);
    } catch (thrown) {
      throw mapCosmosError(thrown);
    }
  }

  /** Reads the database: proves the endpoint answers and we are authorised. */
  async ping(): Promise<void> {
    await this.client.database(this.config.database).read();
  }

  dispose(): void {
    this.client.dispose();
  }
}
