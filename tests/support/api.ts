import Papa from 'papaparse';
import { contractViolation } from './contract';
import { authHeaders } from './principal';

/**
 * A small client for the local host's API, as the web app would call it. Every answer is checked
 * against the contract (support/contract.ts): one the contract does not describe fails the test.
 */
export function apiClient(baseUrl: string, email: string) {
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...authHeaders(email),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const violation = contractViolation(method, response.url || `${baseUrl}${path}`, {
      status: response.status,
      headers: response.headers,
      bytes,
    });
    if (violation) throw new Error(`Contract: ${violation}`);
    return {
      status: response.status,
      headers: response.headers,
      bytes,
      json: <T = Record<string, unknown>>() => JSON.parse(bytes.toString('utf8')) as T,
    };
  };
  return {
    email,
    request,
    get: (path: string) => request('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      request('POST', path, body, headers),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/** Creates `count` small invoice documents (`<prefix><i>.json`) for the caller; their ids in order. */
export async function seedInvoices(api: ApiClient, count: number, prefix = 'd'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await api.post('/api/v1/docs', {
      file_name: `${prefix}${i}.json`,
      document_type: 'invoice',
      extracted_data: { n: i },
    });
    if (created.status !== 201) throw new Error(`document ${i} not created: ${created.status}`);
    ids.push(created.json<{ document_id: string }>().document_id);
  }
  return ids;
}

/** Reads until `done` holds and returns that value; fails once `limitMs` passed without it. */
async function readUntil<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  limitMs: number,
) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The workflow as `GET /api/v1/exports/{id}` shows it once its orchestration has ended. Phase 2
 * answers as soon as the deliverable is recorded; the orchestration records its own end a moment
 * later (on the extension, one more trip through its queues), so `runtime_status` can still read
 * `Running` right after the file arrived.
 */
export function endedWorkflow<T extends { runtime_status?: string }>(
  api: ApiClient,
  workflowId: string,
  limitMs = 30_000,
): Promise<T> {
  return readUntil(
    `workflow ${workflowId} to end`,
    async () => (await api.get(`/api/v1/exports/${workflowId}`)).json<T>(),
    (view) => view.runtime_status !== 'Running' && view.runtime_status !== 'Pending',
    limitMs,
  );
}

const stopped = (job: { status: string }) => !['pending', 'running'].includes(job.status);

/** The export job as `GET /api/v1/export-jobs/{id}` shows it once `until` holds (by default: it stopped running). */
export function jobWhen<T extends { status: string }>(
  api: ApiClient,
  jobId: string,
  until: (job: T) => boolean = stopped,
  limitMs = 120_000,
): Promise<T> {
  return readUntil(
    `job ${jobId}`,
    async () => (await api.get(`/api/v1/export-jobs/${jobId}`)).json<T>(),
    until,
    limitMs,
  );
}

/** A job's CSV file as downloaded, read back by papaparse: one object per row, by header. */
export async function downloadedCsvRecords(api: ApiClient, jobId: string) {
  const file = await api.get(`/api/v1/export-jobs/${jobId}/download`);
  const records = Papa.parse<Record<string, string>>(file.bytes.toString('utf8').replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  }).data;
  return { status: file.status, records };
}
