import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Papa from 'papaparse';
import { chromium, type Browser, type Page } from 'playwright-core';
import * as XLSX from 'xlsx';
import { newUser } from '../support/invoke';
import { startHost, type RunningHost } from '../support/localHost';
import { principalHeader } from '../support/principal';

/**
 * The web app's flow in a real browser (Debian's headless Chromium): a page served from another
 * loopback origin than the API calls it through fetch, so every request passes the browser's
 * CORS checks against the host started with `--cors` for that origin.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const page = readFileSync(path.join(__dirname, 'webApp.html'));

/** A static server for the page, on a free loopback port: the web app's own origin. */
async function servePage(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface FlowResult {
  upload: { status: number; document: { document_id: string; status: string } };
  extract: { status: number; document: { status: string; extracted_data: unknown } };
  review: { status: number; body: { export_workflow_id: string; status: string } };
  file: {
    status: number;
    contentType: string | null;
    contentDisposition: string | null;
    warnings: string | null;
    workflowId: string | null;
    sha256: string | null;
    base64: string;
  };
  history: { status: number; body: { items: { export_workflow_id: string; status: string }[] } };
  job: { status: number; location: string | null; body: { job_id: string; links: { self: string } } };
  finished: { status: string; file: { sha256: string } };
  download: { status: number; contentDisposition: string | null; sha256: string | null; text: string };
}

let webApp: Awaited<ReturnType<typeof servePage>>;
let elsewhere: Awaited<ReturnType<typeof servePage>>;
let host: RunningHost;
let api: string;
let browser: Browser;

beforeAll(async () => {
  [webApp, elsewhere] = await Promise.all([servePage(), servePage()]);
  host = await startHost({}, 60_000, ['--cors', webApp.origin]);
  api = host.url.replace('localhost', '127.0.0.1');
  browser = await chromium.launch({ executablePath: chromiumPath });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await Promise.all([webApp?.close(), elsewhere?.close()]);
});

async function open(origin: string): Promise<Page> {
  const tab = await browser.newPage();
  await tab.goto(`${origin}/`);
  return tab;
}

describe('the web app in a browser, from another origin', () => {
  it('when the page runs upload, extract, both phases, history and a bulk job, then every answer and header is readable', async () => {
    const tab = await open(webApp.origin);
    const email = newUser('browser');
    const longNote = 'n'.repeat(40_000);
    const out = (await tab.evaluate(
      (args) => (globalThis as unknown as { runFlow: (a: unknown) => Promise<unknown> }).runFlow(args),
      { api, principal: principalHeader({ email }), longNote },
    )) as FlowResult;

    expect(out.upload).toMatchObject({ status: 201, document: { status: 'uploaded' } });
    expect(out.extract).toMatchObject({
      status: 200,
      document: {
        status: 'extracted',
        extracted_data: { columns: ['sku', 'qty', 'notes'], rows: [{ sku: 'A-1', qty: 3, notes: 'short' }] },
      },
    });
    expect(out.review).toMatchObject({ status: 200, body: { status: 'awaiting_user_review' } });

    // Phase 2: the file and the headers the page can read only because the host exposes them.
    const workflowId = out.review.body.export_workflow_id;
    const xlsx = Buffer.from(out.file.base64, 'base64');
    expect(out.file).toMatchObject({
      status: 200,
      contentType: expect.stringMatching(/spreadsheetml/) as string,
      contentDisposition: expect.stringMatching(/^attachment; filename=".+\.xlsx"/) as string,
      warnings: '1',
      workflowId,
      sha256: createHash('sha256').update(xlsx).digest('hex'),
    });
    const workbook = XLSX.read(xlsx, { type: 'buffer' });
    const cells = workbook.SheetNames.flatMap((name) =>
      XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[name] ?? {}, { header: 1 }).flat(),
    );
    expect(cells).toContain('A-1');
    expect(cells).toContain(4);
    // The edited note is cut to what a cell holds; the warning header above counted that loss.
    expect(cells).toContainEqual(expect.stringMatching(/^n{32000,32767}/));

    expect(out.history.status).toBe(200);
    expect(out.history.body.items).toContainEqual(
      expect.objectContaining({ export_workflow_id: workflowId, status: 'completed' }),
    );

    expect(out.job).toMatchObject({ status: 202, location: out.job.body.links.self });
    expect(out.finished.status).toBe('completed');
    expect(out.download).toMatchObject({
      status: 200,
      contentDisposition: expect.stringMatching(/^attachment; filename=".+\.csv"/) as string,
      sha256: out.finished.file.sha256,
    });
    const rows = Papa.parse<Record<string, string>>(out.download.text.trim(), { header: true }).data;
    expect(rows).toHaveLength(1);
    expect(Object.values(rows[0] ?? {})).toContain(out.upload.document.document_id);
    await tab.close();
  });

  it('when a page from an origin the host does not list calls the API, then the browser refuses it', async () => {
    const tab = await open(elsewhere.origin);
    const seen = await tab.evaluate(
      (args) => (globalThis as unknown as { tryFetch: (a: unknown) => Promise<unknown> }).tryFetch(args),
      { api, principal: principalHeader({ email: newUser('stranger') }) },
    );
    expect(seen).toEqual({ error: expect.stringMatching(/TypeError: Failed to fetch/) as string });
    await tab.close();
  });

  it('when the docs page is opened, then Swagger UI renders every operation of the contract from assets the host serves', async () => {
    const tab = await browser.newPage();
    const outside: string[] = [];
    tab.on('request', (request) => {
      if (!request.url().startsWith(api)) outside.push(request.url());
    });
    const response = await tab.goto(`${api}/api/docs`);
    expect(response?.status()).toBe(200);
    expect(await tab.title()).toMatch(/exportrail/i);
    const contract = (await (await fetch(`${api}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(contract.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    await tab.waitForFunction(`document.querySelectorAll('.opblock').length >= ${operations}`, undefined, {
      timeout: 20_000,
    });
    expect(outside).toEqual([]); // no CDN: every asset comes from the host
    await tab.close();
  });
});
