import { InvocationContext } from '@azure/functions';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../shared/config';
import { bulkExport } from '../../../shared/workflows/bulkExportDefinition';
import { exportWorkflow } from '../../../shared/workflows/exportWorkflowDefinition';
import { startFaultyProxy, type FaultyProxy } from '../../support/faultyProxy';
import { newUser } from '../../support/invoke';
import { startHarness, type DurableHarness } from '../durable/harness';

/**
 * The operations workbook and alerts (infra/app/operations/) query the app's log lines. This runs
 * the real workflows on the emulators — an export completed, one failed, one expired, a bulk job
 * completed and one failed — captures every log line the activities write, and checks that each
 * event and field a query reads is one the code logs: a renamed dimension breaks here, not
 * silently in the portal.
 */

const operations = path.resolve(__dirname, '../../../infra/app/operations');

interface Query {
  name: string;
  text: string;
}

function queries(): Query[] {
  const workbook = JSON.parse(readFileSync(path.join(operations, 'workbook.json'), 'utf8')) as {
    items: { type: number; name: string; content: { query?: string } }[];
  };
  const fromWorkbook = workbook.items
    .filter((item) => item.type === 3 && item.content.query)
    .map((item) => ({ name: `workbook ${item.name}`, text: item.content.query ?? '' }));
  const alerts = readdirSync(operations)
    .filter((file) => file.endsWith('.kql'))
    .map((file) => ({ name: file, text: readFileSync(path.join(operations, file), 'utf8') }));
  return [...fromWorkbook, ...alerts];
}

/** The fields of our log line a query reads: `entry.a.b` after `extend entry = parse_json(message)`. */
const fieldsOf = (q: Query) => [
  ...new Set([...q.text.matchAll(/\bentry\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/g)].map((m) => m[1] ?? '')),
];

/** The events a query selects: `event == 'x'` and `event in ('x', 'y')`, with or without tostring(). */
function eventsOf(q: Query): string[] {
  const single = [...q.text.matchAll(/\bevent\)?\s*==\s*'([^']+)'/g)].map((m) => m[1] ?? '');
  const lists = [...q.text.matchAll(/\bevent\)?\s+in\s*\(([^)]*)\)/g)].flatMap((m) =>
    [...(m[1] ?? '').matchAll(/'([^']+)'/g)].map((n) => n[1] ?? ''),
  );
  return [...new Set([...single, ...lists])];
}

/** Every path to a value in a log line: `result.ai.tokens.total`, `job_id`, ... */
function pathsOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(prefix ? [prefix] : []),
    ...pathsOf(inner, prefix ? `${prefix}.${key}` : key),
  ]);
}

const cosmos = loadConfig(process.env).cosmos;
if (cosmos.kind !== 'key') throw new Error('tests run on the emulator');
const originalCosmos = process.env.COSMOS;
let proxy: FaultyProxy;
let harness: DurableHarness;
const lines: Record<string, unknown>[] = [];
const jobRecords = 3;

beforeAll(async () => {
  proxy = await startFaultyProxy(cosmos.endpoint);
  process.env.COSMOS = `AccountEndpoint=${proxy.url}/;AccountKey=${cosmos.key};`;
  await import('../../../functions/exportWorkflow');
  await import('../../../functions/bulkExport');
  const { readyServices } = await import('../../../shared/app/compositionRoot');
  const { orchestrationControl } = await import('../../../shared/adapters/durable');
  const { ExportRequests } = await import('../../../shared/services/exportRequests');
  const { jobRequestSchema } = await import('../../../shared/domain/jobs');
  const { errorResponse } = await import('../../../shared/http/endpoint');
  const services = await readyServices();
  harness = await startHarness();
  const control = orchestrationControl(harness.client);
  const requests = new ExportRequests({
    documents: services.documents,
    tracking: services.exportTracking,
    waitLimitMs: 50,
  });

  // Exports: one completed, one failed (its edits are missing: a permanent fault), one left to expire.
  const caller = { email: newUser('ops') };
  const document = await services.documents.createFromData(caller, {
    file_name: 'invoice.json',
    document_type: 'invoice',
    extracted_data: { InvoiceId: 'INV-1', total: 10 },
  });
  const [completed, failed] = [
    await requests.startReview(control, caller, document.document_id, {}),
    await requests.startReview(control, caller, document.document_id, {}),
    await requests.startReview(control, caller, document.document_id, {}),
  ];
  await harness.settle();
  await requests.submitEdits(
    control,
    caller,
    document.document_id,
    {
      export_workflow_id: completed?.workflow_id,
      format: 'csv',
      document_template: 'standard',
      data: { InvoiceId: 'INV-1', total: 12 },
    },
    new Date(),
  );
  await harness.client.raiseEvent(failed?.workflow_id ?? '', 'UserModifications', { edits_id: 'missing' });
  await harness.settle();

  // Bulk jobs: one completed; one whose plan cannot be saved on any attempt, so it fails.
  for (let i = 0; i < jobRecords; i++) {
    await services.documents.createFromData(caller, {
      file_name: `r${i}.json`,
      document_type: 'receipt',
      extracted_data: { n: i },
    });
  }
  for (const fails of [false, true]) {
    const job = await services.exportJobs.create(
      caller,
      jobRequestSchema.parse({
        data_types: ['documents'],
        format: 'csv',
        filters: { document_type: 'receipt' },
      }),
      { now: new Date() },
    );
    if (fails) {
      proxy.failNext(
        (r) =>
          r.method === 'PUT' &&
          r.path.includes(`/export_jobs/docs/${job.job_id}`) &&
          r.body.includes('"planned":true'),
        10,
      );
    }
    await harness.client.startNew('bulkExport', {
      instanceId: job.job_id,
      input: { owner_email: caller.email, job_id: job.job_id },
    });
  }
  await harness.fireAllTimers(); // activity retries, and the third export's 30-day review window

  // A 500: the one log line an HTTP function writes.
  const context = new InvocationContext({
    invocationId: 'ops-test',
    logHandler: (_level, ...args) => lines.push(JSON.parse(String(args[0])) as Record<string, unknown>),
  });
  errorResponse(new Error('an unexpected fault'), context);

  for (const { message } of harness.logs) {
    try {
      const parsed = JSON.parse(message) as Record<string, unknown> | null;
      if (parsed && typeof parsed === 'object' && 'event' in parsed) lines.push(parsed);
    } catch {
      // not one of our structured lines (the host's own messages)
    }
  }
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await proxy?.close();
  process.env.COSMOS = originalCosmos;
});

