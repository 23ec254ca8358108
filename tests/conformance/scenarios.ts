import { apiClient, type ApiClient, seedInvoices } from '../support/api';
import type { FaultyProxy, ProxiedRequest } from '../support/faultyProxy';
import { newUser } from '../support/invoke';
import { eventually, instanceStatus, type Observation, type Stores } from './observation';

/**
 * The one list of scenarios every engine runs: the product's orchestrations driven over HTTP as
 * the web app drives them, with faults injected at the wire (a proxy in front of Cosmos DB).
 * Each returns what the user saw and the instances it ran; `expect` says what must hold on any
 * engine, and the suite compares the observations of the engines with each other.
 */

/** The settings the suite runs the app with: long waits in seconds, small generations. */
export const suiteSettings = {
  /** The review window, a few seconds longer than the maximum timer interval. */
  REVIEW_WINDOW_SECONDS: '9',
  // No shorter than the retries' longest back-off (4 s), which the extension checks against it.
  DURABLE_MAX_TIMER_INTERVAL_SECONDS: '4',
  DURABLE_LONG_TIMER_INTERVAL_SECONDS: '4',
  BULK_BATCHES_PER_GENERATION: '2',
  // The timers fire only when a scenario asks (POST /admin/functions/...).
  SCHEDULED_EXPORTS_CRON: '0 0 0 1 1 *',
  HOUSEKEEPING_CRON: '0 0 0 1 1 *',
} as const;

export interface ScenarioContext {
  hostUrl: string;
  durableApi: string;
  /** In front of Cosmos DB: fails or holds requests on demand. */
  cosmosProxy: FaultyProxy;
  stores: Stores;
}

export interface ScenarioRun {
  owner: string;
  outcome: unknown;
  instanceIds: string[];
}

export interface Scenario {
  name: string;
  run(context: ScenarioContext): Promise<ScenarioRun>;
  /** What must hold on every engine. */
  expect(observation: Observation, run: ScenarioRun): void;
}

/** No line of a JavaScript or .NET stack trace, nor the host's failure framing. */
export const stackTrace =
  /\n\s*at |\bat \S+ \(.*:\d+:\d+\)|\.cs:line \d+|Result: Failure|\bStack:|\$OutOfProcData\$/;

const invoice = { InvoiceId: 'INV-7', CustomerName: 'Contoso', InvoiceTotal: 110, Items: [{ Amount: 110 }] };
const edited = { ...invoice, CustomerName: 'Contoso Ltd', Items: [{ Amount: 100 }, { Amount: 10 }] };

async function newDocument(api: ApiClient): Promise<string> {
  const created = await api.post('/api/v1/docs', {
    file_name: 'invoice-7.json',
    document_type: 'invoice',
    extracted_data: invoice,
  });
  if (created.status !== 201) throw new Error(`document not created: ${created.status}`);
  return created.json<{ document_id: string }>().document_id;
}

async function startReview(api: ApiClient, documentId: string) {
  const response = await api.post(`/api/v1/docs/${documentId}/export`, {
    use_ai_review: true,
    format: 'csv',
  });
  return {
    status: response.status,
    workflowId: response.json<{ export_workflow_id: string }>().export_workflow_id,
  };
}

function submitEdits(api: ApiClient, documentId: string, workflowId: string) {
  return api.post(`/api/v1/docs/${documentId}/export`, {
    use_ai_template_generation: true,
    export_workflow_id: workflowId,
    format: 'csv',
    data: edited,
  });
}

async function workflowView(api: ApiClient, workflowId: string) {
  return (await api.get(`/api/v1/exports/${workflowId}`)).json<{
    status: string;
    runtime_status?: string;
    error_message?: string;
    stages: { stage: number }[];
  }>();
}

const stagesOf = (view: { stages: { stage: number }[] }) => view.stages.map((s) => s.stage);

interface JobView {
  status: string;
  error_message?: string | null;
  processed_records?: number;
  total_records?: number;
  current_batch?: number;
  total_batches?: number;
}

