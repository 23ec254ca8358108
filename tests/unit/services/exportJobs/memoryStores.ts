import { Readable } from 'node:stream';
import { AppError, conflict, notFound } from '../../../../shared/core/errors';
import type { BlobContainerName, StoredFile } from '../../../../shared/ports/files';
import type { OwnedQuery, OwnedRecord, Page, RecordStore } from '../../../../shared/ports/records';
import {
  ExportJobsService,
  type JobFileStore,
  type RecordSource,
  type ScheduleRuns,
} from '../../../../shared/services/exportJobs';
import type { StoredJob } from '../../../../shared/services/exportJobs/jobStore';

/**
 * In-memory stand-ins for the stores the jobs service is built from, so its use cases run as
 * unit tests: the job records (with the ETag condition the real store has), a record source
 * answering the keyset queries in id order, and a block-blob store.
 */

/** Job records keyed by owner and id; `replaceIfUnchanged` fails when the `_etag` moved on. */
export class MemoryJobRecords implements RecordStore<StoredJob> {
  private readonly items = new Map<string, StoredJob>();
  private version = 0;

  private key(ownerEmail: string, id: string) {
    return `${ownerEmail}\n${id}`;
  }

  private stored(record: StoredJob): StoredJob {
    const saved = structuredClone({ ...record, _etag: `v${++this.version}` });
    this.items.set(this.key(record.owner_email, record.id), saved);
    return structuredClone(saved);
  }

  create(record: StoredJob): Promise<StoredJob> {
    if (this.items.has(this.key(record.owner_email, record.id)))
      return Promise.reject(conflict(`${record.id} exists`));
    return Promise.resolve(this.stored(record));
  }

  upsert(record: StoredJob): Promise<StoredJob> {
    return Promise.resolve(this.stored(record));
  }

  replaceIfUnchanged(record: StoredJob): Promise<StoredJob> {
    const current = this.items.get(this.key(record.owner_email, record.id));
    if (!current) return Promise.reject(notFound(record.id));
    if (current._etag !== record._etag)
      return Promise.reject(conflict(`${record.id} changed since it was read`));
    return Promise.resolve(this.stored(record));
  }

  read(ownerEmail: string, id: string): Promise<StoredJob | undefined> {
    const found = this.items.get(this.key(ownerEmail, id));
    return Promise.resolve(found ? structuredClone(found) : undefined);
  }

  delete(ownerEmail: string, id: string): Promise<boolean> {
    return Promise.resolve(this.items.delete(this.key(ownerEmail, id)));
  }

  query(ownerEmail: string): Promise<Page<StoredJob>> {
    const items = [...this.items.values()].filter((j) => j.owner_email === ownerEmail);
    return Promise.resolve({ items: structuredClone(items) });
  }

  take(): Promise<StoredJob[]> {
    return Promise.reject(new Error('not used by the jobs service'));
  }

  count(): Promise<number> {
    return Promise.reject(new Error('not used by the jobs service'));
  }

  acrossOwners(): Promise<StoredJob[]> {
    return Promise.resolve([]);
  }

  /** Changes a stored job behind the service's back (a concurrent cancel, say). */
  async change(ownerEmail: string, id: string, fields: Partial<StoredJob>): Promise<void> {
    const current = await this.read(ownerEmail, id);
    if (!current) throw new Error(`no job ${id}`);
    this.stored({ ...current, ...fields });
  }
}

/**
 * Every record given matches the job (filters are the Cosmos tests' business); reads come in id
 * order after the `@cursor` parameter, as the keyset query asks. Every read is remembered.
 */
export class MemorySource implements RecordSource {
  readonly reads: { max: number; returned: number }[] = [];
  private readonly records: OwnedRecord[];

