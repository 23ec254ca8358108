import { CosmosClient } from '@azure/cosmos';
import { BlobServiceClient } from '@azure/storage-blob';
import { blobContainerNames } from '../../shared/ports/files';

/**
 * What a scenario leaves behind, in a form two engines can be compared on: what the user saw
 * (outcome), the records and blobs written, each instance's custom status and the sequence of its
 * history events (types, names, order). Ids, times and Cosmos bookkeeping are normalised away.
 */
export interface Observation {
  outcome: unknown;
  records: unknown[];
  blobs: string[];
  instances: Record<string, { runtimeStatus: string; customStatus: unknown; history: string[] }>;
}

/** One event as a line: its type, then the function or event name, then a final status. */
export function historyLine(event: Record<string, unknown>): string {
  const parts = [String(event.EventType)];
  for (const key of ['FunctionName', 'Name', 'OrchestrationStatus']) {
    if (typeof event[key] === 'string' && event[key] !== '') parts.push(event[key]);
  }
  return parts.join(' ');
}

const isoTime = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g;
/** A schedule slot in an id (`20261202T000000Z`), and a date in a file name. */
const compactTime = /\b\d{8}T\d{6}Z\b/g;
const isoDate = /\b\d{4}-\d{2}-\d{2}\b/g;
/** GUIDs (with or without dashes), and the 8-digit random suffixes of file names. */
const generatedId =
  /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|(?<![0-9a-f])[0-9a-f]{8}(?![0-9a-f])/gi;
/** Durations measured by the app (`total_duration_ms`, `stage_timings_ms: {...}`). */
const measured = /_ms$/;
/** Cosmos DB's own fields, different on every write. */
const cosmosSystemFields = new Set(['_rid', '_self', '_etag', '_attachments', '_ts', '_lsn']);

/**
 * Replaces what differs between runs by nature: the owner (a new user per run), generated ids
 * (numbered in order of appearance, so "the same id twice" still shows), and timestamps.
 */
export class Normaliser {
  private readonly ids = new Map<string, string>();

  constructor(private readonly owner: string) {}

  text(value: string): string {
    return value
      .split(this.owner)
      .join('<owner>')
      .replace(isoTime, '<time>')
      .replace(compactTime, '<time>')
      .replace(isoDate, '<date>')
      .replace(generatedId, (id) => {
        const key = id.toLowerCase().replace(/-/g, '');
        if (!this.ids.has(key)) this.ids.set(key, `<id${this.ids.size + 1}>`);
        return this.ids.get(key) ?? id;
      });
  }

  value(value: unknown, isMeasured = false): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value === 'number' && isMeasured) return '<ms>';
    if (Array.isArray(value)) return value.map((v) => this.value(v, isMeasured));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => !cosmosSystemFields.has(key))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, v]) => [key, this.value(v, isMeasured || measured.test(key))]),
      );
    }
    return value;
  }
}

export interface Stores {
  cosmos: CosmosClient;
  database: string;
  blobs: BlobServiceClient;
}

/** The stores of a run: the jest run's Cosmos emulator, and the Azurite the engine's host writes to. */
export function openStores(database: string, storage: string): Stores & { close(): void } {
  const endpoint = /AccountEndpoint=([^;]+);/.exec(process.env.COSMOS ?? '')?.[1];
  const key = /AccountKey=([^;]+);/.exec(process.env.COSMOS ?? '')?.[1];
  if (!endpoint || !key) throw new Error('The conformance suite runs on the emulators of the jest set-up.');
  const cosmos = new CosmosClient({ endpoint, key, connectionPolicy: { enableEndpointDiscovery: false } });
  return {
    cosmos,
    database,
    blobs: BlobServiceClient.fromConnectionString(storage),
    close: () => cosmos.dispose(),
  };
}

const containers = ['documents', 'export_tracking', 'export_jobs', 'export_schedules'];

/**
 * Every record the owner has, container by container, ordered by content with generated ids and
 * times left out (ids are random, so ordering by them would differ from run to run).
 */
export async function recordsOf(stores: Stores, owner: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for (const name of containers) {
    const container = stores.cosmos.database(stores.database).container(name);
    try {
      const { resources } = await container.items
        .query<Record<string, unknown>>({
          query: 'SELECT * FROM c WHERE c.owner_email = @owner',
          parameters: [{ name: '@owner', value: owner }],
        })
        .fetchAll();
      all.push(...resources.map((r) => ({ container: name, ...r })));
    } catch (error) {
      if ((error as { code?: unknown }).code !== 404) throw error; // a container not created yet
    }
  }
  const orderKey = (r: Record<string, unknown>) =>
    JSON.stringify(r).replace(generatedId, '').replace(isoTime, '');
  return all.sort((a, b) => orderKey(a).localeCompare(orderKey(b)));
}

/** Every blob under the owner's prefix, as "container/name (bytes)". */
export async function blobsOf(stores: Stores, owner: string): Promise<string[]> {
  const names: string[] = [];
  for (const name of blobContainerNames) {
    const container = stores.blobs.getContainerClient(name);
    if (!(await container.exists())) continue;
    for await (const blob of container.listBlobsFlat({ prefix: `${owner}/` })) {
      names.push(`${name}/${blob.name} (${blob.properties.contentLength ?? 0} bytes)`);
    }
  }
  return names.sort();
}

export interface InstanceStatus {
  runtimeStatus: string;
  customStatus: unknown;
  output: unknown;
  historyEvents?: Record<string, unknown>[];
}

/** An instance's status with its history, from the engine's Durable HTTP API. */
export async function instanceStatus(durableApi: string, instanceId: string): Promise<InstanceStatus> {
  const response = await fetch(
    `${durableApi}/instances/${encodeURIComponent(instanceId)}?showHistory=true&showHistoryOutput=false&showInput=false`,
  );
  if (response.status >= 300 && response.status !== 202) {
    throw new Error(`Durable status of ${instanceId}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as InstanceStatus;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Gathers the observation of a finished scenario. */
export async function observe(
  stores: Stores,
  durableApi: string,
  owner: string,
  outcome: unknown,
  instanceIds: readonly string[],
): Promise<Observation> {
  const normaliser = new Normaliser(owner);
  const instances: Observation['instances'] = {};
  // Normalised in a fixed order (outcome, instances, records, blobs) so ids number alike.
  const normalisedOutcome = normaliser.value(outcome);
  for (const id of instanceIds) {
    const status = await instanceStatus(durableApi, id);
    instances[normaliser.text(id)] = {
      runtimeStatus: status.runtimeStatus,
      customStatus: normaliser.value(status.customStatus),
      history: (status.historyEvents ?? []).map((e) => normaliser.text(historyLine(e))),
    };
  }
  return {
    outcome: normalisedOutcome,
    instances,
    records: normaliser.value(await recordsOf(stores, owner)) as unknown[],
    blobs: (await blobsOf(stores, owner)).map((b) => normaliser.text(b)),
  };
}
