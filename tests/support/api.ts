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

/**
 * The workflow as `GET /api/v1/exports/{id}` shows it once its orchestration has ended. Phase 2
 * answers as soon as the deliverable is recorded; the orchestration records its own end a moment
 * later (on the extension, one more trip through its queues), so `runtime_status` can still read
 * `Running` right after the file arrived.
 */
export async function endedWorkflow<T extends { runtime_status?: string }>(
  api: ApiClient,
  workflowId: string,
  limitMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const view = (await api.get(`/api/v1/exports/${workflowId}`)).json<T>();
    if (view.runtime_status !== 'Running' && view.runtime_status !== 'Pending') return view;
    if (Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