function jobSettled(api: ApiClient, jobId: string, settled = ['completed', 'failed', 'cancelled']) {
  return eventually(`job ${jobId} to settle`, async () => {
    const job = (await api.get(`/api/v1/export-jobs/${jobId}`)).json<JobView>();
    return settled.includes(job.status) ? job : undefined;
  });
}

async function createJob(api: ApiClient, body: Record<string, unknown> = {}) {
  const created = await api.post('/api/v1/export-jobs', {
    data_types: ['documents'],
    format: 'ndjson',
    batch_size: 10,
    ...body,
  });
  if (created.status !== 202)
    throw new Error(`job not created: ${created.status} ${created.bytes.toString()}`);
  return created.json<{ job_id: string }>().job_id;
}

/** Until the orchestration is no longer running (its last activity may finish after the record). */
function instanceSettled(context: ScenarioContext, instanceId: string) {
  return eventually(`instance ${instanceId} to finish`, async () => {
    const status = await instanceStatus(context.durableApi, instanceId);
    return ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus) ? status : undefined;
  });
}

/** Until the instance's history holds an event of `eventType`. */
function historyHas(context: ScenarioContext, instanceId: string, eventType: string) {
  return eventually(`instance ${instanceId} to record ${eventType}`, async () => {
    const status = await instanceStatus(context.durableApi, instanceId);
    return status.historyEvents?.some((e) => e.EventType === eventType) ? true : undefined;
  });
}

/**
 * Until the orchestration waits for the review (its first review timer is recorded). Phase 1
 * answers once stage 1 is recorded, which can be a moment before the orchestration has set its
 * timer; an edit sent in that moment is kept by either engine, but lands before the timer in the
 * history, and the comparison is of the engines' rules, not of that race.
 */
const awaitingReview = (context: ScenarioContext, instanceId: string) =>
  historyHas(context, instanceId, 'TimerCreated');