const emitted = (event: string) => lines.filter((line) => line.event === event);

describe('operations workbook and alerts over the log lines the code writes', () => {
  it('when the workflows ran, then every outcome the workbook counts was logged', () => {
    for (const event of [
      'exportWorkflow_produceDeliverable',
      'exportWorkflow_markFailed',
      'exportWorkflow_markExpired',
      'bulkExport_finalize',
      'bulkExport_markFailed',
      'unhandled_error',
    ]) {
      expect(emitted(event).length).toBeGreaterThan(0);
    }
  });

  it('when a query selects an event, then the code logs that event', () => {
    const logged = new Set(lines.map((line) => String(line.event)));
    for (const q of queries()) {
      for (const event of eventsOf(q))
        expect({ query: q.name, event, logged: logged.has(event) }).toEqual({
          query: q.name,
          event,
          logged: true,
        });
    }
  });

  it('when a query reads a field of a log line, then the events it selects carry that field', () => {
    const checked = queries().filter((q) => fieldsOf(q).length > 0);
    expect(checked.length).toBeGreaterThanOrEqual(7);
    for (const q of checked) {
      const events = eventsOf(q);
      const selected =
        events.length > 0 ? lines.filter((line) => events.includes(String(line.event))) : lines;
      const carried = new Set(selected.flatMap((line) => pathsOf(line)));
      for (const field of fieldsOf(q)) {
        expect({ query: q.name, field, carried: carried.has(field) }).toEqual({
          query: q.name,
          field,
          carried: true,
        });
      }
    }
  });

  it('when a bulk job completes, then its log line reports the records exported and how long it ran', () => {
    const [finalized] = emitted('bulkExport_finalize');
    expect(finalized).toMatchObject({
      result: { status: 'completed', records: jobRecords, duration_ms: expect.any(Number) },
    });
    const failure = emitted('bulkExport_markFailed').find(
      (line) => (line.result as { status?: string }).status === 'failed',
    );
    expect(failure).toMatchObject({ job_id: expect.any(String), result: { error_id: expect.any(String) } });
  });

  it('when a stage calls the AI, then its log line reports the model, the time and the tokens; a failed export its code', () => {
    for (const event of ['exportWorkflow_recordInitialSummary', 'exportWorkflow_produceDeliverable']) {
      expect(emitted(event).find((line) => (line.result as { ai?: unknown }).ai)).toMatchObject({
        result: {
          ai: {
            model: 'local-summarizer',
            processing_time_ms: expect.any(Number),
            tokens: { prompt: expect.any(Number), completion: expect.any(Number), total: expect.any(Number) },
          },
        },
      });
    }
    expect(emitted('exportWorkflow_markFailed')[0]).toMatchObject({ error_code: 'not_found' });
  });

  it("when a query reads the Durable extension's tracking events, then it names our orchestrations and only the fields the extension writes", () => {
    // The extension's documented tracking dimensions (not ours: the Durable Task extension writes them).
    const extensionDimensions = [
      'Category',
      'prop__functionName',
      'prop__instanceId',
      'prop__state',
      'prop__isReplay',
    ];
    const durable = queries().filter((q) => q.text.includes('customDimensions'));
    expect(durable.length).toBeGreaterThan(0);
    for (const q of durable) {
      for (const m of q.text.matchAll(/customDimensions\.(\w+)/g))
        expect(extensionDimensions).toContain(m[1]);
      const names = /functionName in \(([^)]*)\)/.exec(q.text)?.[1] ?? '';
      expect([...names.matchAll(/'([^']+)'/g)].map((m) => m[1]).sort()).toEqual(
        [bulkExport.name, exportWorkflow.name].sort(),
      );
    }
  });
});
