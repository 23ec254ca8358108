/**
 * The workflow's phase 1 and phase 2 round trips (CSV, a 200-line-item invoice) on one Durable
 * engine, in a fresh process with its own emulators:
 *   node dist/bench/service/engineWorkflowChild.js <local|extension> <runs>
 * Prints one JSON line (./engineWorkflowCase.ts) through runAsBenchChild.
 */
import { durableEngineSetting } from '../../host/localHost';
import { authHeaders } from '../../tests/support/principal';
import { runAsBenchChild } from '../support/benchChild';
import { startInProcessHost } from '../support/inProcessHost';
import { invoice } from '../workflow';
import type { EngineWorkflowResult } from './engineWorkflowCase';
import { percentile } from './instrument';

const warmUpRuns = 2;

async function measure(argv: readonly string[]): Promise<EngineWorkflowResult> {
  const engine = durableEngineSetting(argv[0] ?? 'local');
  const runs = Number(argv[1] ?? '30');
  if (!Number.isInteger(runs) || runs <= 0)
    throw new Error(`runs must be a positive integer, got "${argv[1]}"`);
  const host = await startInProcessHost({ engine });
  try {
    const post = async (route: string, body: unknown) => {
      const response = await fetch(`${host.url}${route}`, {
        method: 'POST',
        headers: { ...authHeaders('bench@contoso.com'), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status !== 200 && response.status !== 201)
        throw new Error(`${route} → ${response.status} ${text}`);
      return text;
    };
    const data = invoice(200);
    const { document_id: documentId } = JSON.parse(
      await post('/api/v1/docs', { file_name: 'bench.pdf', document_type: 'invoice', extracted_data: data }),
    ) as { document_id: string };
    const edited = { ...data, CustomerName: 'Contoso Europe Ltd.' };
    const phase1: number[] = [];
    const phase2: number[] = [];
    for (let run = 0; run < runs + warmUpRuns; run++) {
      let started = performance.now();
      const { export_workflow_id: workflowId } = JSON.parse(
        await post(`/api/v1/docs/${documentId}/export`, { use_ai_review: true }),
      ) as { export_workflow_id: string };
      const p1 = performance.now() - started;
      started = performance.now();
      await post(`/api/v1/docs/${documentId}/export`, {
        use_ai_template_generation: true,
        export_workflow_id: workflowId,
        format: 'csv',
        data: edited,
      });
      const p2 = performance.now() - started;
      if (run < warmUpRuns) continue;
      phase1.push(p1);
      phase2.push(p2);
    }
    const sorted1 = phase1.sort((a, b) => a - b);
    const sorted2 = phase2.sort((a, b) => a - b);
    return {
      engine,
      runs,
      phase1_p50_ms: Math.round(percentile(sorted1, 50)),
      phase1_p95_ms: Math.round(percentile(sorted1, 95)),
      phase2_p50_ms: Math.round(percentile(sorted2, 50)),
      phase2_p95_ms: Math.round(percentile(sorted2, 95)),
    };
  } finally {
    await host.stop();
  }
}

runAsBenchChild(`engine workflow case ${process.argv.slice(2).join(' ')}`, () =>
  measure(process.argv.slice(2)),
);