/** The lines of an NDJSON file (the job's download). */
async function downloadedRows(api: ApiClient, jobId: string): Promise<unknown[]> {
  const file = await api.get(`/api/v1/export-jobs/${jobId}/download`);
  if (file.status !== 200) throw new Error(`download: ${file.status}`);
  return file.bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/**
 * A batch's read of the owner's documents: the query itself, not the query plan the Cosmos SDK
 * asks for alongside it (same body, `x-ms-cosmos-is-query-plan-request`), which the SDK does not
 * wait for: holding that one would hold nothing.
 */
const batchQueryOf = (owner: string) => (r: ProxiedRequest) =>
  r.method === 'POST' &&
  r.path.includes('/colls/documents/docs') &&
  r.headers['x-ms-cosmos-is-query-plan-request'] === undefined &&
  r.body.includes(owner) &&
  r.body.includes('ORDER BY');

export const scenarios: Scenario[] = [
  {
    name: 'workflow: edits before the review window ends',
    async run(context) {
      const api = apiClient(context.hostUrl, newUser('before'));
      const documentId = await newDocument(api);
      const review = await startReview(api, documentId);
      await awaitingReview(context, review.workflowId);
      const file = await submitEdits(api, documentId, review.workflowId);
      await instanceSettled(context, review.workflowId);
      const view = await workflowView(api, review.workflowId);
      return {
        owner: api.email,
        instanceIds: [review.workflowId],
        outcome: {
          phase1: review.status,
          phase2: file.status,
          file: file.bytes.toString('utf8'),
          status: view.status,
          stages: stagesOf(view),
        },
      };
    },
    expect(observation) {
      expect(observation.outcome).toMatchObject({
        phase1: 200,
        phase2: 200,
        status: 'completed',
        stages: [1, 2, 3],
      });
      const [instance] = Object.values(observation.instances);
      expect(instance?.runtimeStatus).toBe('Completed');
      expect(instance?.customStatus).toEqual({ stage: 3, status: 'completed' });
      expect(instance?.history.filter((l) => l.startsWith('TimerCreated'))).toHaveLength(1);
    },
  },
  {
    name: 'workflow: edits after the first timer of the review window fired',
    async run(context) {
      const api = apiClient(context.hostUrl, newUser('after'));
      const documentId = await newDocument(api);
      const review = await startReview(api, documentId);
      // The window (9 s) waits in timers of at most 4 s: edit once the first has fired.
      await historyHas(context, review.workflowId, 'TimerFired');
      const file = await submitEdits(api, documentId, review.workflowId);
      await instanceSettled(context, review.workflowId);
      const view = await workflowView(api, review.workflowId);
      return {
        owner: api.email,
        instanceIds: [review.workflowId],
        outcome: { phase1: review.status, phase2: file.status, status: view.status, stages: stagesOf(view) },
      };
    },
    expect(observation) {
      expect(observation.outcome).toMatchObject({ phase2: 200, status: 'completed', stages: [1, 2, 3] });
      const [instance] = Object.values(observation.instances);
      expect(instance?.runtimeStatus).toBe('Completed');
      const history = instance?.history ?? [];
      expect(history.filter((l) => l.startsWith('TimerFired')).length).toBeGreaterThanOrEqual(1);
      expect(history.filter((l) => l.startsWith('TimerCreated')).length).toBeGreaterThanOrEqual(2);
      expect(history).toContain('EventRaised UserModifications');
    },
  },
  {
    name: 'workflow: the review window ends without edits',
    async run(context) {
      const api = apiClient(context.hostUrl, newUser('expiry'));
      const documentId = await newDocument(api);
      const review = await startReview(api, documentId);
      await instanceSettled(context, review.workflowId);
      const view = await workflowView(api, review.workflowId);
      const late = await submitEdits(api, documentId, review.workflowId);
      return {
        owner: api.email,
        instanceIds: [review.workflowId],
        outcome: {
          phase1: review.status,
          status: view.status,
          stages: stagesOf(view),
          lateEdits: late.status,
          lateBody: late.json(),
        },
      };
    },
    expect(observation) {
      expect(observation.outcome).toMatchObject({ status: 'expired', stages: [1], lateEdits: 409 });
      const [instance] = Object.values(observation.instances);
      expect(instance?.runtimeStatus).toBe('Completed');
      expect(instance?.customStatus).toEqual({ stage: 1, status: 'expired' });
      // 9 s in timers of at most 4 s: three (4, 4, 1), each fired, none cancelled or split.
      expect(instance?.history.filter((l) => l === 'TimerCreated')).toHaveLength(3);
      expect(instance?.history.filter((l) => l === 'TimerFired')).toHaveLength(3);
    },
  },
  {
    name: 'workflow: stage 3 fails on every attempt',
    async run(context) {
      const api = apiClient(context.hostUrl, newUser('stagefail'));
      const documentId = await newDocument(api);
      const review = await startReview(api, documentId);
      await awaitingReview(context, review.workflowId);
      context.cosmosProxy.failNext(
        (r) =>
          r.method === 'POST' &&
          r.path.includes('/colls/export_tracking/docs') &&
          r.body.includes(`"${review.workflowId}:3"`),
        100,
      );
      const file = await submitEdits(api, documentId, review.workflowId);
      await instanceSettled(context, review.workflowId);
      const view = await workflowView(api, review.workflowId);
      return {
        owner: api.email,
        instanceIds: [review.workflowId],
        outcome: {
          phase2: file.status,
          phase2Body: file.json(),
          status: view.status,
          error_message: view.error_message,
          stages: stagesOf(view),
        },
      };
    },
    expect(observation) {
      expect(observation.outcome).toMatchObject({ phase2: 503, status: 'failed', stages: [1, 2] });
      const { error_message: reason, phase2Body } = observation.outcome as {
        error_message?: string;
        phase2Body: unknown;
      };
      expect(reason).toEqual(expect.any(String));
      expect(reason).not.toMatch(stackTrace);
      expect(JSON.stringify(phase2Body)).not.toMatch(stackTrace);
      for (const record of observation.records) expect(JSON.stringify(record)).not.toMatch(stackTrace);
      const [instance] = Object.values(observation.instances);
      expect(instance?.runtimeStatus).toBe('Failed');
      expect(instance?.customStatus).toEqual({ status: 'failed' });
      // Three attempts, each with its retry timer (the last one of zero length).
      expect(
        instance?.history.filter((l) => l === 'TaskFailed exportWorkflow_produceDeliverable'),
      ).toHaveLength(3);
      // The review timer the edits cancelled still fires (4 s in, during the 4 s back-off after
      // the second attempt) and is recorded: a durable timer cannot be withdrawn.
      expect(instance?.history.filter((l) => l === 'TimerCreated')).toHaveLength(4);
      expect(instance?.history.filter((l) => l === 'TimerFired')).toHaveLength(4);
      expect(instance?.history.at(-1)).toBe('ExecutionCompleted Failed');
    },
  },
  {
    name: 'bulk job: several continueAsNew generations',
    async run(context) {
      const api = apiClient(context.hostUrl, newUser('gens'));
      await seedInvoices(api, 41); // 5 batches of 10: generations of 2, 2 and 1 batches
      const jobId = await createJob(api);
      const job = await jobSettled(api, jobId);
      await instanceSettled(context, jobId);
      const rows = await downloadedRows(api, jobId);
      return {
        owner: api.email,
        instanceIds: [jobId],
        outcome: { job, rows: rows.length, distinct: new Set(rows.map((r) => JSON.stringify(r))).size },
      };
    },
    expect(observation) {
      expect(observation.outcome).toMatchObject({
        job: { status: 'completed', processed_records: 41, current_batch: 5, total_batches: 5 },
        rows: 41,
        distinct: 41,
      });
      const [instance] = Object.values(observation.instances);
      expect(instance?.runtimeStatus).toBe('Completed');
      // Only the last generation's history is kept: it plans (where the job stands), runs at most
      // BULK_BATCHES_PER_GENERATION batches, and finalizes.
      const history = instance?.history ?? [];
      expect(history[0]).toBe('ExecutionStarted bulkExport');
      expect(history).toContain('TaskCompleted bulkExport_plan');
      const batches = history.filter((l) => l === 'TaskCompleted bulkExport_runBatch').length;
      expect(batches).toBeGreaterThanOrEqual(1);
      expect(batches).toBeLessThanOrEqual(Number(suiteSettings.BULK_BATCHES_PER_GENERATION));
      expect(history.slice(-2)).toEqual([
        'TaskCompleted bulkExport_finalize',
        'ExecutionCompleted Completed',
      ]);
    },
  },
  {
    name: 'bulk job: cancelled while a batch runs',
    async run(context) {
      const api = apiClient(context.hostUrl, newUser('cancel'));
      await seedInvoices(api, 25);
      const held = context.cosmosProxy.holdNext(batchQueryOf(api.email));
      const jobId = await createJob(api);
      await held.reached;
      const cancelled = await api.post(`/api/v1/export-jobs/${jobId}/cancel`);
      // The batch goes on only once the terminate has taken effect (on the extension it is a
      // queued message): its result then finds a finished instance on any engine.
      await instanceSettled(context, jobId);
      held.release();
      const job = await jobSettled(api, jobId);
      const download = await api.get(`/api/v1/export-jobs/${jobId}/download`);
      return {
        owner: api.email,
        instanceIds: [jobId],
        outcome: { cancel: cancelled.status, job, download: download.status },
      };
    },
    expect(observation) {
      expect(observation.outcome).toMatchObject({ cancel: 200, job: { status: 'cancelled' } });
      expect((observation.outcome as { download: number }).download).toBeGreaterThanOrEqual(400);
      const [instance] = Object.values(observation.instances);
      expect(instance?.runtimeStatus).toBe('Terminated');
      // Nothing of a cancelled job stays in storage.
      expect(observation.blobs.filter((b) => b.includes('/jobs/'))).toEqual([]);
    },
  },
  {
    name: 'bulk job: fails, then resumes',
    async run(context) {
      const api = apiClient(context.hostUrl, newUser('resume'));
      await seedInvoices(api, 25);
      // Every batch read fails until the job has failed (three attempts), then Cosmos is back.
      let failing = true;
      context.cosmosProxy.failNext((r) => failing && batchQueryOf(api.email)(r), 1000);
      const jobId = await createJob(api);
      const failed = await jobSettled(api, jobId);
      failing = false;
      await instanceSettled(context, jobId);
      const resumed = await api.post(`/api/v1/export-jobs/${jobId}/resume`);
      const job = await jobSettled(api, jobId, ['completed', 'failed']);
      await instanceSettled(context, jobId);
      const rows = await downloadedRows(api, jobId);
      return {
        owner: api.email,
        instanceIds: [jobId],
        outcome: {
          failed: { status: failed.status, error_message: failed.error_message },
          resume: resumed.status,
          job,
          rows: rows.length,
          distinct: new Set(rows.map((r) => JSON.stringify(r))).size,
        },
      };
    },
    expect(observation) {
      const outcome = observation.outcome as { failed: { error_message?: string } };
      expect(observation.outcome).toMatchObject({
        failed: { status: 'failed' },
        resume: 202,
        job: { status: 'completed', processed_records: 25 },
        rows: 25,
        distinct: 25,
      });
      expect(outcome.failed.error_message).toEqual(expect.any(String));
      expect(outcome.failed.error_message).not.toMatch(stackTrace);
      const [instance] = Object.values(observation.instances);
      expect(instance?.runtimeStatus).toBe('Completed');
    },
  },
  {
    name: 'schedule: one slot, the timer fired twice',
    async run(context) {
      const api = apiClient(context.hostUrl, newUser('slot'));
      await seedInvoices(api, 3);
      const created = await api.post('/api/v1/export-schedules', {
        name: 'nightly',
        data_types: ['documents'],
        format: 'ndjson',
        frequency: 'daily',
        time_of_day: '00:00',
        timezone: 'UTC',
      });
      const { schedule_id: scheduleId } = created.json<{ schedule_id: string }>();
      // As if it had been created two days ago: today's slot is due.
      const schedules = context.stores.cosmos.database(context.stores.database).container('export_schedules');
      const { resource } = await schedules.item(scheduleId, api.email).read<Record<string, unknown>>();
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
      await schedules.items.upsert({ ...resource, created_at: twoDaysAgo, next_run: twoDaysAgo });

      const fire = () =>
        fetch(`${context.hostUrl}/admin/functions/scheduledExports`, { method: 'POST', body: '{}' });
      const ticks = await Promise.all([fire(), fire()]);
      const jobs = await eventually('the slot to run', async () => {
        const list = (await api.get('/api/v1/export-jobs')).json<{
          items: { job_id: string; status: string }[];
        }>();
        return list.items.length > 0 && list.items.every((j) => ['completed', 'failed'].includes(j.status))
          ? list.items
          : undefined;
      });
      for (const job of jobs) await instanceSettled(context, job.job_id);
      return {
        owner: api.email,
        instanceIds: jobs.map((j) => j.job_id),
        outcome: { created: created.status, ticks: ticks.map((t) => t.status), jobs },
      };
    },
    expect(observation) {
      const outcome = observation.outcome as { jobs: { status: string }[] };
      expect(outcome.jobs).toEqual([expect.objectContaining({ status: 'completed' })]);
      expect(observation.blobs.filter((b) => b.startsWith('scheduled-exports/'))).toHaveLength(1);
      expect(Object.values(observation.instances).map((i) => i.runtimeStatus)).toEqual(['Completed']);
    },
  },
];
