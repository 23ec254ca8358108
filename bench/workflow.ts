/**
 * `npm run bench -- workflow [--runs N] [--smoke] [--out DIR]`: phase 1 and phase 2 round trips
 * of the export workflow on the local host (local summarizer, embedded emulators), a
 * 200-line-item invoice, N runs per format (100; 2 with --smoke) after 3 warm-up runs, with the
 * share of time spent in Cosmos, Blob, file generation, the AI and the rest (orchestration,
 * HTTP, JSON). Writes workflow.json to bench/results/ (bench/results/smoke/ with --smoke).
 */
import { z } from 'zod';
import { OwnedContainer } from '../shared/adapters/cosmos';
import { BlobStore } from '../shared/adapters/blob';
import { LocalDocumentAi } from '../shared/adapters/localDocumentAi';
import { percentile, resetSpent, spent, timeMethods } from './service/instrument';
import { authHeaders } from '../tests/support/principal';
import type { BenchDefinition } from './support/benchDefinition';
import { startInProcessHost } from './support/inProcessHost';
import type { BenchOptions } from './support/options';
import { resultRows, writeResultFile } from './support/resultFile';

const formats = ['csv', 'json', 'xlsx', 'pdf'] as const;
const targets: Record<(typeof formats)[number], number> = { csv: 120, json: 120, xlsx: 250, pdf: 250 };

/** Not capped at 100: concurrent adapter calls can add up to more than the wall time. */
const percent = z.number().nonnegative();
/** One line of workflow.json: a phase of one format; phase 2 lines carry the target and time shares. */
const WorkflowRow = z.object({
  format: z.enum(formats),
  phase: z.union([z.literal(1), z.literal(2)]),
  runs: z.number().int().positive(),
  p50_ms: z.number().nonnegative(),
  p95_ms: z.number().nonnegative(),
  target_p95_ms: z.number().positive().optional(),
  share: z
    .object({
      cosmos_pct: percent,
      blob_pct: percent,
      generation_pct: percent,
      ai_pct: percent,
      // The remainder: below 0 when concurrent adapter calls overlap.
      orchestration_and_http_pct: z.number(),
    })
    .optional(),
});
type WorkflowRow = z.infer<typeof WorkflowRow>;

const WorkflowResults = resultRows(WorkflowRow).refine(
  (rows) => formats.every((f) => rows.some((r) => r.format === f && r.phase === 2 && r.share !== undefined)),
  { message: `workflow.json needs a phase 2 row with time shares for each of ${formats.join(', ')}` },
);

/** A synthetic invoice with `lines` line items (also the engine bench's). */
export function invoice(lines: number) {
  const items = Array.from({ length: lines }, (_, i) => ({
    line: i + 1,
    sku: `SKU-${String(i).padStart(5, '0')}`,
    description: `Item ${i}, "grade ${i % 7}" — ${i % 3 === 0 ? 'Żółć' : 'widget'}`,
    quantity: (i % 9) + 1,
    unit_price: Math.round(((i * 37) % 1000) + 1) / 10,
    amount: Math.round((((i % 9) + 1) * (((i * 37) % 1000) + 1)) / 10),
  }));
  return {
    InvoiceId: 'INV-BENCH',
    CustomerName: 'Contoso Ltd.',
    Currency: 'EUR',
    SubTotal: items.reduce((a, b) => a + b.amount, 0),
    Items: items,
  };
}