  constructor(records: readonly OwnedRecord[]) {
    this.records = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  count(): Promise<number> {
    return Promise.resolve(this.records.length);
  }

  take(_owner: string, query: OwnedQuery & { max: number }): Promise<OwnedRecord[]> {
    const cursor = query.parameters?.find((p) => p.name === '@cursor')?.value;
    const after = typeof cursor === 'string' ? this.records.filter((r) => r.id > cursor) : this.records;
    const page = structuredClone(after.slice(0, query.max));
    this.reads.push({ max: query.max, returned: page.length });
    return Promise.resolve(page);
  }

  /** Records added (or removed) after the job was planned. */
  add(record: OwnedRecord): void {
    this.records.push(record);
    this.records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  remove(id: string): void {
    const at = this.records.findIndex((r) => r.id === id);
    if (at >= 0) this.records.splice(at, 1);
  }
}

/** Block blobs: staged blocks per blob, committed lists, whole uploads. */
export class MemoryFiles implements JobFileStore {
  readonly blobs = new Map<string, Buffer>();
  readonly staged = new Map<string, Map<string, Buffer>>();
  /** Called before a file is made visible (a commit or a whole upload): to act in the middle of finalize. */
  beforeFileWrite: ((container: BlobContainerName, path: string) => Promise<void>) | undefined;

  private key(container: BlobContainerName, path: string) {
    return `${container}/${path}`;
  }

  stageBlock(container: BlobContainerName, path: string, blockId: string, body: Uint8Array): Promise<void> {
    const key = this.key(container, path);
    const blocks = this.staged.get(key) ?? new Map<string, Buffer>();
    blocks.set(blockId, Buffer.from(body));
    this.staged.set(key, blocks);
    return Promise.resolve();
  }

  async commitBlocks(container: BlobContainerName, path: string, blockIds: string[]): Promise<void> {
    await this.beforeFileWrite?.(container, path);
    const blocks = this.staged.get(this.key(container, path));
    const parts = blockIds.map((id) => {
      const block = blocks?.get(id);
      if (!block) throw new Error(`block ${id} of ${path} was never staged`);
      return block;
    });
    this.blobs.set(this.key(container, path), Buffer.concat(parts));
  }

  async putStream(
    container: BlobContainerName,
    path: string,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    await this.beforeFileWrite?.(container, path);
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(Buffer.from(chunk));
    this.blobs.set(this.key(container, path), Buffer.concat(parts));
  }

  get(container: BlobContainerName, path: string): Promise<StoredFile> {
    const blob = this.blobs.get(this.key(container, path));
    if (!blob) return Promise.reject(notFound(path));
    return Promise.resolve({ stream: Readable.from([blob]), contentLength: blob.length });
  }

  discard(container: BlobContainerName, path: string): Promise<void> {
    this.staged.delete(this.key(container, path));
    this.blobs.delete(this.key(container, path));
    return Promise.resolve();
  }

  delete(container: BlobContainerName, path: string): Promise<void> {
    this.blobs.delete(this.key(container, path));
    return Promise.resolve();
  }

  file(container: BlobContainerName, path: string): Buffer {
    const blob = this.blobs.get(this.key(container, path));
    if (!blob) throw new Error(`no file ${container}/${path}`);
    return blob;
  }
}

/** What the schedule was told about each run, and a way to make telling it fail. */
export class RecordedRuns implements ScheduleRuns {
  readonly runs: { scheduleId: string; jobId: string; status: string }[] = [];
  failing = false;

  recordRun(
    _ownerEmail: string,
    scheduleId: string,
    jobId: string,
    status: 'completed' | 'failed',
  ): Promise<void> {
    if (this.failing) return Promise.reject(new Error('the schedules container is unavailable'));
    this.runs.push({ scheduleId, jobId, status });
    return Promise.resolve();
  }
}

/** A jobs service over in-memory stores, with the stores to look into. */
export function memoryJobs(
  records: readonly OwnedRecord[] = [],
  exportTracking: readonly OwnedRecord[] = [],
  batchMaxBytes = 8 * 1024 * 1024,
) {
  const jobs = new MemoryJobRecords();
  const documents = new MemorySource(records);
  const tracking = new MemorySource(exportTracking);
  const files = new MemoryFiles();
  const scheduleRuns = new RecordedRuns();
  const service = new ExportJobsService({
    jobs,
    sources: { documents, export_tracking: tracking },
    files,
    retentionDays: { api: 7, schedule: 30 },
    scheduleRuns,
    batchMaxBytes,
  });
  return { service, jobs, documents, tracking, files, scheduleRuns };
}

/**
 * Runs a job's activities the way the bulkExport orchestration does (plan, batches, finalize;
 * markFailed with the error's message when one throws), without retries.
 */
export async function runJobSteps(service: ExportJobsService, ref: { owner_email: string; job_id: string }) {
  try {
    let outcome = await service.plan(ref);
    while (!outcome.done) outcome = await service.runBatch(ref);
    return { finalized: await service.finalize(ref) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof AppError ? { code: error.code } : {};
    return { failed: await service.markFailed(ref, { message, ...code }) };
  }
}
