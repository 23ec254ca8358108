/**
 * `npm run demo` — against a running local host (`npm start`, or BASE_URL): creates the sample
 * documents in scripts/samples, runs both phases of the export workflow with edits, and saves
 * the deliverables in four formats to ./out.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const baseUrl = (process.env.BASE_URL ?? 'http://localhost:7071').replace(/\/$/, '');
const samples = path.resolve(__dirname, '..', '..', 'scripts', 'samples');
const outDir = path.resolve(process.cwd(), 'out');
const principal = Buffer.from(
  JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'email', val: 'demo.user@contoso.com' }] }),
).toString('base64');

async function api(method: string, route: string, body?: Buffer | string, contentType = 'application/json') {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      'x-ms-client-principal': principal,
      ...(body !== undefined ? { 'content-type': contentType } : {}),
    },
    body,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${bytes.toString('utf8')}`);
  return { response, bytes, json: () => JSON.parse(bytes.toString('utf8')) as Record<string, unknown> };
}

async function upload(fileName: string, contentType: string, documentType: string): Promise<string> {
  const bytes = await readFile(path.join(samples, fileName));
  const created = await api(
    'POST',
    `/api/v1/docs?file_name=${encodeURIComponent(fileName)}&document_type=${documentType}`,
    bytes,
    contentType,
  );
  const id = String(created.json().document_id);
  const extracted = (await api('POST', `/api/v1/docs/${id}/extract`)).json();
  console.log(
    `• uploaded ${fileName} → document ${id}, extracted with ${String(extracted.extraction_method)}`,
  );
  return id;
}

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const health = await fetch(`${baseUrl}/api/v1/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`No healthy exportrail at ${baseUrl}: start it with "npm start" first.`);

  const invoice = JSON.parse(await readFile(path.join(samples, 'invoice.json'), 'utf8')) as {
    extracted_data: Record<string, unknown>;
  };
  const invoiceId = String((await api('POST', '/api/v1/docs', JSON.stringify(invoice))).json().document_id);
  console.log(`• created invoice document ${invoiceId} from JSON`);
  const csvId = await upload('stock.csv', 'text/csv', 'inventory');
  const xlsxId = await upload(
    'timesheets.xlsx',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'timesheet',
  );

  const plans = [
    { documentId: invoiceId, format: 'pdf', template: 'detailed_analysis' },
    { documentId: invoiceId, format: 'json', template: 'standard' },
    { documentId: csvId, format: 'csv', template: 'standard' },
    { documentId: xlsxId, format: 'xlsx', template: 'executive_summary' },
  ];
  for (const plan of plans) {
    const review = (
      await api('POST', `/api/v1/docs/${plan.documentId}/export`, JSON.stringify({ use_ai_review: true }))
    ).json();
    const workflowId = String(review.export_workflow_id);
    const summary = review.ai_summary as { overview: string };
    console.log(`• phase 1 ${workflowId}: ${summary.overview}`);

    const document = (await api('GET', `/api/v1/docs/${plan.documentId}`)).json();
    const data = structuredClone(document.extracted_data) as Record<string, unknown>;
    data.reviewed_by = 'demo.user@contoso.com'; // the user's edit
    const file = await api(
      'POST',
      `/api/v1/docs/${plan.documentId}/export`,
      JSON.stringify({
        use_ai_template_generation: true,
        export_workflow_id: workflowId,
        format: plan.format,
        document_template: plan.template,
        data,
        editing_started_at: new Date(Date.now() - 60_000).toISOString(),
        edit_count: 1,
      }),
    );
    const name =
      /filename="([^"]+)"/.exec(file.response.headers.get('content-disposition') ?? '')?.[1] ??
      `${workflowId}.${plan.format}`;
    await writeFile(path.join(outDir, name), file.bytes);
    console.log(
      `• phase 2 ${workflowId}: saved out/${name} (${file.bytes.length} bytes, sha256 ${file.response.headers.get('x-content-sha256')})`,
    );
  }
  const history = (await api('GET', '/api/v1/exports/history?limit=10')).json();
  console.log(`• history lists ${(history.items as unknown[]).length} workflows for demo.user@contoso.com`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