async function runWorkflowBench(options: BenchOptions): Promise<string> {
  const runs = options.positiveInt('runs', { full: 100, smoke: 2 });
  timeMethods(
    OwnedContainer.prototype,
    ['create', 'upsert', 'read', 'query', 'take', 'count', 'replaceIfUnchanged'],
    'cosmos',
  );
  timeMethods(BlobStore.prototype, ['put', 'get'], 'blob');
  timeMethods(LocalDocumentAi.prototype, ['summarize', 'finalize'], 'ai');
  // Generation: the deliverable renderer, looked up through its module at call time.
  const deliverable = (await import('../shared/services/deliverable')) as unknown as Record<string, unknown>;
  timeMethods(deliverable, ['renderDeliverable'], 'generation');

  const host = await startInProcessHost();
  const headers = { ...authHeaders('bench@contoso.com'), 'content-type': 'application/json' };
  const post = async (route: string, body: unknown) => {
    const response = await fetch(`${host.url}${route}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200 && response.status !== 201)
      throw new Error(`${route} → ${response.status} ${bytes.toString()}`);
    return bytes;
  };

  const data = invoice(200);
  const documentId = (
    JSON.parse(
      (
        await post('/api/v1/docs', { file_name: 'bench.pdf', document_type: 'invoice', extracted_data: data })
      ).toString(),
    ) as { document_id: string }
  ).document_id;
  const edited = { ...data, CustomerName: 'Contoso Europe Ltd.' };
  const results: WorkflowRow[] = [];

  for (const format of formats) {
    const phase1: number[] = [];
    const phase2: number[] = [];
    const totals = { cosmos: 0, blob: 0, generation: 0, ai: 0, all: 0 };
    for (let run = 0; run < runs + 3; run++) {
      let started = performance.now();
      const review = JSON.parse(
        (await post(`/api/v1/docs/${documentId}/export`, { use_ai_review: true })).toString(),
      ) as { export_workflow_id: string };
      const p1 = performance.now() - started;
      resetSpent();
      started = performance.now();
      await post(`/api/v1/docs/${documentId}/export`, {
        use_ai_template_generation: true,
        export_workflow_id: review.export_workflow_id,
        format,
        data: edited,
      });
      const p2 = performance.now() - started;
      if (run < 3) continue; // warm-up
      phase1.push(p1);
      phase2.push(p2);
      totals.cosmos += spent.cosmos;
      totals.blob += spent.blob;
      totals.generation += spent.generation;
      totals.ai += spent.ai;
      totals.all += p2;
    }
    const share = (ms: number) => Math.round((ms / totals.all) * 1000) / 10;
    const sorted1 = [...phase1].sort((a, b) => a - b);
    const sorted2 = [...phase2].sort((a, b) => a - b);
    results.push({
      format,
      phase: 1,
      runs,
      p50_ms: Math.round(percentile(sorted1, 50)),
      p95_ms: Math.round(percentile(sorted1, 95)),
    });
    results.push({
      format,
      phase: 2,
      runs,
      p50_ms: Math.round(percentile(sorted2, 50)),
      p95_ms: Math.round(percentile(sorted2, 95)),
      target_p95_ms: targets[format],
      share: {
        cosmos_pct: share(totals.cosmos),
        blob_pct: share(totals.blob),
        generation_pct: share(totals.generation),
        ai_pct: share(totals.ai),
        orchestration_and_http_pct: share(
          totals.all - totals.cosmos - totals.blob - totals.generation - totals.ai,
        ),
      },
    });
  }
  await host.stop();

  console.log('\nworkflow round trips (local host, local summarizer, 200-line-item invoice)');
  console.log('format  phase  runs   p50 ms   p95 ms  target p95  cosmos%  blob%  gen%  ai%  rest%');
  for (const r of results) {
    const s = r.share;
    console.log(
      `${r.format.padEnd(6)}  ${String(r.phase).padStart(5)}  ${String(r.runs).padStart(4)}  ${String(r.p50_ms).padStart(7)}  ${String(r.p95_ms).padStart(7)}  ${String(r.target_p95_ms ?? '').padStart(10)}` +
        (s
          ? `  ${String(s.cosmos_pct).padStart(7)}  ${String(s.blob_pct).padStart(5)}  ${String(s.generation_pct).padStart(4)}  ${String(s.ai_pct).padStart(3)}  ${String(s.orchestration_and_http_pct).padStart(5)}`
          : ''),
    );
  }
  return writeResultFile(options.resultsDir, 'workflow', WorkflowResults, results);
}

export const workflowBench: BenchDefinition = {
  valueOptions: ['runs'],
  resultSchema: WorkflowResults,
  run: runWorkflowBench,
};
